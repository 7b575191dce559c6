/**
 * Where the app runs, and the switches that only local development may turn on.
 *
 * "In Azure" is read from every variable the Azure Functions platform sets, not from one: which
 * of them a plan sets differs (Flex Consumption runs on "Legion" containers, and the Functions
 * host reads its instance id there from another variable than WEBSITE_INSTANCE_ID), and the
 * absence of one variable must never loosen anything. Settings that relax security for local
 * development (the shared local user of the trips API) are switched on explicitly, by the local
 * host or local.settings.json, and refused at start-up where any platform variable is present.
 */
import { WaypointError } from './domain/errors';

/**
 * Variables the Azure Functions platform sets (names from the Functions host's
 * EnvironmentSettingNames), any one of which means the app runs in Azure. CONTAINER_NAME and
 * WEBSITE_POD_NAME, which Linux and Flex Consumption set too, are left out: dev containers and CI
 * runners set them as well, and every Azure plan sets at least one variable below.
 */
export const AZURE_PLATFORM_VARIABLES = [
  // App Service: every instance of Dedicated, Premium and Windows Consumption apps.
  'WEBSITE_INSTANCE_ID',
  // App Service: the app's name, its owner (subscription and webspace) and its plan's SKU
  // (FlexConsumption, Dynamic, ElasticPremium, …).
  'WEBSITE_SITE_NAME',
  'WEBSITE_OWNER_NAME',
  'WEBSITE_SKU',
  // The Functions runtime version setting (~4), required on every plan but Flex Consumption.
  'FUNCTIONS_EXTENSION_VERSION',
  // Flex Consumption ("Legion") containers, placeholder mode included.
  'LEGION_SERVICE_HOST',
  // Azure Container Apps hosting of Functions.
  'MANAGED_ENVIRONMENT',
] as const;

/** The Azure platform variables set (non-empty) in `env`. */
export function azurePlatformSignals(env: NodeJS.ProcessEnv): string[] {
  return AZURE_PLATFORM_VARIABLES.filter((name) => (env[name] ?? '').trim() !== '');
}

/** True when any Azure platform variable is set. */
export function runsInAzure(env: NodeJS.ProcessEnv): boolean {
  return azurePlatformSignals(env).length > 0;
}

/**
 * The on/off setting `name` with the value `value` (pass `env.NAME`, so the settings it reads can
 * be found in the code): `on`/`true`/`1` or `off`/`false`/`0` in any case; unset or empty is
 * `fallback`. Anything else stops the app at start-up, naming the setting: a typo must not
 * silently pick a side.
 */
export function switchSetting(name: string, value: string | undefined, fallback = false): boolean {
  const text = (value ?? '').trim().toLowerCase();
  if (text === '') return fallback;
  if (['on', 'true', '1'].includes(text)) return true;
  if (['off', 'false', '0'].includes(text)) return false;
  throw invalidSetting(name, `must be on or off (true/false), not "${text.slice(0, 40)}"`);
}

/**
 * A switch that only local development may turn on: `on` is refused where any Azure platform
 * variable is set in `env`, so a setting copied into a deployed app's configuration stops the app
 * at start-up instead of opening it.
 */
export function localOnlySwitch(name: string, value: string | undefined, env: NodeJS.ProcessEnv): boolean {
  const on = switchSetting(name, value);
  const signals = azurePlatformSignals(env);
  if (on && signals.length > 0) {
    throw invalidSetting(
      name,
      `is for local development only, and this process runs in Azure (${signals.join(', ')} set)`,
    );
  }
  return on;
}

export function invalidSetting(name: string, problem: string): WaypointError {
  return new WaypointError('invalid_config', `Invalid setting ${name}: ${problem}.`, {
    details: { setting: name },
  });
}
