/**
 * The deployment's options, read from the Bicep syntax trees: the private network, sign-in with
 * Entra ID, allowed regions and memory sizes, scheduler capacity and history retention. Nothing
 * compiles Bicep here; these check that each option is wired where it must take effect.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  declarationsOf,
  nestedResourcesOf,
  parameterDefault,
  parametersOf,
  parseBicepFile,
  propertyText,
  REPO_ROOT,
  settingKeysOfVariable,
  type BicepDeclaration,
} from './bicep';

type Tree = Awaited<ReturnType<typeof parseBicepFile>>;
const trees: Record<string, Tree> = {};
const files = [
  'main',
  'app/function-app',
  'app/network',
  'app/app-storage',
  'app/cosmos',
  'app/key-vault',
  'app/durable-task-scheduler',
  'app/entra-app',
  'app/private-endpoint',
];

beforeAll(async () => {
  for (const file of files) trees[file] = await parseBicepFile(`infra/${file}.bicep`);
});

function declaration(file: string, name: string): BicepDeclaration {
  const found = declarationsOf(trees[file]).get(name);
  if (!found) throw new Error(`infra/${file}.bicep has no ${name}`);
  return found;
}

function decorator(file: string, parameter: string, name: string): string | undefined {
  return parametersOf(trees[file])
    .find((p) => p.name === parameter)
    ?.decoratorTexts.find((text) => text.startsWith(`@${name}(`));
}

const words = (text: string | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();

describe('regions and sizes', () => {
  it('location is limited to Flex Consumption regions, and azd asks for it as a location', () => {
    const allowed = decorator('main', 'location', 'allowed');
    expect(allowed).toMatch(/'swedencentral'/);
    expect(allowed).toMatch(/'eastus2'/);
    expect(allowed).not.toMatch(/euap/);
    expect(decorator('main', 'location', 'metadata')).toMatch(/type: 'location'/);
  });

  it('instance memory accepts exactly the sizes Flex Consumption offers, in main and in the app module', () => {
    for (const file of ['main', 'app/function-app']) {
      expect(words(decorator(file, 'instanceMemoryMB', 'allowed'))).toBe('@allowed([ 512 2048 4096 ])');
      expect(parameterDefault(trees[file], 'instanceMemoryMB')).toBe('2048');
    }
    expect(propertyText(declaration('main', 'agentsApp').body, 'params.instanceMemoryMB')).toBe(
      'instanceMemoryMB',
    );
    expect(propertyText(declaration('main', 'mcpApp').body, 'params.instanceMemoryMB')).toBe(
      'instanceMemoryMB',
    );
  });
});

describe('Durable Task Scheduler', () => {
  it('gives the Dedicated SKU its capacity and the Consumption SKU none', () => {
    const sku = words(
      propertyText(declaration('app/durable-task-scheduler', 'scheduler').body, 'properties.sku'),
    );
    expect(sku).toBe("skuName == 'Dedicated' ? { name: skuName capacity: capacity } : { name: skuName }");
    expect(propertyText(declaration('main', 'scheduler').body, 'params.capacity')).toBe(
      'durableTaskSchedulerCapacity',
    );
    // The Dedicated SKU sells at most three capacity units.
    expect(decorator('main', 'durableTaskSchedulerCapacity', 'maxValue')).toBe('@maxValue(3)');
    expect(decorator('app/durable-task-scheduler', 'capacity', 'maxValue')).toBe('@maxValue(3)');
  });

  it('purges finished histories after a bounded number of days (personal data is not kept forever)', () => {
    const retention = declaration('app/durable-task-scheduler', 'retention');
    expect(retention.type).toBe('Microsoft.DurableTask/schedulers/retentionPolicies@2025-11-01');
    expect(words(propertyText(retention.body, 'properties.retentionPolicies'))).toBe(
      '[ { retentionPeriodInDays: historyRetentionDays } ]',
    );
    expect(decorator('app/durable-task-scheduler', 'historyRetentionDays', 'maxValue')).toBe('@maxValue(90)');
    expect(decorator('main', 'durableHistoryRetentionDays', 'maxValue')).toBe('@maxValue(90)');
    expect(parameterDefault(trees.main, 'durableHistoryRetentionDays')).toBe('30');
    expect(propertyText(declaration('main', 'scheduler').body, 'params.historyRetentionDays')).toBe(
      'durableHistoryRetentionDays',
    );
  });
});

describe('host storage connection', () => {
  const storageKeys = (azureStorage: boolean): string[] =>
    [
      ...settingKeysOfVariable(trees['app/function-app'], 'storageConnection', {
        "durableBackend == 'azureStorage'": azureStorage,
      }),
    ].sort();

  it('names no queue or table endpoint on the scheduler backend, where the app has no queue or table role', () => {
    // A table URI without a role sends the host's diagnostic events into 403s.
    expect(storageKeys(false)).toEqual([
      'AzureWebJobsStorage__blobServiceUri',
      'AzureWebJobsStorage__clientId',
      'AzureWebJobsStorage__credential',
    ]);
  });

  it('adds both with the Azure Storage backend, whose roles the same option grants', () => {
    expect(storageKeys(true)).toEqual(
      expect.arrayContaining([
        'AzureWebJobsStorage__queueServiceUri',
        'AzureWebJobsStorage__tableServiceUri',
      ]),
    );
    expect(propertyText(declaration('main', 'agentsRoles').body, 'params.storageQueuesAndTables')).toBe(
      '!useScheduler',
    );
    expect(propertyText(declaration('main', 'agentsApp').body, 'params.durableBackend')).toBe(
      'durableBackend',
    );
  });
});

describe('vnetEnabled', () => {
  it('is off by default and builds the network only when on', () => {
    expect(parameterDefault(trees.main, 'vnetEnabled')).toBe('false');
    expect(declaration('main', 'network').condition).toBe('vnetEnabled');
  });

  it('gives each app its own subnet, delegated to Microsoft.App/environments, with explicit outbound', () => {
    const vnet = words(propertyText(declaration('app/network', 'vnet').body, 'properties.subnets'));
    expect(vnet).toMatch(/serviceName: 'Microsoft\.App\/environments'/);
    expect(vnet).toMatch(/natGateway: \{ id: nat\.id \}/);
    expect(propertyText(declaration('main', 'agentsApp').body, 'params.subnetId')).toBe(
      "vnetEnabled ? network!.outputs.agentsSubnetId : ''",
    );
    expect(propertyText(declaration('main', 'mcpApp').body, 'params.subnetId')).toBe(
      "vnetEnabled ? network!.outputs.mcpSubnetId : ''",
    );
    expect(
      propertyText(declaration('app/function-app', 'site').body, 'properties.virtualNetworkSubnetId'),
    ).toBe('empty(subnetId) ? null : subnetId');
  });

  it('puts storage, Cosmos DB, Key Vault and Azure OpenAI behind private endpoints and shuts their public access', () => {
    for (const [file, resource] of [
      ['app/app-storage', 'account'],
      ['app/cosmos', 'account'],
      ['app/key-vault', 'vault'],
    ] as const) {
      expect(propertyText(declaration(file, resource).body, 'properties.publicNetworkAccess'), file).toBe(
        "privateOnly ? 'Disabled' : 'Enabled'",
      );
      expect(parameterDefault(trees[file], 'privateEndpointSubnetId'), file).toBe("''");
    }
    expect(declaration('app/cosmos', 'endpoint').condition).toBe('privateOnly');
    expect(declaration('app/key-vault', 'endpoint').condition).toBe('privateOnly');
    expect(propertyText(declaration('app/cosmos', 'endpoint').body, 'params.groupId')).toBe("'Sql'");
    expect(propertyText(declaration('app/key-vault', 'endpoint').body, 'params.groupId')).toBe("'vault'");
    const openAi = declaration('main', 'openAi').body;
    expect(propertyText(openAi, 'params.publicNetworkAccess')).toBe("vnetEnabled ? 'Disabled' : 'Enabled'");
    expect(words(propertyText(openAi, 'params.privateEndpoints'))).toMatch(
      /^vnetEnabled \? \[ \{ subnetResourceId/,
    );
    for (const storage of ['agentsStorage', 'mcpStorage']) {
      expect(propertyText(declaration('main', storage).body, 'params.privateEndpointSubnetId')).toBe(
        'privateEndpointSubnetId',
      );
    }
  });

  it('registers each private endpoint in its private DNS zone', () => {
    const endpoint = declaration('app/private-endpoint', 'endpoint');
    const dns = nestedResourcesOf(endpoint.body).get('dns');
    expect(words(propertyText(dns!.body, 'properties.privateDnsZoneConfigs'))).toMatch(
      /privateDnsZoneId: privateDnsZoneId/,
    );
  });
});

describe('authEnabled (Easy Auth with Entra ID)', () => {
  it('is on by default (the web UI needs a signed-in user), and the agents app gets a registration of its own', () => {
    // Off, the deployed trips API answers the web UI 401: it takes only signed-in users and keys.
    expect(parameterDefault(trees.main, 'authEnabled')).toBe('true');
    expect(JSON.parse(readFileSync(join(REPO_ROOT, 'infra/main.parameters.json'), 'utf8'))).toMatchObject({
      parameters: { authEnabled: { value: '${AUTH_ENABLED=true}' } },
    });
    expect(declaration('main', 'entraApp').condition).toBe('authEnabled');
    expect(propertyText(declaration('main', 'agentsApp').body, 'params.authClientId')).toBe(
      "authEnabled ? entraApp!.outputs.clientId : ''",
    );
    expect(propertyText(declaration('main', 'mcpApp').body, 'params.authClientId')).toBeUndefined();
  });

  it('signs users in before any function runs, and sends browsers to the sign-in page', () => {
    const site = declaration('app/function-app', 'site');
    const auth = nestedResourcesOf(site.body).get('authentication');
    expect(auth?.condition).toBe('!empty(authClientId)');
    expect(propertyText(auth!.body, 'name')).toBe("'authsettingsV2'");
    expect(propertyText(auth!.body, 'properties.globalValidation.requireAuthentication')).toBe('true');
    expect(propertyText(auth!.body, 'properties.globalValidation.unauthenticatedClientAction')).toBe(
      "'RedirectToLoginPage'",
    );
    // The app uses the principal only: no user tokens are stored anywhere.
    expect(propertyText(auth!.body, 'properties.login.tokenStore.enabled')).toBe('false');
  });

  it('holds no client secret: the app identity is the credential (federated identity credential)', () => {
    const auth = nestedResourcesOf(declaration('app/function-app', 'site').body).get('authentication')!;
    expect(
      propertyText(
        auth.body,
        'properties.identityProviders.azureActiveDirectory.registration.clientSecretSettingName',
      ),
    ).toBe("'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID'");
    const settings = settingKeysOfVariable(trees['app/function-app'], 'authSettings');
    expect([...settings].sort()).toEqual([
      'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID',
      'WEBSITE_AUTH_AAD_ALLOWED_TENANTS',
    ]);
    const credential = declaration('app/entra-app', 'identityCredential');
    expect(propertyText(credential.body, 'subject')).toBe('identityPrincipalId');
    expect(propertyText(declaration('main', 'entraApp').body, 'params.identityPrincipalId')).toBe(
      'agentsIdentity.outputs.principalId',
    );
    expect(words(propertyText(declaration('app/entra-app', 'registration').body, 'web.redirectUris'))).toBe(
      "[ 'https://${appHostName}/.auth/login/aad/callback' ]",
    );
  });
});
