// One private endpoint for one sub-resource (blob, Sql, vault, account…) of a resource, registered
// in its private DNS zone so the resource's public name resolves to the private address inside
// the network.

param name string
param location string = resourceGroup().location
param tags object = {}

@description('Resource id of the resource the endpoint connects to.')
param resourceId string

@description('The private link group: blob, queue, table, Sql, vault, account.')
param groupId string

param subnetId string

@description('Resource id of the private DNS zone for this group.')
param privateDnsZoneId string

resource endpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: name
        properties: {
          privateLinkServiceId: resourceId
          groupIds: [
            groupId
          ]
        }
      }
    ]
  }

  resource dns 'privateDnsZoneGroups' = {
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: groupId
          properties: {
            privateDnsZoneId: privateDnsZoneId
          }
        }
      ]
    }
  }
}
