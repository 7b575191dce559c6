/**
 * Each app's identity reaches only its own storage: its own account for AzureWebJobsStorage and its
 * deployment package, Blob Data Owner there and nowhere else; the Key Vault holding the MCP key
 * cannot be purged. Read from the Bicep syntax trees (nothing compiles Bicep here).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  declarationsOf,
  nestedResourcesOf,
  parameterDefault,
  parseBicepFile,
  propertyText,
  REPO_ROOT,
  type BicepDeclaration,
} from './bicep';

let main: Map<string, BicepDeclaration>;
let mainParameters: Awaited<ReturnType<typeof parseBicepFile>>;

beforeAll(async () => {
  mainParameters = await parseBicepFile('infra/main.bicep');
  main = declarationsOf(mainParameters);
});

function module(name: string): BicepDeclaration {
  const found = main.get(name);
  if (!found) throw new Error(`main.bicep has no module ${name}`);
  return found;
}

describe.each([
  { app: 'agentsApp', roles: 'agentsRoles', storage: 'agentsStorage', other: 'mcpStorage' },
  { app: 'mcpApp', roles: 'mcpRoles', storage: 'mcpStorage', other: 'agentsStorage' },
])('$app', ({ app, roles, storage, other }) => {
  it('runs from its own storage account (host storage and deployment package)', () => {
    expect(propertyText(module(app).body, 'params.storageAccountName')).toBe(`${storage}.outputs.name`);
    expect(module(storage).type).toBe('app/app-storage.bicep');
    expect(propertyText(module(storage).body, 'params.name')).not.toBe(
      propertyText(module(other).body, 'params.name'),
    );
  });

  it('gets its storage roles on that account only', () => {
    expect(propertyText(module(roles).body, 'params.storageAccountName')).toBe(`${storage}.outputs.name`);
  });
});

describe('storage and roles modules', () => {
  it('the app storage account takes Entra ID only and holds the package container', async () => {
    const storage = declarationsOf(await parseBicepFile('infra/app/app-storage.bicep')).get('account');
    expect(storage).toBeDefined();
    expect(propertyText(storage!.body, 'properties.allowSharedKeyAccess')).toBe('false');
    expect(propertyText(storage!.body, 'properties.allowBlobPublicAccess')).toBe('false');
    const nested = nestedResourcesOf(storage!.body);
    expect(propertyText(nested.get('packages')!.body, 'name')).toBe('packageContainerName');
  });

  it('Blob Data Owner is scoped to the storage account the module is given', async () => {
    const rbac = declarationsOf(await parseBicepFile('infra/app/rbac.bicep'));
    expect(propertyText(rbac.get('blobOwner')!.body, 'scope')).toBe('storage');
    expect(propertyText(rbac.get('storage')!.body, 'name')).toBe('storageAccountName');
  });

  it('the function app deploys from a container of its own storage account, with its own identity', async () => {
    const functionApp = declarationsOf(await parseBicepFile('infra/app/function-app.bicep'));
    const site = functionApp.get('site')!;
    expect(propertyText(site.body, 'properties.functionAppConfig.deployment.storage.value')).toBe(
      "'${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'",
    );
    expect(
      propertyText(
        site.body,
        'properties.functionAppConfig.deployment.storage.authentication.userAssignedIdentityResourceId',
      ),
    ).toBe('identityId');
    expect(propertyText(functionApp.get('storage')!.body, 'name')).toBe('storageAccountName');
  });
});

describe('Key Vault', () => {
  it('has purge protection on by default (only true or absent: the API refuses false)', async () => {
    const tree = await parseBicepFile('infra/app/key-vault.bicep');
    const vault = declarationsOf(tree).get('vault')!;
    expect(propertyText(vault.body, 'properties.enablePurgeProtection')).toBe(
      'purgeProtection ? true : null',
    );
    expect(propertyText(vault.body, 'properties.enableSoftDelete')).toBe('true');
    expect(parameterDefault(tree, 'purgeProtection')).toBe('true');
    expect(parameterDefault(mainParameters, 'keyVaultPurgeProtection')).toBe('true');
    expect(propertyText(module('keyVault').body, 'params.purgeProtection')).toBe('keyVaultPurgeProtection');
  });
});

describe('one role per app (WAYPOINT_APP_ROLE)', () => {
  const settingsText = (): string => readFileSync(join(REPO_ROOT, 'infra/main.bicep'), 'utf8');

  it('each app gets its role', () => {
    expect(settingsText()).toMatch(
      /var agentsSettings = union\(sharedSettings, \{\n\s+WAYPOINT_APP_ROLE: 'agents'/,
    );
    expect(settingsText()).toMatch(
      /var mcpSettings = union\(sharedSettings, \{\n\s+WAYPOINT_APP_ROLE: 'mcp'/,
    );
  });

  it('the MCP app runs no Durable functions: no task hub, no scheduler connection, no scheduler role', () => {
    expect(propertyText(module('mcpApp').body, 'params.durableBackend')).toBe("'none'");
    expect(propertyText(module('mcpApp').body, 'params.taskHubName')).toBeUndefined();
    expect(propertyText(module('mcpRoles').body, 'params.schedulerName')).toBe("''");
    expect(propertyText(module('mcpRoles').body, 'params.storageQueuesAndTables')).toBe('false');
    expect(propertyText(module('scheduler').body, 'params.taskHubNames')?.replace(/\s+/g, ' ')).toBe(
      '[ taskHubName ]',
    );
  });

  it('the agents app has the task hub and reaches the tool servers over HTTP', () => {
    expect(propertyText(module('agentsApp').body, 'params.durableBackend')).toBe('durableBackend');
    expect(propertyText(module('agentsApp').body, 'params.taskHubName')).toBe('taskHubName');
    expect(settingsText()).toMatch(
      /MCP_BASE_URL: 'https:\/\/\$\{mcpApp\.outputs\.defaultHostName\}\/api\/mcp'/,
    );
  });
});

describe('deployment order', () => {
  it.each([
    ['agentsApp', 'agentsRoles'],
    ['mcpApp', 'mcpRoles'],
  ])('%s waits for its role assignments (%s)', (app, roles) => {
    expect(propertyText(module(app).body, 'dependsOn')?.replace(/\s+/g, ' ')).toBe(`[ ${roles} ]`);
  });
});
