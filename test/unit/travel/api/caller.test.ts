import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  callerPolicyFrom,
  LOCAL_USER,
  resolveCaller,
  type CallerPolicy,
} from '../../../../src/travel/api/caller';
import { refusal } from './refusal';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const clientKeys = new Map([
  ['billing', sha('billing-key-0123456789abcdef')],
  ['reports', sha('reports-key-0123456789abcdef')],
]);
const local: CallerPolicy = { appServiceAuth: false, localUser: true, clientKeys };
const easyAuth: CallerPolicy = { appServiceAuth: true, localUser: false, clientKeys };

const headers =
  (values: Record<string, string>) =>
  (name: string): string | undefined =>
    values[name.toLowerCase()];

function principal(claims: { typ: string; val: string }[], authType = 'aad'): string {
  return Buffer.from(
    JSON.stringify({ auth_typ: authType, claims, name_typ: 'name', role_typ: 'roles' }),
  ).toString('base64');
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

  it('without the local user switched on, and without App Service auth, has no default user', () => {
    const policy: CallerPolicy = { appServiceAuth: false, localUser: false, clientKeys };
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

/** The variables each Azure plan sets, and none: what a request's caller must not depend on. */
const PLATFORMS: [string, NodeJS.ProcessEnv][] = [
  ['no platform variable at all', {}],
  ['App Service (Dedicated, Premium)', { WEBSITE_INSTANCE_ID: 'a1b2', WEBSITE_SITE_NAME: 'waypoint' }],
  [
    'Flex Consumption (no WEBSITE_INSTANCE_ID)',
    { WEBSITE_SKU: 'FlexConsumption', CONTAINER_NAME: 'c-1', LEGION_SERVICE_HOST: '10.0.0.4' },
  ],
  ['Flex Consumption in placeholder mode', { WEBSITE_POD_NAME: 'pod-7', LEGION_SERVICE_HOST: '10.0.0.4' }],
  ['Linux Consumption', { CONTAINER_NAME: 'c-2', FUNCTIONS_EXTENSION_VERSION: '~4' }],
];

describe('callerPolicyFrom', () => {
  it('trusts the principal header only when App Service auth is on', () => {
    expect(callerPolicyFrom({ WEBSITE_AUTH_ENABLED: 'True' }, new Map()).appServiceAuth).toBe(true);
    expect(callerPolicyFrom({ WEBSITE_AUTH_ENABLED: 'false' }, new Map()).appServiceAuth).toBe(false);
    expect(callerPolicyFrom({}, new Map()).appServiceAuth).toBe(false);
  });

  it('never infers the local user from a missing variable: no switch, no default user', () => {
    // Regression: "in Azure" was WEBSITE_INSTANCE_ID alone, and every caller without it the local user.
    const policy = callerPolicyFrom({}, clientKeys);
    expect(policy.localUser).toBe(false);
    expect(refusal(() => resolveCaller(headers({}), policy)).status).toBe(401);
  });

  it('has the shared local user only when TRIPS_LOCAL_USER is on', () => {
    for (const on of ['on', 'ON', 'true', '1']) {
      const policy = callerPolicyFrom({ TRIPS_LOCAL_USER: on }, clientKeys);
      expect(resolveCaller(headers({}), policy)).toEqual({ id: LOCAL_USER, kind: 'local' });
    }
    for (const off of ['off', 'false', '0', '']) {
      expect(callerPolicyFrom({ TRIPS_LOCAL_USER: off }, clientKeys).localUser, off).toBe(false);
    }
    expect(() => callerPolicyFrom({ TRIPS_LOCAL_USER: 'yes please' }, clientKeys)).toThrow(
      /TRIPS_LOCAL_USER/,
    );
  });

  it.each(PLATFORMS)(
    'Azure mode (TRIPS_REQUIRE_AUTH=true) refuses a request without identity with 401 — %s',
    (_, platform) => {
      const policy = callerPolicyFrom({ ...platform, TRIPS_REQUIRE_AUTH: 'true' }, clientKeys);
      const refused = refusal(() => resolveCaller(headers({}), policy));
      expect(refused.status).toBe(401);
      expect(refused.code).toBe('unauthenticated');
      // A forged principal header is no identity either without App Service auth.
      const forged = principal([{ typ: 'oid', val: 'someone' }]);
      expect(refusal(() => resolveCaller(headers({ 'x-ms-client-principal': forged }), policy)).status).toBe(
        401,
      );
    },
  );

  it.each(PLATFORMS.slice(1))(
    'refuses to start with the local user switched on in Azure — %s',
    (_, platform) => {
      expect(() => callerPolicyFrom({ ...platform, TRIPS_LOCAL_USER: 'on' }, clientKeys)).toThrow(
        /TRIPS_LOCAL_USER.*local development only/,
      );
    },
  );

  it('keeps the local user in a dev container or CI runner (CONTAINER_NAME alone is no Azure signal)', () => {
    expect(
      callerPolicyFrom({ CONTAINER_NAME: 'devcontainer', TRIPS_LOCAL_USER: 'on' }, clientKeys).localUser,
    ).toBe(true);
  });

  it('refuses to start with the local user switched on while authentication is required', () => {
    expect(() =>
      callerPolicyFrom({ TRIPS_LOCAL_USER: 'on', TRIPS_REQUIRE_AUTH: 'true' }, clientKeys),
    ).toThrow(/TRIPS_LOCAL_USER.*TRIPS_REQUIRE_AUTH/);
    expect(() => callerPolicyFrom({ TRIPS_REQUIRE_AUTH: 'maybe' }, clientKeys)).toThrow(/TRIPS_REQUIRE_AUTH/);
  });
});
