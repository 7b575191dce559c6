// Cosmos DB for NoSQL, serverless, Entra ID only. The database and both containers are created
// here: the app's `createIfNotExists` then only reads them, since Entra ID data roles cannot
// create databases or containers. Partition key and TTL match src/stores/cosmos/containers.ts.

param name string
param location string = resourceGroup().location
param tags object = {}
param databaseName string
param idempotencyContainerName string
param bookingsContainerName string

@description('Subnet for a private endpoint; set (vnetEnabled): reachable only through it.')
param privateEndpointSubnetId string = ''

@description('The private DNS zone the endpoint registers in.')
param privateDnsZoneId string = ''

var privateOnly = !empty(privateEndpointSubnetId)

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: [
      {
        name: 'EnableServerless'
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    // Keys off: data access only with Entra ID (the apps' identities, Cosmos DB Built-in Data Contributor).
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: privateOnly ? 'Disabled' : 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
  }
}

// defaultTtl -1: TTL on, nothing expires unless a record sets its own `ttl` (idempotency records do).
resource idempotency 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: idempotencyContainerName
  properties: {
    resource: {
      id: idempotencyContainerName
      partitionKey: {
        paths: [
          '/id'
        ]
        kind: 'Hash'
      }
      defaultTtl: -1
    }
  }
}

resource bookings 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: bookingsContainerName
  properties: {
    resource: {
      id: bookingsContainerName
      partitionKey: {
        paths: [
          '/id'
        ]
        kind: 'Hash'
      }
      defaultTtl: -1
    }
  }
}

module endpoint 'private-endpoint.bicep' = if (privateOnly) {
  name: '${name}-pe'
  params: {
    name: 'pe-${name}'
    location: location
    tags: tags
    resourceId: account.id
    groupId: 'Sql'
    subnetId: privateEndpointSubnetId
    privateDnsZoneId: privateDnsZoneId
  }
}

output name string = account.name
output id string = account.id
output endpoint string = account.properties.documentEndpoint
