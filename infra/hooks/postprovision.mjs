// azd postprovision hook: writes local.settings.json so `npm start` (the local host) or `func start`
// runs this checkout against the provisioned Cosmos DB and Azure OpenAI, signed in as you
// (`az login`; main.bicep gave you the data roles). azd passes the environment's values (the
// outputs of main.bicep) as environment variables.
//
// What stays local, on purpose: Durable state (Azurite / the local host's SQLite store; sharing the
// cloud task hub would let the deployed app and your machine steal each other's work), the MCP
// servers (mounted by the app, with a key it makes up), and traces (the local trace store:
// Application Insights takes only managed-identity tokens from the apps).
//
// Usage: node infra/hooks/postprovision.mjs [output path]   (default: ./local.settings.json)
//
// Node built-ins only: azd runs hooks before anyone has run `npm ci`, so nothing from node_modules.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outputPath = resolve(process.argv[2] ?? join(repoRoot, 'local.settings.json'));

/** The azd environment values this hook needs, each with its check. */
const AZD_VALUES = {
  COSMOS_ENDPOINT: 'https',
  COSMOS_DATABASE: 'text',
  COSMOS_IDEMPOTENCY_CONTAINER: 'text',
  COSMOS_BOOKINGS_CONTAINER: 'text',
  AZURE_OPENAI_ENDPOINT: 'https',
  AZURE_OPENAI_DEPLOYMENT: 'text',
  MODEL_NAME: 'text',
};

/** @param {string | undefined} value @param {string} kind @returns {string | undefined} the problem */
function problemWith(value, kind) {
  if (value === undefined || value.trim() === '') return 'missing';
  if (kind !== 'https') return undefined;
  try {
    return new URL(value).protocol === 'https:' ? undefined : 'not an https URL';
  } catch {
    return 'not a URL';
  }
}

/** @param {Record<string, string | undefined>} env */
function readAzdValues(env) {
  const problems = Object.entries(AZD_VALUES)
    .map(([name, kind]) => [name, problemWith(env[name], kind)])
    .filter(([, problem]) => problem !== undefined)
    .map(([name, problem]) => `${name} (${problem})`);
  if (problems.length > 0) {
    fail(`missing or bad azd environment values: ${problems.join(', ')}. Run \`azd provision\` first.`);
  }
  return /** @type {Record<keyof typeof AZD_VALUES, string>} */ (
    Object.fromEntries(Object.keys(AZD_VALUES).map((name) => [name, /** @type {string} */ (env[name])]))
  );
}

/** @param {unknown} value */
function isRecord(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A local.settings.json: an object whose Values (if any) are all strings.
 * @param {unknown} json @returns {string | undefined} the problem
 */
function settingsFileProblem(json) {
  if (!isRecord(json)) return 'not a JSON object';
  const { Values, Host, IsEncrypted } = /** @type {Record<string, unknown>} */ (json);
  if (IsEncrypted !== undefined && typeof IsEncrypted !== 'boolean')
    return 'IsEncrypted is not true or false';
  if (Host !== undefined && !isRecord(Host)) return 'Host is not an object';
  if (Values === undefined) return undefined;
  if (!isRecord(Values)) return 'Values is not an object';
  const bad = Object.entries(/** @type {Record<string, unknown>} */ (Values)).find(
    ([, v]) => typeof v !== 'string',
  );
  return bad ? `Values.${bad[0]} is not a string` : undefined;
}

/** @param {string} message @returns {never} */
function fail(message) {
  process.stderr.write(`postprovision: ${message}\n`);
  process.exit(1);
}

/** @param {string} path */
function readSettings(path) {
  /** @type {unknown} */
  let json;
  try {
    json = /** @type {unknown} */ (JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    fail(
      `${path} is not valid JSON (${/** @type {Error} */ (error).message}); fix or remove it and run \`azd hooks run postprovision\`.`,
    );
  }
  const problem = settingsFileProblem(json);
  if (problem) fail(`${path} is not a local.settings.json: ${problem}`);
  const file = /** @type {{ Values?: Record<string, string>, Host?: Record<string, unknown> }} */ (json);
  return { Values: file.Values ?? {}, Host: file.Host };
}

const values = readAzdValues(process.env);

// Every key the app reads comes from the sample; your own choices in an existing file are kept;
// the cloud resources' coordinates are laid over both.
const sample = readSettings(join(repoRoot, 'local.settings.sample.json'));
const existing = existsSync(outputPath) ? readSettings(outputPath) : undefined;
const fromAzure = {
  STORE_BACKEND: 'cosmos',
  COSMOS_ENDPOINT: values.COSMOS_ENDPOINT,
  // Empty: Microsoft Entra ID (your az login); the account accepts no keys.
  COSMOS_KEY: '',
  COSMOS_DATABASE: values.COSMOS_DATABASE,
  COSMOS_IDEMPOTENCY_CONTAINER: values.COSMOS_IDEMPOTENCY_CONTAINER,
  COSMOS_BOOKINGS_CONTAINER: values.COSMOS_BOOKINGS_CONTAINER,
  MODEL_PROVIDER: 'azure-openai',
  AZURE_OPENAI_ENDPOINT: values.AZURE_OPENAI_ENDPOINT,
  AZURE_OPENAI_DEPLOYMENT: values.AZURE_OPENAI_DEPLOYMENT,
  MODEL_NAME: values.MODEL_NAME,
};

const settings = {
  IsEncrypted: false,
  Values: { ...sample.Values, ...existing?.Values, ...fromAzure },
  Host: existing?.Host ?? sample.Host,
};

// Write whole or not at all: a half-written file would stop the next `npm start`.
const temporary = `${outputPath}.${process.pid}.tmp`;
writeFileSync(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
renameSync(temporary, outputPath);
if (process.env.VNET_ENABLED === 'true') {
  process.stdout.write(
    'postprovision: VNET_ENABLED is on, so Cosmos DB and Azure OpenAI accept only private traffic: ' +
      'local runs reach them only from inside the virtual network (VPN, Bastion or a dev box there).\n',
  );
}
process.stdout.write(
  `postprovision: wrote ${outputPath} (Cosmos DB ${values.COSMOS_ENDPOINT}, Azure OpenAI deployment ${values.AZURE_OPENAI_DEPLOYMENT}).\n`,
);
