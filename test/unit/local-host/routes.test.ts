import { describe, expect, it } from 'vitest';
import { compareSpecificity, compileRoute } from '../../../src/local-host/routes';

describe('route templates', () => {
  it('matches literals case-insensitively and extracts parameters', () => {
    const route = compileRoute('trips/{id}/input');
    expect(route.match('/Trips/abc/INPUT')).toEqual({ id: 'abc' });
    expect(route.match('/trips/abc')).toBeUndefined();
    expect(route.match('/trips/abc/input/extra')).toBeUndefined();
  });

  it('supports optional trailing parameters', () => {
    const route = compileRoute('orchestrators/{name}/{instanceId?}');
    expect(route.match('/orchestrators/hello')).toEqual({ name: 'hello' });
    expect(route.match('/orchestrators/hello/42')).toEqual({ name: 'hello', instanceId: '42' });
  });

  it('applies constraints', () => {
    const route = compileRoute('items/{id:int}');
    expect(route.match('/items/12')).toEqual({ id: '12' });
    expect(route.match('/items/twelve')).toBeUndefined();
    expect(compileRoute('x/{g:guid}').match('/x/3f2504e0-4f89-11d3-9a0c-0305e82c3301')).toBeTruthy();
  });

  it('captures the rest of the path in a catch-all, decoded', () => {
    expect(compileRoute('files/{*path}').match('/files/a/b%20c/d')).toEqual({ path: 'a/b c/d' });
    expect(compileRoute('files/{*path}').match('/files')).toEqual({});
  });

  it('keeps %2F encoded in values, as the Functions host does, so a value never spans segments', () => {
    expect(compileRoute('orchestrators/{name}').match('/orchestrators/..%2Finstances%2Fx')).toEqual({
      name: '..%2Finstances%2Fx',
    });
    expect(compileRoute('files/{*path}').match('/files/a%2fb/c%3F')).toEqual({ path: 'a%2fb/c?' });
  });

  it('rejects templates it cannot honour instead of mis-routing', () => {
    expect(() => compileRoute('a/{id:regex(x)}')).toThrow(/Unsupported route segment/);
    expect(() => compileRoute('a/{id:weird}')).toThrow(/Unsupported route constraint/);
  });

  it('orders literal routes before parameter routes before catch-alls', () => {
    const routes = ['{*all}', 'trips/{id}', 'trips/recent'].map(compileRoute).sort(compareSpecificity);
    expect(routes.map((r) => r.template)).toEqual(['trips/recent', 'trips/{id}', '{*all}']);
  });
});
