/**
 * The trips API's settings, parsed once at load so a bad setting stops the app at start-up.
 */
import { appConfig } from '../../config';
import { DEFAULT_WRITE_TOOLS } from '../../tools';
import { callerPolicyFrom } from '../../travel/api/caller';
import { originPolicyFrom } from '../../travel/api/origin';
import { loadTripSettings } from '../../travel/settings';

export const settings = loadTripSettings(process.env, {
  pendingStaleAfterMs: appConfig().tools.pendingStaleAfterMs,
});
export const callerPolicy = callerPolicyFrom(process.env, settings.clientKeys);
export const originPolicy = originPolicyFrom(process.env);
/** The tools a run may only call with an idempotency key (passed to every run in its input). */
export const writeTools = Object.keys(DEFAULT_WRITE_TOOLS);
