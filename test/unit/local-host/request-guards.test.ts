import { describe, expect, it } from 'vitest';
import {
  checkHost,
  checkOrigin,
  checkJsonBody,
  isLoopbackAddress,
  isLoopbackInterface,
  isRefusal,
  loopbackHosts,
  normaliseOrigins,
  parseHostHeader,
  parseRequestTarget,
  type HostHeader,
} from '../../../src/local-host/request-guards';

function host(raw: string): HostHeader {
  const parsed = parseHostHeader(raw);
  if (isRefusal(parsed)) throw new Error(parsed.message);
  return parsed;
}

describe('request target', () => {
  it('accepts origin-form paths with a query', () => {
    expect(parseRequestTarget('/api/x?a=1')).toEqual({ path: '/api/x', search: '?a=1' });
  });

  it.each([
    '//127.0.0.1/api',
    'http://127.0.0.1/api',
    '*',
    '/\\evil/x',
    '/a/../b',
    '/a/%2E%2e/b',
    '/./a',
    '/a#x',
    '',
  ])('refuses %j with 400', (target) => {
    expect(parseRequestTarget(target)).toMatchObject({ status: 400, code: 'bad_request' });
  });
});

describe('Host header', () => {
  it('parses names, IPv6 literals and ports, lower-cased', () => {
    expect(host('LocalHost:7071')).toEqual({ name: 'localhost', port: 7071, value: 'localhost:7071' });
    expect(host('[::1]:80')).toMatchObject({ name: '[::1]', port: 80 });
    expect(host('example.org')).toMatchObject({ port: undefined, value: 'example.org' });
  });

  it.each(['user@127.0.0.1', '127.0.0.1:7071/x', '127.0.0.1:0', '127.0.0.1:70000', 'a b', ''])(
    'refuses %j with 400',
    (raw) => {
      expect(parseHostHeader(raw)).toMatchObject({ status: 400 });
    },
  );

  it('on loopback, accepts the loopback names with the host’s own port only', () => {
    const allowed = loopbackHosts(7071);
    expect(checkHost(host('127.0.0.1:7071'), allowed)).toBeUndefined();
    expect(checkHost(host('localhost:7071'), allowed)).toBeUndefined();
    expect(checkHost(host('localhost:7072'), allowed)).toMatchObject({ status: 403, code: 'forbidden_host' });
    expect(checkHost(host('localhost'), allowed)).toMatchObject({ status: 403 });
    expect(checkHost(host('localhost'), loopbackHosts(80))).toBeUndefined();
    expect(checkHost(host('attacker.test:7071'), allowed)).toMatchObject({ status: 403 });
  });

  it('treats all of 127.0.0.0/8 and ::1 as loopback, so --host 127.0.0.2 keeps the Host check', () => {
    for (const name of ['127.0.0.1', '127.0.0.2', '127.255.255.254', 'localhost', '::1', '[::1]']) {
      expect(isLoopbackInterface(name)).toBe(true);
    }
    for (const name of ['0.0.0.0', '::', '128.0.0.1', '10.0.0.1', '127.0.0.256', '127.1', 'example.org']) {
      expect(isLoopbackInterface(name)).toBe(false);
    }
    const bound = loopbackHosts(7071, '127.0.0.2');
    expect(checkHost(host('127.0.0.2:7071'), bound)).toBeUndefined();
    expect(checkHost(host('attacker.test:7071'), bound)).toMatchObject({ status: 403 });
  });

  it('recognises loopback peers in every spelling the socket reports', () => {
    for (const address of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1', '::ffff:127.9.9.9']) {
      expect(isLoopbackAddress(address)).toBe(true);
    }
    for (const address of [undefined, '10.0.0.1', '::ffff:10.0.0.1', '::2', 'fe80::1']) {
      expect(isLoopbackAddress(address)).toBe(false);
    }
  });
});

describe('Content-Type of state-changing requests to the host’s own routes', () => {
  it('requires application/json (or a +json type) on POST, PUT and PATCH', () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON',
      'application/merge-patch+json',
    ]) {
      expect(checkJsonBody('POST', type, false)).toBeUndefined();
    }
    for (const type of [
      undefined,
      '',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
    ]) {
      expect(checkJsonBody('POST', type, false)).toMatchObject({
        status: 415,
        code: 'unsupported_media_type',
      });
      expect(checkJsonBody('PUT', type, true)).toMatchObject({ status: 415 });
    }
  });

  it('leaves safe methods alone, and DELETE unless it carries a body', () => {
    expect(checkJsonBody('GET', 'text/plain', true)).toBeUndefined();
    expect(checkJsonBody('DELETE', undefined, false)).toBeUndefined();
    expect(checkJsonBody('DELETE', 'text/plain', true)).toMatchObject({ status: 415 });
  });
});

describe('Origin (CSRF)', () => {
  const self = host('127.0.0.1:7071');
  const none = new Set<string>();

  it('refuses state-changing browser requests from other origins', () => {
    for (const origin of ['http://evil.example', 'null', 'http://localhost:7071', 'https://127.0.0.1:7071']) {
      expect(checkOrigin('POST', { origin }, self, none).refusal).toMatchObject({
        status: 403,
        code: 'forbidden_origin',
      });
    }
    expect(checkOrigin('DELETE', { 'sec-fetch-site': 'cross-site' }, self, none).refusal?.status).toBe(403);
    expect(checkOrigin('PUT', { 'sec-fetch-site': 'same-site' }, self, none).refusal?.status).toBe(403);
  });

  it('passes the host’s own origin, non-browser clients and safe methods', () => {
    expect(checkOrigin('POST', { origin: 'http://127.0.0.1:7071' }, self, none)).toEqual({});
    expect(checkOrigin('POST', {}, self, none)).toEqual({});
    expect(checkOrigin('POST', { 'sec-fetch-site': 'same-origin' }, self, none)).toEqual({});
    expect(checkOrigin('GET', { origin: 'http://evil.example' }, self, none)).toEqual({});
  });

  it('passes allow-listed origins and names them for CORS', () => {
    const allowed = normaliseOrigins(['http://LOCALHOST:5173/']);
    expect(checkOrigin('POST', { origin: 'http://localhost:5173' }, self, allowed)).toEqual({
      corsOrigin: 'http://localhost:5173',
    });
    expect(() => normaliseOrigins(['localhost:5173'])).toThrow(/not a URL|scheme/);
    expect(() => normaliseOrigins(['http://localhost:5173/app'])).toThrow(/no path/);
  });
});
