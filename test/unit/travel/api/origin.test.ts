import { describe, expect, it } from 'vitest';
import { refusal } from './refusal';
import { checkBrowserOrigin, originPolicyFrom } from '../../../../src/travel/api/origin';

const URL_IN_AZURE = 'https://waypoint-agents.azurewebsites.net/api/trips';
const none = originPolicyFrom({});

describe('checkBrowserOrigin', () => {
  it('refuses a POST from a page of another site, and from an opaque origin', () => {
    for (const origin of ['https://evil.example', 'null', 'https://azurewebsites.net', 'not a url']) {
      const error = refusal(() => checkBrowserOrigin('POST', origin, URL_IN_AZURE, none));
      expect([error.status, error.code], origin).toEqual([403, 'forbidden_origin']);
    }
  });

  it('lets the app’s own pages through, whatever scheme or port the function sees', () => {
    checkBrowserOrigin('POST', 'https://waypoint-agents.azurewebsites.net', URL_IN_AZURE, none);
    checkBrowserOrigin(
      'POST',
      'https://waypoint-agents.azurewebsites.net',
      'http://waypoint-agents.azurewebsites.net:80/api/trips',
      none,
    );
    checkBrowserOrigin('POST', 'http://127.0.0.1:7071', 'http://127.0.0.1:7071/api/trips', none);
  });

  it('lets clients that are no browser page through (no Origin), and never checks reads', () => {
    checkBrowserOrigin('POST', null, URL_IN_AZURE, none);
    checkBrowserOrigin('GET', 'https://evil.example', URL_IN_AZURE, none);
  });

  it('lets an allowed front end through (TRIPS_ALLOWED_ORIGINS)', () => {
    const policy = originPolicyFrom({ TRIPS_ALLOWED_ORIGINS: 'https://app.example, http://localhost:5173/' });
    checkBrowserOrigin('POST', 'https://app.example', URL_IN_AZURE, policy);
    checkBrowserOrigin('POST', 'http://localhost:5173', URL_IN_AZURE, policy);
    expect(
      refusal(() => checkBrowserOrigin('POST', 'http://localhost:5174', URL_IN_AZURE, policy)).status,
    ).toBe(403);
  });

  it('refuses a setting that is not a list of origins, naming it', () => {
    for (const bad of [
      'app.example',
      'https://app.example/path',
      'ftp://app.example',
      'https://u:p@app.example',
    ])
      expect(() => originPolicyFrom({ TRIPS_ALLOWED_ORIGINS: bad }), bad).toThrow(/TRIPS_ALLOWED_ORIGINS/);
  });
});
