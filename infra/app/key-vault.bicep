// Key Vault for the one shared secret the app needs: the MCP servers' key (see README). RBAC
// authorization only; the apps read it through Key Vault references with their identities.

param name string
param location string = resourceGroup().location
param tags object = {}

@secure()
param mcpServerKey string

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
    publicNetworkAccess: 'Enabled'
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

output name string = vault.name
// Versioned: a new key changes the setting, which restarts the apps with it.
output mcpServerKeyReference string = '@Microsoft.KeyVault(SecretUri=${mcpKey.properties.secretUriWithVersion})'
