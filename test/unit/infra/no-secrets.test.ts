/**
 * No key, secret, SAS or key-bearing connection string in infra/, azure.yaml, host.json or the
 * sample settings; every Bicep parameter that could carry a secret is @secure(). Each rule is
 * also run against a snippet that breaks it, so a pattern that matches nothing fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bicepFiles, INFRA_DIR, parametersOf, parseBicep, parseBicepFile, REPO_ROOT } from './bicep';

interface SecretRule {
  name: string;
  pattern: RegExp;
  /** Text that breaks the rule (the rule must flag it). */
  example: string;
}

const RULES: SecretRule[] = [
  {
    name: 'storage account key',
    pattern: /AccountKey\s*=/i,
    example: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc==',
  },
  {
    name: 'shared access signature',
    pattern: /SharedAccessSignature/i,
    example: 'SharedAccessSignature=sv=2022',
  },
  {
    name: 'shared access key',
    pattern: /SharedAccessKey(Name)?\s*=/i,
    example: 'Endpoint=sb://x/;SharedAccessKeyName=root;SharedAccessKey=k',
  },
  {
    name: 'SAS token signature',
    pattern: /[?&;]sig=/i,
    example: 'https://a.blob.core.windows.net/c?sv=2022&sig=abc%3D',
  },
  { name: 'listKeys()', pattern: /\blistKeys\s*\(/i, example: 'storage.listKeys().keys[0].value' },
  {
    name: 'list…Keys/ConnectionStrings/Secrets()',
    pattern: /\blist(Account)?(Keys|ConnectionStrings|Secrets?|Credentials?)\s*\(/i,
    example: 'cosmos.listConnectionStrings()',
  },
  {
    name: 'Cosmos DB master key',
    pattern: /primaryMasterKey|secondaryMasterKey|primaryReadonlyMasterKey/i,
    example: 'cosmos.listKeys().primaryMasterKey',
  },
  {
    name: 'key1/primaryKey properties',
    pattern: /\.(primaryKey|secondaryKey|key1|key2)\b/i,
    example: 'openAi.listKeys().key1',
  },
  {
    name: 'Application Insights instrumentation key literal',
    pattern: /InstrumentationKey=[0-9a-f]{8}-/i,
    example: 'InstrumentationKey=12345678-aaaa-bbbb-cccc-1234567890ab',
  },
  {
    name: 'private key block',
    pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
    example: '-----BEGIN RSA PRIVATE KEY-----',
  },
  {
    name: 'OpenAI API key literal',
    pattern: /\bsk-[A-Za-z0-9_-]{20,}/,
    example: 'OPENAI_API_KEY=sk-abcdefghijklmnopqrstuvwxyz',
  },
  {
    name: 'local auth switched on',
    pattern: /(disableLocalAuth|allowSharedKeyAccess)\s*:\s*(false|true)/i,
    example: 'disableLocalAuth: false',
  },
];

/** The local-auth rule flags a switch only when it enables keys. */
function isKeyEnabling(match: string): boolean {
  return /disableLocalAuth\s*:\s*false/i.test(match) || /allowSharedKeyAccess\s*:\s*true/i.test(match);
}

function violations(text: string): string[] {
  const found: string[] = [];
  for (const rule of RULES) {
    for (const match of text.matchAll(
      new RegExp(rule.pattern.source, `${rule.pattern.flags.replace('g', '')}g`),
    )) {
      if (rule.name === 'local auth switched on' && !isKeyEnabling(match[0])) continue;
      found.push(`${rule.name}: ${match[0]}`);
    }
  }
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [relative(REPO_ROOT, path)];
  });
}

const SCANNED = [...filesUnder(INFRA_DIR), 'azure.yaml', 'host.json', 'local.settings.sample.json'];

/** Parameter names that say they hold a secret (`adminPassword`, `apiKey`; not `keyVaultName`): they must be @secure(). */
const SECRET_NAME = /(password|secret|key|keys|token|credentials?|connectionstring|sas)$/i;

function insecureSecretParameters(parameters: ReturnType<typeof parametersOf>): string[] {
  return parameters
    .filter((parameter) => SECRET_NAME.test(parameter.name) && !parameter.decorators.includes('@secure'))
    .map((parameter) => parameter.name);
}

describe('no keys or secrets in the deployment files', () => {
  it('scans infra/ (Bicep, parameters, hooks, docs), azure.yaml, host.json and the sample settings', () => {
    expect(SCANNED).toEqual(
      expect.arrayContaining(['infra/main.bicep', 'infra/main.parameters.json', 'infra/README.md']),
    );
  });

  it.each(SCANNED)('%s holds no key, SAS or key-bearing connection string', (file) => {
    expect(violations(readFileSync(join(REPO_ROOT, file), 'utf8'))).toEqual([]);
  });

  it.each(RULES)('the rule "$name" flags its example', (rule) => {
    expect(violations(rule.example).some((found) => found.startsWith(`${rule.name}:`))).toBe(true);
  });

  it('turning local auth off is not flagged; turning it on is', () => {
    expect(violations('disableLocalAuth: true\nallowSharedKeyAccess: false')).toEqual([]);
    expect(violations('allowSharedKeyAccess: true')).toHaveLength(1);
  });

  it('the sample settings leave every key-like setting empty (or the local emulator)', () => {
    const sample = JSON.parse(readFileSync(join(REPO_ROOT, 'local.settings.sample.json'), 'utf8')) as {
      Values: Record<string, string>;
    };
    const filled = Object.entries(sample.Values).filter(
      ([name, value]) =>
        (/(_KEY|_KEYS|SECRET|PASSWORD|_TOKEN|CONNECTION_STRING)$/i.test(name) ||
          name === 'AzureWebJobsStorage') &&
        value !== '' &&
        value !== 'UseDevelopmentStorage=true',
    );
    expect(filled).toEqual([]);
  });
});

describe('Bicep parameters that could carry a secret', () => {
  it.each(bicepFiles())('%s: each is @secure()', async (file) => {
    expect(insecureSecretParameters(parametersOf(await parseBicepFile(file)))).toEqual([]);
  });

  it('flags a password parameter without @secure() and accepts one with it', async () => {
    const tree = await parseBicep(
      [
        "@description('admin')",
        'param adminPassword string',
        '@secure()',
        "@description('ok')",
        'param apiKey string',
        'param location string',
        '',
      ].join('\n'),
    );
    expect(insecureSecretParameters(parametersOf(tree))).toEqual(['adminPassword']);
  });

  it('the MCP server key and the trips client key hashes are secure parameters', async () => {
    const parameters = parametersOf(await parseBicepFile('infra/main.bicep'));
    for (const name of ['mcpServerKey', 'tripsClientKeys']) {
      expect(parameters.find((parameter) => parameter.name === name)?.decorators).toContain('@secure');
    }
  });
});
