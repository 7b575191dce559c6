// Key Vault for the one shared secret the app needs: the MCP servers' key (see README). RBAC
// authorization only; the apps read it through Key Vault references with their identities.

param name string
param location string = resourceGroup().location
param tags object = {}

@secure()
param mcpServerKey string

@description('Subnet for a private endpoint; set (vnetEnabled): reachable only through it.')
param privateEndpointSubnetId string = ''

@description('The private DNS zone the endpoint registers in.')
param privateDnsZoneId string = ''

var privateOnly = !empty(privateEndpointSubnetId)

@description('Purge protection: a deleted vault or secret cannot be purged before its retention ends. It cannot be turned off again once on.')
param purgeProtection bool = true

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    // true or absent: the API refuses `false`.
    enablePurgeProtection: purgeProtection ? true : null
    publicNetworkAccess: privateOnly ? 'Disabled' : 'Enabled'
    networkAcls: {
      defaultAction: privateOnly ? 'Deny' : 'Allow'
      // Trusted services only (Bicep writing the secret through Azure Resource Manager).
      bypass: 'AzureServices'
    }
  }
}

resource mcpKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'mcp-server-key'
  properties: {
    value: mcpServerKey
    contentType: 'text/plain'
  }
}

module endpoint 'private-endpoint.bicep' = if (privateOnly) {
  name: '${name}-pe'
  params: {
    name: 'pe-${name}'
    location: location
    tags: tags
    resourceId: vault.id
    groupId: 'vault'
    subnetId: privateEndpointSubnetId
    privateDnsZoneId: privateDnsZoneId
  }
}

output name string = vault.name
output id string = vault.id
// Versioned: a new key changes the setting, which restarts the apps with it.
output mcpServerKeyReference string = '@Microsoft.KeyVault(SecretUri=${mcpKey.properties.secretUriWithVersion})'
