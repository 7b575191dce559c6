// One Flex Consumption (FC1) function app on Node 22 with its own plan (Flex hosts one app per
// plan), a user-assigned identity for every connection, and no publishing credentials.

@description('Function app name.')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('azd service name (azure.yaml) this app deploys.')
param serviceName string

param location string = resourceGroup().location
param tags object = {}

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (identity-based connections name it).')
param identityClientId string

@description('Storage account for AzureWebJobsStorage and the deployment package.')
param storageAccountName string

@description('Blob container that holds this app\'s deployment package.')
param deploymentContainerName string

param applicationInsightsName string

@allowed([
  'durableTaskScheduler'
  'azureStorage'
  'none'
])
@description('The app\'s Durable backend; none for an app without orchestrations (the MCP app).')
param durableBackend string

@description('Durable Task Scheduler endpoint (https://…durabletask.io) when durableBackend is durableTaskScheduler.')
param schedulerEndpoint string = ''

@description('This app\'s Durable task hub (host.json names it as %TASKHUB_NAME%).')
param taskHubName string = ''

@allowed([
  512
  2048
  4096
])
@description('Instance memory in MB: Flex Consumption offers exactly these sizes.')
param instanceMemoryMB int = 2048

param maximumInstanceCount int = 100

@description('Subnet (delegated to Microsoft.App/environments) for the app\'s outbound traffic; empty: no virtual network.')
param subnetId string = ''

@description('Entra ID app registration that signs users in (App Service authentication); empty: authentication off.')
param authClientId string = ''

@description('Audiences the sign-in accepts in bearer tokens (the registration\'s identifier URI).')
param authAudiences array = []

@description('The app\'s own settings (see main.bicep); the connections below are added to them.')
param appSettings object

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Identity-based connections: `__credential` + `__clientId` + service URIs, never a key. Queue
// and table URIs only where the Durable state lives there (azureStorage): elsewhere the app has no
// queue or table role, and a table URI would send the host's diagnostic events into a 403.
var storageConnection = union(
  {
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  },
  durableBackend == 'azureStorage'
    ? {
        AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
        AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
      }
    : {}
)

// The connection string names the resource only (local auth is off); the authentication string
// makes the Functions host and the app's exporter (src/telemetry/setup.ts) use Entra ID.
var monitoringConnection = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identityClientId}'
}

// host.json carries the Durable configuration the scale controller reads from the package
// (provider azureManaged, connection DURABLE_TASK_SCHEDULER_CONNECTION_STRING, hub
// %TASKHUB_NAME%): the settings below only fill in its names. No AzureFunctionsJobHost__
// overrides: the runtime would apply them, the scale controller would not see them.
// App Service authentication proves the app to Entra ID with its identity (a federated credential
// on the registration), never a secret: the setting names that identity.
var authSettings = empty(authClientId)
  ? {}
  : {
      OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID: identityClientId
      WEBSITE_AUTH_AAD_ALLOWED_TENANTS: tenant().tenantId
    }

var durableSettings = durableBackend == 'durableTaskScheduler'
  ? {
      TASKHUB_NAME: taskHubName
      DURABLE_TASK_SCHEDULER_CONNECTION_STRING: 'Endpoint=${schedulerEndpoint};Authentication=ManagedIdentity;ClientID=${identityClientId}'
    }
  : durableBackend == 'azureStorage'
      ? {
          TASKHUB_NAME: taskHubName
        }
      : {}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, {
    'azd-service-name': serviceName
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    // Key Vault references (MCP_SERVER_KEY) resolve with this identity.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: union(appSettings, storageConnection, monitoringConnection, durableSettings, authSettings)
  }

  // Users sign in with Entra ID before any function runs; the principal reaches the app as
  // x-ms-client-principal (src/travel/api/caller.ts). Browsers are sent to the sign-in page, so the
  // web UI works after `azd up`; /api/health stays open for probes.
  resource authentication 'config' = if (!empty(authClientId)) {
    name: 'authsettingsV2'
    properties: {
      platform: {
        enabled: true
        runtimeVersion: '~1'
      }
      globalValidation: {
        requireAuthentication: true
        unauthenticatedClientAction: 'RedirectToLoginPage'
        redirectToProvider: 'azureactivedirectory'
        excludedPaths: [
          '/api/health'
        ]
      }
      httpSettings: {
        requireHttps: true
        routes: {
          apiPrefix: '/.auth'
        }
        forwardProxy: {
          convention: 'NoProxy'
        }
      }
      identityProviders: {
        azureActiveDirectory: {
          enabled: true
          registration: {
            openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
            clientId: authClientId
            clientSecretSettingName: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID'
          }
          login: {
            loginParameters: [
              'scope=openid profile email'
            ]
          }
          validation: {
            allowedAudiences: union(authAudiences, [
              authClientId
            ])
          }
        }
      }
      login: {
        // The app reads only the signed-in principal (x-ms-client-principal) and never calls on
        // with the user's tokens, so none are kept: App Service's guidance is to turn the token
        // store off when the app does not use tokens, and Flex Consumption has no shared file
        // system for the default store.
        tokenStore: {
          enabled: false
        }
        cookieExpiration: {
          convention: 'FixedTime'
          timeToExpiration: '08:00:00'
        }
        nonce: {
          validateNonce: true
        }
      }
    }
  }

  // No FTP or SCM basic-auth publishing: azd deploys with Entra ID.
  resource ftpCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
