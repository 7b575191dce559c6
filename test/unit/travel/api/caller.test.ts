import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  callerPolicyFrom,
  LOCAL_USER,
  resolveCaller,
  type CallerPolicy,
} from '../../../../src/travel/api/caller';
import { ApiError } from '../../../../src/travel/api/errors';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const clientKeys = new Map([
  ['billing', sha('billing-key-0123456789abcdef')],
  ['reports', sha('reports-key-0123456789abcdef')],
]);
const local: CallerPolicy = { appServiceAuth: false, inAzure: false, clientKeys };
const easyAuth: CallerPolicy = { appServiceAuth: true, inAzure: true, clientKeys };

const headers =
  (values: Record<string, string>) =>
  (name: string): string | undefined =>
    values[name.toLowerCase()];

function principal(claims: { typ: string; val: string }[], authType = 'aad'): string {
  return Buffer.from(
    JSON.stringify({ auth_typ: authType, claims, name_typ: 'name', role_typ: 'roles' }),
  ).toString('base64');
}

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected a refusal');
}

describe('resolveCaller', () => {
  it('is the one local user locally, whatever principal header a client sends', () => {
    const forged = principal([{ typ: 'oid', val: 'someone-else' }]);
    expect(resolveCaller(headers({}), local)).toEqual({ id: LOCAL_USER, kind: 'local' });
    expect(resolveCaller(headers({ 'x-ms-client-principal': forged }), local).id).toBe(LOCAL_USER);
  });

  it('with App Service auth, is the principal’s object id under its identity provider', () => {
    const caller = resolveCaller(
      headers({
        'x-ms-client-principal': principal([
          { typ: 'name', val: 'Ada' },
          { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: '8f1e-ada' },
          { typ: 'sub', val: 'subject-ada' },
        ]),
      }),
      easyAuth,
    );
    expect(caller).toEqual({ id: 'user:aad:8f1e-ada', kind: 'user' });
  });

  it('falls back to the subject claim, and tells identity providers apart', () => {
    const google = principal([{ typ: 'sub', val: '1234' }], 'google');
    const github = principal(
      [{ typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier', val: '1234' }],
      'github',
    );
    expect(resolveCaller(headers({ 'x-ms-client-principal': google }), easyAuth).id).toBe('user:google:1234');
    expect(resolveCaller(headers({ 'x-ms-client-principal': github }), easyAuth).id).toBe('user:github:1234');
  });

  it('keeps a very long user id within 200 characters, still distinct', () => {
    const a = resolveCaller(
      headers({ 'x-ms-client-principal': principal([{ typ: 'sub', val: 'a'.repeat(300) }]) }),
      easyAuth,
    );
    const b = resolveCaller(
      headers({ 'x-ms-client-principal': principal([{ typ: 'sub', val: 'a'.repeat(299) + 'b' }]) }),
      easyAuth,
    );
    expect(a.id.length).toBeLessThanOrEqual(200);
    expect(a.id).not.toBe(b.id);
  });

  it('with App Service auth, refuses a request without a principal, or with a malformed one', () => {
    expect(refusal(() => resolveCaller(headers({}), easyAuth)).status).toBe(401);
    expect(
      refusal(() => resolveCaller(headers({ 'x-ms-client-principal': 'not base64 json' }), easyAuth)).code,
    ).toBe('unauthenticated');
    const noId = principal([{ typ: 'name', val: 'Ada' }]);
    expect(refusal(() => resolveCaller(headers({ 'x-ms-client-principal': noId }), easyAuth)).status).toBe(
      401,
    );
  });

  it('in Azure without App Service auth, has no default user', () => {
    const policy: CallerPolicy = { appServiceAuth: false, inAzure: true, clientKeys };
    expect(refusal(() => resolveCaller(headers({}), policy)).status).toBe(401);
  });

  it('names a service client by its key, and refuses an unknown key rather than going anonymous', () => {
    expect(resolveCaller(headers({ 'x-functions-key': 'reports-key-0123456789abcdef' }), easyAuth)).toEqual({
      id: 'client:reports',
      kind: 'client',
    });
    expect(resolveCaller(headers({ 'x-functions-key': 'billing-key-0123456789abcdef' }), local).id).toBe(
      'client:billing',
    );
    expect(refusal(() => resolveCaller(headers({ 'x-functions-key': 'guess' }), local)).status).toBe(401);
    expect(
      refusal(() =>
        resolveCaller(headers({ 'x-functions-key': 'guess' }), { ...local, clientKeys: new Map() }),
      ).status,
    ).toBe(401);
  });
});

describe('callerPolicyFrom', () => {
  it('trusts the principal header only when App Service auth is on', () => {
    expect(callerPolicyFrom({ WEBSITE_AUTH_ENABLED: 'True' }, new Map()).appServiceAuth).toBe(true);
    expect(callerPolicyFrom({ WEBSITE_AUTH_ENABLED: 'false' }, new Map()).appServiceAuth).toBe(false);
    expect(callerPolicyFrom({}, new Map())).toMatchObject({ appServiceAuth: false, inAzure: false });
    expect(callerPolicyFrom({ WEBSITE_INSTANCE_ID: 'abc' }, new Map()).inAzure).toBe(true);
  });
});
