// One function app's own storage account: its AzureWebJobsStorage (host locks, keys) and the blob
// container Flex Consumption deploys its package from. One account per app, so an app identity
// that is Blob Data Owner here can read or replace nothing of the other app's.

param name string
param location string = resourceGroup().location
param tags object = {}

@description('Blob container that holds the app\'s deployment package.')
param packageContainerName string

@description('Subnet for private endpoints; set (vnetEnabled): the account is reachable only through them.')
param privateEndpointSubnetId string = ''

@description('Private DNS zone ids by storage service: blob, queue, table.')
param privateDnsZoneIds object = {}

@description('Queue and table endpoints too (the azureStorage Durable backend keeps its state there).')
param queuesAndTables bool = false

var privateOnly = !empty(privateEndpointSubnetId)
var privateServices = privateOnly ? concat(['blob'], queuesAndTables ? ['queue', 'table'] : []) : []

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
    publicNetworkAccess: privateOnly ? 'Disabled' : 'Enabled'
    networkAcls: {
      defaultAction: privateOnly ? 'Deny' : 'Allow'
      bypass: privateOnly ? 'None' : 'AzureServices'
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

module endpoints 'private-endpoint.bicep' = [
  for service in privateServices: {
    name: '${name}-pe-${service}'
    params: {
      name: 'pe-${service}-${name}'
      location: location
      tags: tags
      resourceId: account.id
      groupId: service
      subnetId: privateEndpointSubnetId
      privateDnsZoneId: privateDnsZoneIds[service]
    }
  }
]

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
