// The Entra ID app registration that signs users in to the agents app (App Service
// authentication, "Easy Auth"), made with the Microsoft Graph Bicep extension. Keyless: no client
// secret; the app's user-assigned identity proves the app to Entra ID through a federated identity
// credential (OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID), as Microsoft's Flex Consumption MCP samples
// do (infra/app/entra.bicep in Azure-Samples/remote-mcp-functions-typescript).
extension microsoftGraphV1

@description('Unique name of the registration (idempotent across provisions).')
param uniqueName string

param displayName string

@description('Host name of the agents app: its sign-in callback is https://<host>/.auth/login/aad/callback.')
param appHostName string

@description('Principal id of the agents app identity, trusted as the registration\'s credential.')
param identityPrincipalId string

var identifierUri = 'api://${uniqueName}'

resource registration 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: uniqueName
  displayName: displayName
  signInAudience: 'AzureADMyOrg'
  identifierUris: [
    identifierUri
  ]
  web: {
    redirectUris: [
      'https://${appHostName}/.auth/login/aad/callback'
    ]
    implicitGrantSettings: {
      enableAccessTokenIssuance: false
      enableIdTokenIssuance: true
    }
  }
  requiredResourceAccess: [
    {
      // Microsoft Graph: User.Read (delegated), the sign-in's only permission.
      resourceAppId: '00000003-0000-0000-c000-000000000000'
      resourceAccess: [
        {
          id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d'
          type: 'Scope'
        }
      ]
    }
  ]
}

resource servicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: registration.appId
}

resource identityCredential 'Microsoft.Graph/applications/federatedIdentityCredentials@v1.0' = {
  name: '${registration.uniqueName}/agents-app-identity'
  audiences: [
    'api://AzureADTokenExchange'
  ]
  issuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
  subject: identityPrincipalId
  description: 'The agents function app\'s user-assigned identity, in place of a client secret'
}

output clientId string = registration.appId
output identifierUri string = identifierUri
