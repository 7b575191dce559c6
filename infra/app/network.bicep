// The private network (vnetEnabled): one subnet per function app, delegated to
// Microsoft.App/environments as Flex Consumption requires, a subnet for private endpoints, a NAT
// gateway for the apps' outbound calls to public endpoints (Application Insights ingestion, the
// Durable Task Scheduler, Entra ID), and the private DNS zones the private endpoints register in,
// linked to the network. Follows Microsoft's Flex Consumption samples (vnet.bicep and
// storage-PrivateEndpoint.bicep in Azure-Samples/remote-mcp-functions-typescript).

param name string
param location string = resourceGroup().location
param tags object = {}

@description('Private DNS zones to create and link (one per private endpoint group in use).')
param privateDnsZoneNames array

var appSubnets = [
  {
    name: 'snet-agents'
    prefix: '10.40.1.0/24'
  }
  {
    name: 'snet-mcp'
    prefix: '10.40.2.0/24'
  }
]

resource natIp 'Microsoft.Network/publicIPAddresses@2024-05-01' = {
  name: 'pip-nat-${name}'
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    publicIPAllocationMethod: 'Static'
  }
}

// Explicit outbound for the app subnets: default outbound access is being retired for new networks.
resource nat 'Microsoft.Network/natGateways@2024-05-01' = {
  name: 'ng-${name}'
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    idleTimeoutInMinutes: 4
    publicIpAddresses: [
      {
        id: natIp.id
      }
    ]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.40.0.0/16'
      ]
    }
    subnets: concat(
      [
        for subnet in appSubnets: {
          name: subnet.name
          properties: {
            addressPrefix: subnet.prefix
            natGateway: {
              id: nat.id
            }
            defaultOutboundAccess: false
            delegations: [
              {
                name: 'flex-consumption'
                properties: {
                  serviceName: 'Microsoft.App/environments'
                }
              }
            ]
          }
        }
      ],
      [
        {
          name: 'snet-private-endpoints'
          properties: {
            addressPrefix: '10.40.10.0/24'
            privateEndpointNetworkPolicies: 'Disabled'
            defaultOutboundAccess: false
          }
        }
      ]
    )
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for zone in privateDnsZoneNames: {
    name: zone
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (zone, i) in privateDnsZoneNames: {
    parent: zones[i]
    name: '${name}-link'
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

output vnetId string = vnet.id
output agentsSubnetId string = '${vnet.id}/subnets/snet-agents'
output mcpSubnetId string = '${vnet.id}/subnets/snet-mcp'
output privateEndpointSubnetId string = '${vnet.id}/subnets/snet-private-endpoints'
// Zone resource ids by zone name (available once the module, zones and links included, is done).
output privateDnsZoneIds object = toObject(
  privateDnsZoneNames,
  zone => zone,
  zone => resourceId('Microsoft.Network/privateDnsZones', zone)
)
