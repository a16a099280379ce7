// The function app on a Flex Consumption plan, runtime "custom": the Functions host starts the
// published self-contained Gatehouse executable (host.json customHandler) and proxies HTTP to it.
param name string
param planName string
param location string
param tags object = {}

@description('The azd service (azure.yaml) deployed to this app; azd finds the app by this tag.')
param serviceName string

@description('Resource id and client id of the user-assigned identity the app runs as.')
param identityId string
param identityClientId string

param instanceMemoryMB int = 2048
param maximumInstanceCount int = 100

@description('The storage account\'s service endpoints: { blob, queue, table }.')
param storageEndpoints object

@description('The blob container the deployment package goes to.')
param deploymentContainerUri string

@description('Key Vault secret URI (no version) of the admin token.')
param adminTokenUri string

param keyVaultUri string
param signalREndpoint string

@description('Entra ID sign-in: the audience tokens must be for, and the tenant that issues them; both empty turns it off.')
param entraAudience string = ''
param entraTenantId string = ''
@description('The web console\'s single-page application registration (empty: the console offers only a pasted token).')
param entraConsoleClientId string = ''

param applicationInsightsConnectionString string

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

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
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
    // Data planes authenticate with client certificates: the front end asks every client for one
    // (without prompting browsers on the admin API's /docs), forwards it in X-ARR-ClientCert and
    // drops any such header a client sent itself. The app pins it; requests without one get 401
    // on /v1/dp/* and are untouched elsewhere.
    clientCertEnabled: true
    clientCertMode: 'OptionalInteractiveUser'
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUri
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
        name: 'custom'
        version: '1.0'
      }
    }
  }
}

// Every setting is a name the app or the host reads (README, "Configuration"). Connections are
// identity-based only: service URIs, managedidentity and the identity's client id; the admin
// token is a Key Vault reference, resolved by the platform with the same identity.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: {
    // The Functions host's own storage: leases, timer schedules, the Recompose poison queue.
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    AzureWebJobsStorage__blobServiceUri: storageEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storageEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storageEndpoints.table
    // Gatehouse's storage, read by the app and by the Recompose queue trigger (connection GatehouseStorage).
    GatehouseStorage__credential: 'managedidentity'
    GatehouseStorage__clientId: identityClientId
    GatehouseStorage__blobServiceUri: storageEndpoints.blob
    GatehouseStorage__queueServiceUri: storageEndpoints.queue
    GatehouseStorage__tableServiceUri: storageEndpoints.table
    Gatehouse__AdminToken: '@Microsoft.KeyVault(SecretUri=${adminTokenUri})'
    // Behind the host's proxy the app sees 127.0.0.1 as its host: say where clients reach it.
    Gatehouse__PublicUrl: 'https://${functionApp.properties.defaultHostName}'
    // The host delivers recompose messages and runs the sweep timer; the app's own poller stays off.
    Gatehouse__Recompose__Local: 'false'
    // Safe only because clientCertEnabled above makes the front end the header's sole author.
    Gatehouse__DataPlane__TrustForwardedClientCert: 'true'
    // DP client certificates are minted in Key Vault, with the app's identity; only the certificate is kept.
    Gatehouse__CertificateIssuer: 'keyvault'
    Gatehouse__KeyVault__Uri: keyVaultUri
    Gatehouse__KeyVault__credential: 'managedidentity'
    Gatehouse__KeyVault__clientId: identityClientId
    // Sidecars are pushed to through Azure SignalR Service (serverless, REST), with the app's identity
    // ("SignalR REST API Owner"); the endpoint being set is what selects it over the in-process hub.
    Gatehouse__SignalR__Endpoint: signalREndpoint
    Gatehouse__SignalR__credential: 'managedidentity'
    Gatehouse__SignalR__clientId: identityClientId
    // People sign in with Entra ID access tokens for this audience from this tenant (empty: off).
    Gatehouse__EntraId__TenantId: entraTenantId
    Gatehouse__EntraId__Audience: entraAudience
    // The console signs people in with this public client (authorization code flow with PKCE); no secret.
    Gatehouse__EntraId__ConsoleClientId: entraConsoleClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  }
}

output name string = functionApp.name
output uri string = 'https://${functionApp.properties.defaultHostName}'
