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
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outputPath = resolve(process.argv[2] ?? join(repoRoot, 'local.settings.json'));

const httpsUrl = z.url({ protocol: /^https$/ });
const azdValues = z.object({
  COSMOS_ENDPOINT: httpsUrl,
  COSMOS_DATABASE: z.string().min(1),
  COSMOS_IDEMPOTENCY_CONTAINER: z.string().min(1),
  COSMOS_BOOKINGS_CONTAINER: z.string().min(1),
  AZURE_OPENAI_ENDPOINT: httpsUrl,
  AZURE_OPENAI_DEPLOYMENT: z.string().min(1),
  MODEL_NAME: z.string().min(1),
});

const settingsFile = z.object({
  IsEncrypted: z.boolean().optional(),
  Values: z.record(z.string(), z.string()).default({}),
  Host: z.record(z.string(), z.unknown()).optional(),
});

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
  const parsed = settingsFile.safeParse(json);
  if (!parsed.success) fail(`${path} is not a local.settings.json: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

const env = azdValues.safeParse(process.env);
if (!env.success) {
  const names = env.error.issues.map((issue) => `${issue.path.join('.')} (${issue.message})`).join(', ');
  fail(`missing or bad azd environment values: ${names}. Run \`azd provision\` first.`);
}
const values = env.data;

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
process.stdout.write(
  `postprovision: wrote ${outputPath} (Cosmos DB ${values.COSMOS_ENDPOINT}, Azure OpenAI deployment ${values.AZURE_OPENAI_DEPLOYMENT}).\n`,
);
