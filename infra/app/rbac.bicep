// The data-plane roles of one principal, each on the narrowest scope that works. An empty resource
// name skips that role, so the same module serves an app identity and the developer running azd.

param principalId string

@allowed([
  'User'
  'ServicePrincipal'
])
param principalType string

@description('AzureWebJobsStorage account; empty: no storage roles.')
param storageAccountName string

@description('Queue and table roles: only the Azure Storage Durable backend keeps state there.')
param storageQueuesAndTables bool

@description('Application Insights component; empty: no metrics publisher role.')
param applicationInsightsName string

@description('Cosmos DB account; empty: no data role.')
param cosmosAccountName string

@description('The database the data role is limited to.')
param cosmosDatabaseName string

@description('Durable Task Scheduler; empty: no task hub role.')
param schedulerName string

@description('The task hub the role is limited to.')
param taskHubName string

@description('Azure OpenAI account; empty: no model role (e.g. an existing endpoint: grant it there).')
param openAiAccountName string

@description('Key Vault holding the MCP server key; empty: no secret role.')
param keyVaultName string

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  cognitiveServicesOpenAiUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'
  durableTaskDataContributor: '0ad04412-c4d5-4796-b79c-f76d14c8d402'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}
// Cosmos DB's own data-plane role (not an Azure RBAC role): Cosmos DB Built-in Data Contributor.
var cosmosBuiltInDataContributor = '00000000-0000-0000-0000-000000000002'

var withStorage = !empty(storageAccountName)
var withQueuesAndTables = withStorage && storageQueuesAndTables
var withMonitoring = !empty(applicationInsightsName)
var withCosmos = !empty(cosmosAccountName)
var withScheduler = !empty(schedulerName)
var withOpenAi = !empty(openAiAccountName)
var withKeyVault = !empty(keyVaultName)

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = if (withStorage) {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = if (withMonitoring) {
  name: applicationInsightsName
}

resource cosmosAccount 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = if (withCosmos) {
  name: cosmosAccountName
}

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' existing = if (withScheduler) {
  name: schedulerName

  resource taskHub 'taskHubs' existing = {
    name: taskHubName
  }
}

resource openAi 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = if (withOpenAi) {
  name: openAiAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = if (withKeyVault) {
  name: keyVaultName
}

// Blob Data Owner, as the Functions host requires for its locks and keys in AzureWebJobsStorage
// and for reading the deployment package.
resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (withStorage) {
  name: guid(storage.id, principalId, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: principalId
    principalType: principalType
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (withQueuesAndTables) {
  name: guid(storage.id, principalId, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: principalId
    principalType: principalType
  }
}

resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (withQueuesAndTables) {
  name: guid(storage.id, principalId, roles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: principalId
    principalType: principalType
  }
}

// Entra ID telemetry ingestion (Application Insights with local auth off).
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (withMonitoring) {
  name: guid(applicationInsights.id, principalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: principalId
    principalType: principalType
  }
}

// Read and write items in the Waypoint database only (not the whole account).
resource cosmosDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = if (withCosmos) {
  parent: cosmosAccount
  name: guid(cosmosAccount.id, principalId, cosmosBuiltInDataContributor)
  properties: {
    roleDefinitionId: '${cosmosAccount.id}/sqlRoleDefinitions/${cosmosBuiltInDataContributor}'
    principalId: principalId
    scope: '${cosmosAccount.id}/dbs/${cosmosDatabaseName}'
  }
}

// Orchestrations, activities and the management API on this app's task hub only.
resource taskHubContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (withScheduler) {
  name: guid(scheduler::taskHub.id, principalId, roles.durableTaskDataContributor)
  scope: scheduler::taskHub
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.durableTaskDataContributor)
    principalId: principalId
    principalType: principalType
  }
}

// Chat completions with an Entra ID token; no key listing, no management.
resource openAiUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (withOpenAi) {
  name: guid(openAi.id, principalId, roles.cognitiveServicesOpenAiUser)
  scope: openAi
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.cognitiveServicesOpenAiUser)
    principalId: principalId
    principalType: principalType
  }
}

// Read secret values (the MCP key's Key Vault reference); no listing of keys or certificates.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (withKeyVault) {
  name: guid(vault.id, principalId, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: principalId
    principalType: principalType
  }
}
