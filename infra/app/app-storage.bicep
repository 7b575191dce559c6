// One function app's own storage account: its AzureWebJobsStorage (host locks, keys) and the blob
// container Flex Consumption deploys its package from. One account per app, so an app identity
// that is Blob Data Owner here can read or replace nothing of the other app's.

param name string
param location string = resourceGroup().location
param tags object = {}

@description('Blob container that holds the app\'s deployment package.')
param packageContainerName string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    // Entra ID only: no account keys, no SAS, no anonymous blobs.
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    dnsEndpointType: 'Standard'
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobs 'blobServices' = {
    name: 'default'

    resource packages 'containers' = {
      name: packageContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }
}

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
