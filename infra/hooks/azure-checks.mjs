// Checks the preprovision hook runs against the subscription before anything is created, with the
// Azure CLI when it is installed and signed in (azd itself does not need it, so without it the
// checks are skipped with a note): the region offers the Durable Task Scheduler, and the model has
// enough quota where Azure OpenAI will be deployed (as azd's own location quota filter does for
// templates that declare `usageName`). Node built-ins only.
import { execFileSync } from 'node:child_process';

/**
 * Runs `az` and parses its JSON output; undefined when az is missing or not signed in.
 * @param {string[]} args
 * @returns {unknown}
 */
export function az(args) {
  try {
    const out = execFileSync('az', [...args, '--output', 'json', '--only-show-errors'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
      timeout: 120_000,
    });
    return JSON.parse(out);
  } catch {
    return undefined;
  }
}

/** `East US 2` and `eastus2` name the same region. @param {string} name */
export function regionKey(name) {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * @param {string} location
 * @param {string | undefined} subscription
 * @returns {{ ok: true, note?: string } | { ok: false, message: string }}
 */
export function checkSchedulerRegion(location, subscription) {
  const locations = az([
    'provider',
    'show',
    '--namespace',
    'Microsoft.DurableTask',
    '--query',
    "resourceTypes[?resourceType=='schedulers'].locations | [0]",
    ...(subscription ? ['--subscription', subscription] : []),
  ]);
  if (!Array.isArray(locations)) {
    return { ok: true, note: 'region check skipped: the Azure CLI (az) is not available or not signed in' };
  }
  if (locations.some((name) => typeof name === 'string' && regionKey(name) === regionKey(location))) {
    return { ok: true };
  }
  return {
    ok: false,
    message:
      `${location} does not offer the Durable Task Scheduler. Regions that do: ${locations.join(', ')}. ` +
      'Pick one of them (azd env set AZURE_LOCATION <region>), or DURABLE_BACKEND=azureStorage (see infra/README.md).',
  };
}

/** The model's name as quota names spell it, without the punctuation they sometimes drop. @param {string} name */
function modelKey(name) {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Quota for a GlobalStandard deployment of `model` with `capacity` (thousands of tokens per minute).
 * @param {{ location: string, subscription: string | undefined, model: string, capacity: number }} want
 * @returns {{ ok: true, note?: string } | { ok: false, message: string }}
 */
export function checkModelQuota(want) {
  const usages = az([
    'cognitiveservices',
    'usage',
    'list',
    '--location',
    want.location,
    ...(want.subscription ? ['--subscription', want.subscription] : []),
  ]);
  if (!Array.isArray(usages)) {
    return { ok: true, note: 'quota check skipped: the Azure CLI (az) is not available or not signed in' };
  }
  const prefix = 'openai.globalstandard.';
  const usage = /** @type {{ name?: { value?: string }, currentValue?: number, limit?: number }[]} */ (
    usages
  ).find((entry) => {
    const name = entry.name?.value?.toLowerCase() ?? '';
    return name.startsWith(prefix) && modelKey(name.slice(prefix.length)) === modelKey(want.model);
  });
  if (!usage) {
    return {
      ok: false,
      message:
        `${want.location} offers no GlobalStandard quota for ${want.model}. ` +
        'Put the model elsewhere (azd env set OPENAI_LOCATION <region>) or choose another model (MODEL_NAME, MODEL_VERSION).',
    };
  }
  const available = (usage.limit ?? 0) - (usage.currentValue ?? 0);
  if (available >= want.capacity) return { ok: true };
  return {
    ok: false,
    message:
      `${want.model} (GlobalStandard) in ${want.location} has ${available} of ${usage.limit ?? 0} thousand ` +
      `tokens per minute free; this deployment needs ${want.capacity}. Lower MODEL_CAPACITY, free quota, ` +
      'or put the model elsewhere (OPENAI_LOCATION).',
  };
}
