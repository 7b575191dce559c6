// Waypoint on Azure: two Flex Consumption function apps (the agents app and the MCP tool servers),
// the Durable Task Scheduler, Cosmos DB, Azure OpenAI, Key Vault and Azure Monitor. Keyless: every
// app reaches every service with its user-assigned managed identity (see infra/README.md).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it seeds the unique token in every resource name.')
param environmentName string

// Regions that offer Flex Consumption (as listed in Microsoft's Flex Consumption samples,
// Azure-Samples/remote-mcp-functions-typescript). The preprovision hook checks live that the region
// also offers the Durable Task Scheduler and that the model has quota (infra/hooks/).
@minLength(1)
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@description('Primary location for all resources (a region that offers Flex Consumption and the Durable Task Scheduler).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the user or service principal running azd: gets data roles for local runs against the cloud resources. Empty: none.')
param principalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
])
@description('Kind of principal behind principalId (ServicePrincipal in CI).')
param principalType string = 'User'

@allowed([
  'durableTaskScheduler'
  'azureStorage'
])
@description('Durable Functions backend: the Durable Task Scheduler (default, see README) or the Azure Storage provider.')
param durableBackend string = 'durableTaskScheduler'

@allowed([
  'Consumption'
  'Dedicated'
])
@description('Durable Task Scheduler SKU: Consumption (pay per action) or Dedicated (capacity units, higher sustained throughput).')
param durableTaskSchedulerSku string = 'Consumption'

@minValue(1)
@maxValue(3)
@description('Capacity units when durableTaskSchedulerSku is Dedicated (up to 3; high availability needs 3).')
param durableTaskSchedulerCapacity int = 1

@minValue(1)
@maxValue(90)
@description('Days the scheduler keeps a finished run\'s history (it holds travellers\' names and e-mail addresses); at most 30 on the Consumption SKU, 90 on Dedicated.')
param durableHistoryRetentionDays int = 30

@description('Private network: the apps reach storage, Cosmos DB, Key Vault and Azure OpenAI only through private endpoints; those services refuse public traffic.')
param vnetEnabled bool = false

@description('Sign users in with Entra ID on the agents app (App Service authentication), so the web UI works after azd up; creates an app registration (Microsoft Graph Bicep extension). False where you cannot register applications: then only service clients with keys reach the trips API.')
param authEnabled bool = true

@allowed([
  512
  2048
  4096
])
@description('Instance memory of each app in MB (the sizes Flex Consumption offers).')
param instanceMemoryMB int = 2048

@description('The agents app\'s Durable task hub: its TASKHUB_NAME setting, which host.json names as %TASKHUB_NAME%.')
param taskHubName string = 'WaypointHub'

@description('Deploy an Azure OpenAI account with a chat model deployment. False: use existingOpenAiEndpoint.')
param deployOpenAi bool = true

@description('Endpoint of an existing Azure OpenAI account (https://<name>.openai.azure.com/) when deployOpenAi is false.')
param existingOpenAiEndpoint string = ''

@description('Deployment name on the existing Azure OpenAI account when deployOpenAi is false.')
param existingOpenAiDeployment string = ''

@description('Region of the Azure OpenAI account; empty: the primary location.')
param openAiLocation string = ''

@description('Chat model to deploy (it must have a price in src/models/pricing.ts, or set MODEL_PRICES_JSON).')
param modelName string = 'gpt-4.1-mini'

@description('Version of the chat model.')
param modelVersion string = '2025-04-14'

@minValue(1)
@description('Capacity of the model deployment in thousands of tokens per minute (GlobalStandard).')
param modelCapacity int = 30

@secure()
@description('Service clients of the trips API: name=<SHA-256 hex of the key>, comma-separated. Hashes only, never keys (see src/travel/api/caller.ts).')
param tripsClientKeys string = ''

@secure()
@minLength(16)
@description('Shared key of the MCP tool servers; generated once by the preprovision hook and stored in Key Vault.')
param mcpServerKey string

@description('Key Vault purge protection (default on): nobody, not even an owner, can purge the vault or its secret before the 7-day retention ends. Off only for throwaway environments: once on, it stays on for that vault.')
param keyVaultPurgeProtection bool = true

@description('Cosmos DB database and containers (the app creates nothing at run time: Entra ID data roles cannot).')
param cosmosDatabaseName string = 'waypoint'
param cosmosIdempotencyContainerName string = 'idempotency'
param cosmosBookingsContainerName string = 'bookings'

@minValue(40)
@maxValue(1000)
@description('Upper bound of instances per function app (Flex Consumption).')
param maximumInstanceCount int = 100

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var useScheduler = durableBackend == 'durableTaskScheduler'
var agentsAppName = '${abbrs.webSitesFunctions}agents-${resourceToken}'
var mcpAppName = '${abbrs.webSitesFunctions}mcp-${resourceToken}'
// Flex Consumption deploys each app from a blob container in its own storage account.
var agentsPackageContainer = 'app-package-agents-${take(resourceToken, 7)}'
var mcpPackageContainer = 'app-package-mcp-${take(resourceToken, 7)}'
// Private DNS zones for the private endpoints in use (vnetEnabled).
var blobZone = 'privatelink.blob.${environment().suffixes.storage}'
var queueZone = 'privatelink.queue.${environment().suffixes.storage}'
var tableZone = 'privatelink.table.${environment().suffixes.storage}'
var cosmosZone = 'privatelink.documents.azure.com'
var keyVaultZone = 'privatelink.vaultcore.azure.net'
var openAiZone = 'privatelink.openai.azure.com'
var privateDnsZoneNames = concat(
  [
    blobZone
    cosmosZone
    keyVaultZone
  ],
  useScheduler
    ? []
    : [
        queueZone
        tableZone
      ],
  deployOpenAi
    ? [
        openAiZone
      ]
    : []
)
var zoneIds = vnetEnabled ? network!.outputs.privateDnsZoneIds : {}
var storageZoneIds = vnetEnabled
  ? {
      blob: zoneIds[blobZone]
      queue: useScheduler ? '' : zoneIds[queueZone]
      table: useScheduler ? '' : zoneIds[tableZone]
    }
  : {}
var privateEndpointSubnetId = vnetEnabled ? network!.outputs.privateEndpointSubnetId : ''
var openAiEndpoint = deployOpenAi ? openAi!.outputs.endpoint : existingOpenAiEndpoint
var openAiDeployment = deployOpenAi ? modelName : existingOpenAiDeployment

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

// One identity per app, so each holds only the roles its own app needs.
module agentsIdentity 'br/public:avm/res/managed-identity/user-assigned-identity:0.4.1' = {
  name: 'agentsIdentity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}agents-${resourceToken}'
    location: location
    tags: tags
  }
}

module mcpIdentity 'br/public:avm/res/managed-identity/user-assigned-identity:0.4.1' = {
  name: 'mcpIdentity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}mcp-${resourceToken}'
    location: location
    tags: tags
  }
}

module network 'app/network.bicep' = if (vnetEnabled) {
  name: 'network'
  scope: rg
  params: {
    name: '${abbrs.networkVirtualNetworks}${resourceToken}'
    location: location
    tags: tags
    privateDnsZoneNames: privateDnsZoneNames
  }
}

// One storage account per app: its AzureWebJobsStorage (host locks and keys) and its deployment
// package. Neither identity can read or replace the other app's package or host keys.
module agentsStorage 'app/app-storage.bicep' = {
  name: 'agentsStorage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}agents${resourceToken}'
    location: location
    tags: tags
    packageContainerName: agentsPackageContainer
    privateEndpointSubnetId: privateEndpointSubnetId
    privateDnsZoneIds: storageZoneIds
    queuesAndTables: !useScheduler
  }
}

module mcpStorage 'app/app-storage.bicep' = {
  name: 'mcpStorage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}mcp${resourceToken}'
    location: location
    tags: tags
    packageContainerName: mcpPackageContainer
    privateEndpointSubnetId: privateEndpointSubnetId
    privateDnsZoneIds: storageZoneIds
  }
}

module logAnalytics 'br/public:avm/res/operational-insights/workspace:0.11.1' = {
  name: 'logAnalytics'
  scope: rg
  params: {
    name: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    location: location
    tags: tags
    dataRetention: 30
  }
}

// Local auth off: telemetry is accepted only with an Entra ID token (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).
module monitoring 'br/public:avm/res/insights/component:0.6.0' = {
  name: 'monitoring'
  scope: rg
  params: {
    name: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
    workspaceResourceId: logAnalytics.outputs.resourceId
    disableLocalAuth: true
  }
}

module cosmos 'app/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    name: '${abbrs.documentDBDatabaseAccounts}${resourceToken}'
    location: location
    tags: tags
    databaseName: cosmosDatabaseName
    idempotencyContainerName: cosmosIdempotencyContainerName
    bookingsContainerName: cosmosBookingsContainerName
    privateEndpointSubnetId: privateEndpointSubnetId
    privateDnsZoneId: vnetEnabled ? zoneIds[cosmosZone] : ''
  }
}

module scheduler 'app/durable-task-scheduler.bicep' = if (useScheduler) {
  name: 'durableTaskScheduler'
  scope: rg
  params: {
    name: '${abbrs.durableTaskSchedulers}${resourceToken}'
    location: location
    tags: tags
    skuName: durableTaskSchedulerSku
    capacity: durableTaskSchedulerCapacity
    historyRetentionDays: durableHistoryRetentionDays
    // Only the agents app runs Durable functions (WAYPOINT_APP_ROLE=mcp registers none).
    taskHubNames: [
      taskHubName
    ]
  }
}

module openAi 'br/public:avm/res/cognitive-services/account:0.9.0' = if (deployOpenAi) {
  name: 'openAi'
  scope: rg
  params: {
    name: '${abbrs.cognitiveServicesAccounts}${resourceToken}'
    location: empty(openAiLocation) ? location : openAiLocation
    tags: tags
    kind: 'OpenAI'
    sku: 'S0'
    customSubDomainName: '${abbrs.cognitiveServicesAccounts}${resourceToken}'
    publicNetworkAccess: vnetEnabled ? 'Disabled' : 'Enabled'
    disableLocalAuth: true
    privateEndpoints: vnetEnabled
      ? [
          {
            subnetResourceId: privateEndpointSubnetId
            privateDnsZoneGroup: {
              privateDnsZoneGroupConfigs: [
                {
                  privateDnsZoneResourceId: zoneIds[openAiZone]
                }
              ]
            }
          }
        ]
      : []
    deployments: [
      {
        name: modelName
        model: {
          format: 'OpenAI'
          name: modelName
          version: modelVersion
        }
        sku: {
          name: 'GlobalStandard'
          capacity: modelCapacity
        }
      }
    ]
  }
}

module keyVault 'app/key-vault.bicep' = {
  name: 'keyVault'
  scope: rg
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    mcpServerKey: mcpServerKey
    purgeProtection: keyVaultPurgeProtection
    privateEndpointSubnetId: privateEndpointSubnetId
    privateDnsZoneId: vnetEnabled ? zoneIds[keyVaultZone] : ''
  }
}

// The settings each app reads (the settings check in test/unit/infra compares them with the code).
// Both apps run the same package; WAYPOINT_APP_ROLE makes each register only its own functions
// (src/app-role.ts): the agents app plans trips and calls the tools over MCP; the MCP app serves
// the tools at /api/mcp/{server} and books through the bookings store.
var sharedSettings = {
  COSMOS_ENDPOINT: cosmos.outputs.endpoint
  COSMOS_DATABASE: cosmosDatabaseName
  COSMOS_IDEMPOTENCY_CONTAINER: cosmosIdempotencyContainerName
  COSMOS_BOOKINGS_CONTAINER: cosmosBookingsContainerName
  STORE_BACKEND: 'cosmos'
  MCP_SERVER_KEY: keyVault.outputs.mcpServerKeyReference
  MCP_ALLOW_ANONYMOUS: 'false'
  // Every trips API caller signs in or presents a client key: never the local development user.
  TRIPS_REQUIRE_AUTH: 'true'
  WAYPOINT_ENVIRONMENT: environmentName
  LOG_FORMAT: 'json'
  LOG_LEVEL: 'info'
  // The app serves its web UI at `/` (host.json's route prefix is empty); without this the
  // Functions host answers `/` with its own default page.
  AzureWebJobsDisableHomepage: 'true'
}

var agentsSettings = union(sharedSettings, {
  WAYPOINT_APP_ROLE: 'agents'
  OTEL_SERVICE_NAME: 'waypoint-agents'
  MODEL_PROVIDER: 'azure-openai'
  MODEL_NAME: modelName
  AZURE_OPENAI_ENDPOINT: openAiEndpoint
  AZURE_OPENAI_DEPLOYMENT: openAiDeployment
  AZURE_CLIENT_ID: agentsIdentity.outputs.clientId
  MCP_BASE_URL: 'https://${mcpApp.outputs.defaultHostName}/api/mcp'
  TRIPS_CLIENT_KEYS: tripsClientKeys
})

var mcpSettings = union(sharedSettings, {
  WAYPOINT_APP_ROLE: 'mcp'
  OTEL_SERVICE_NAME: 'waypoint-mcp'
  AZURE_CLIENT_ID: mcpIdentity.outputs.clientId
})

module mcpApp 'app/function-app.bicep' = {
  name: 'mcpApp'
  scope: rg
  // Its roles first: the app reads its package, its host storage and its Key Vault reference
  // with its identity as soon as it exists.
  dependsOn: [
    mcpRoles
  ]
  params: {
    name: mcpAppName
    planName: '${abbrs.webServerFarms}mcp-${resourceToken}'
    serviceName: 'mcp'
    location: location
    tags: tags
    identityId: mcpIdentity.outputs.resourceId
    identityClientId: mcpIdentity.outputs.clientId
    storageAccountName: mcpStorage.outputs.name
    deploymentContainerName: mcpPackageContainer
    applicationInsightsName: monitoring.outputs.name
    // No Durable functions here: no task hub, no scheduler connection or role.
    durableBackend: 'none'
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    subnetId: vnetEnabled ? network!.outputs.mcpSubnetId : ''
    appSettings: mcpSettings
  }
}

// The registration users sign in with (authEnabled). Its callback is the agents app's default
// host name, which Flex Consumption derives from the app's name.
module entraApp 'app/entra-app.bicep' = if (authEnabled) {
  name: 'entraApp'
  scope: rg
  params: {
    uniqueName: 'waypoint-${resourceToken}'
    displayName: 'Waypoint (${environmentName})'
    appHostName: '${agentsAppName}.azurewebsites.net'
    identityPrincipalId: agentsIdentity.outputs.principalId
  }
}

module agentsApp 'app/function-app.bicep' = {
  name: 'agentsApp'
  scope: rg
  // Its roles first: the app reads its package, its host storage and its Key Vault reference
  // with its identity as soon as it exists.
  dependsOn: [
    agentsRoles
  ]
  params: {
    name: agentsAppName
    planName: '${abbrs.webServerFarms}agents-${resourceToken}'
    serviceName: 'agents'
    location: location
    tags: tags
    identityId: agentsIdentity.outputs.resourceId
    identityClientId: agentsIdentity.outputs.clientId
    storageAccountName: agentsStorage.outputs.name
    deploymentContainerName: agentsPackageContainer
    applicationInsightsName: monitoring.outputs.name
    durableBackend: durableBackend
    schedulerEndpoint: useScheduler ? scheduler!.outputs.endpoint : ''
    taskHubName: taskHubName
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    subnetId: vnetEnabled ? network!.outputs.agentsSubnetId : ''
    authClientId: authEnabled ? entraApp!.outputs.clientId : ''
    authAudiences: authEnabled
      ? [
          entraApp!.outputs.identifierUri
        ]
      : []
    appSettings: agentsSettings
  }
}

// Data-plane roles, each on the narrowest scope that works (see README: roles and why).
module agentsRoles 'app/rbac.bicep' = {
  name: 'agentsRoles'
  scope: rg
  params: {
    principalId: agentsIdentity.outputs.principalId
    principalType: 'ServicePrincipal'
    storageAccountName: agentsStorage.outputs.name
    storageQueuesAndTables: !useScheduler
    applicationInsightsName: monitoring.outputs.name
    cosmosAccountName: cosmos.outputs.name
    cosmosDatabaseName: cosmosDatabaseName
    schedulerName: useScheduler ? scheduler!.outputs.name : ''
    taskHubName: taskHubName
    openAiAccountName: deployOpenAi ? openAi!.outputs.name : ''
    keyVaultName: keyVault.outputs.name
  }
}

module mcpRoles 'app/rbac.bicep' = {
  name: 'mcpRoles'
  scope: rg
  params: {
    principalId: mcpIdentity.outputs.principalId
    principalType: 'ServicePrincipal'
    storageAccountName: mcpStorage.outputs.name
    storageQueuesAndTables: false
    applicationInsightsName: monitoring.outputs.name
    cosmosAccountName: cosmos.outputs.name
    cosmosDatabaseName: cosmosDatabaseName
    schedulerName: ''
    taskHubName: ''
    openAiAccountName: ''
    keyVaultName: keyVault.outputs.name
  }
}

// The developer running azd: what `func start` against the cloud needs (Cosmos, the model), and
// reading the MCP key back so later provisions keep it. No storage or scheduler roles: local runs
// keep their Durable state in Azurite, never in the cloud task hub the deployed app is serving.
module developerRoles 'app/rbac.bicep' = if (!empty(principalId)) {
  name: 'developerRoles'
  scope: rg
  params: {
    principalId: principalId
    principalType: principalType
    storageAccountName: ''
    storageQueuesAndTables: false
    applicationInsightsName: ''
    cosmosAccountName: cosmos.outputs.name
    cosmosDatabaseName: cosmosDatabaseName
    schedulerName: ''
    taskHubName: ''
    openAiAccountName: deployOpenAi ? openAi!.outputs.name : ''
    keyVaultName: keyVault.outputs.name
  }
}

// azd stores these in the environment (.azure/<env>/.env); the postprovision hook reads them.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output SERVICE_AGENTS_NAME string = agentsApp.outputs.name
output SERVICE_AGENTS_URI string = 'https://${agentsApp.outputs.defaultHostName}'
output SERVICE_MCP_NAME string = mcpApp.outputs.name
output SERVICE_MCP_URI string = 'https://${mcpApp.outputs.defaultHostName}'
output AGENTS_IDENTITY_PRINCIPAL_ID string = agentsIdentity.outputs.principalId
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output COSMOS_DATABASE string = cosmosDatabaseName
output COSMOS_IDEMPOTENCY_CONTAINER string = cosmosIdempotencyContainerName
output COSMOS_BOOKINGS_CONTAINER string = cosmosBookingsContainerName
output AZURE_OPENAI_ENDPOINT string = openAiEndpoint
output AZURE_OPENAI_DEPLOYMENT string = openAiDeployment
output MODEL_NAME string = modelName
output DURABLE_BACKEND string = durableBackend
output DURABLE_TASK_SCHEDULER_ENDPOINT string = useScheduler ? scheduler!.outputs.endpoint : ''
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.name
output AUTH_CLIENT_ID string = authEnabled ? entraApp!.outputs.clientId : ''
