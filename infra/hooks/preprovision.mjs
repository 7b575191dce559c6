// azd preprovision hook: makes the MCP tool servers' shared key once per azd environment.
// The key lives in the environment (.azure/<env>/.env, never committed) so every later
// `azd provision` passes the same value; Bicep stores it in Key Vault and the apps read it through
// Key Vault references. Rotate it with `azd env set MCP_SERVER_KEY "$(openssl rand -base64 32)"`.
//
// It also checks, before anything is created: that host.json names the Durable backend azd is
// about to provision (the scale controller reads the provider from host.json in the package, never
// from app settings), and with the Azure CLI, that the region offers the Durable Task Scheduler and
// that the model has quota (azure-checks.mjs).
//
// Node built-ins only: a bare `azd provision` must work without node_modules.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkModelQuota, checkSchedulerRegion } from './azure-checks.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @param {string} message @returns {never} */
function fail(message) {
  process.stderr.write(`preprovision: ${message}\n`);
  process.exit(1);
}

/** @param {unknown} object @param {string} key */
function get(object, key) {
  if (typeof object !== 'object' || object === null) return undefined;
  const found = Object.keys(object).find((name) => name.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : /** @type {Record<string, unknown>} */ (object)[found];
}

const PROVIDER_OF_BACKEND = { durableTaskScheduler: 'azuremanaged', azureStorage: 'azurestorage' };
const backend = process.env.DURABLE_BACKEND || 'durableTaskScheduler';
const wanted = /** @type {Record<string, string>} */ (PROVIDER_OF_BACKEND)[backend];
if (!wanted) fail(`DURABLE_BACKEND must be durableTaskScheduler or azureStorage, not "${backend}".`);
/** @type {unknown} */
let hostJson;
try {
  hostJson = JSON.parse(readFileSync(join(repoRoot, 'host.json'), 'utf8'));
} catch (error) {
  fail(`cannot read host.json: ${/** @type {Error} */ (error).message}`);
}
const providerType = get(get(get(get(hostJson, 'extensions'), 'durableTask'), 'storageProvider'), 'type');
const configured = typeof providerType === 'string' ? providerType.toLowerCase() : 'azurestorage';
if (configured !== wanted) {
  fail(
    `DURABLE_BACKEND=${backend} but host.json's extensions.durableTask.storageProvider.type is ` +
      `"${typeof providerType === 'string' ? providerType : '(none: AzureStorage)'}". The scale controller reads ` +
      `the provider from host.json, so change host.json (see infra/README.md, the Durable backend) or DURABLE_BACKEND.`,
  );
}

// The scheduler keeps a finished run's history at most 30 days on the Consumption SKU and 90 on
// Dedicated (the SKU pages): a longer retention policy would fail halfway through the deployment.
if (backend === 'durableTaskScheduler') {
  const sku = process.env.DURABLE_TASK_SCHEDULER_SKU || 'Consumption';
  const raw = process.env.DURABLE_HISTORY_RETENTION_DAYS || '30';
  const days = Number(raw);
  const most = sku === 'Dedicated' ? 90 : 30;
  if (!/^\d+$/.test(raw) || days < 1)
    fail(`DURABLE_HISTORY_RETENTION_DAYS must be a whole number of days from 1, not "${raw}".`);
  if (days > most)
    fail(
      `DURABLE_HISTORY_RETENTION_DAYS=${days}: the ${sku} scheduler keeps finished runs at most ${most} days. ` +
        (sku === 'Dedicated' ? 'Lower it.' : 'Lower it, or DURABLE_TASK_SCHEDULER_SKU=Dedicated (up to 90).'),
    );
}

/** @param {{ ok: true, note?: string } | { ok: false, message: string }} outcome */
function report(outcome) {
  if (!outcome.ok) fail(outcome.message);
  if (outcome.note) process.stdout.write(`preprovision: ${outcome.note}.\n`);
}

const location = process.env.AZURE_LOCATION ?? '';
const subscription = process.env.AZURE_SUBSCRIPTION_ID || undefined;
if (location && backend === 'durableTaskScheduler') report(checkSchedulerRegion(location, subscription));
// Checked before the first provision only: afterwards the environment's own deployment holds part
// of the quota, and Azure checks the change itself.
if (location && process.env.DEPLOY_OPENAI !== 'false' && !process.env.AZURE_OPENAI_ENDPOINT) {
  const capacity = Number(process.env.MODEL_CAPACITY || 30);
  if (!Number.isInteger(capacity) || capacity < 1)
    fail(`MODEL_CAPACITY must be a whole number of at least 1.`);
  report(
    checkModelQuota({
      location: process.env.OPENAI_LOCATION || location,
      subscription,
      model: process.env.MODEL_NAME || 'gpt-4.1-mini',
      capacity,
    }),
  );
}

/** The app refuses shorter keys (src/mcp-servers/settings.ts). */
const MIN_KEY_LENGTH = 16;

const current = process.env.MCP_SERVER_KEY ?? '';
if (current.length >= MIN_KEY_LENGTH) {
  process.stdout.write('MCP_SERVER_KEY is set for this environment; keeping it.\n');
} else {
  if (current !== '')
    process.stdout.write(`MCP_SERVER_KEY is shorter than ${MIN_KEY_LENGTH} characters; replacing it.\n`);
  const key = randomBytes(32).toString('base64url');
  try {
    execFileSync('azd', ['env', 'set', 'MCP_SERVER_KEY', key], {
      stdio: ['ignore', 'ignore', 'inherit'],
      shell: process.platform === 'win32',
    });
  } catch (error) {
    process.stderr.write(
      `Could not store MCP_SERVER_KEY in the azd environment: ${/** @type {Error} */ (error).message}\n`,
    );
    process.exit(1);
  }
  process.stdout.write('Generated MCP_SERVER_KEY for this environment (32 random bytes).\n');
}
