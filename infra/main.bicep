// Gatehouse on Azure, for `azd up`: a Flex Consumption function app running the app as a custom
// handler, its storage, Key Vault, Azure SignalR Service and monitoring. Every connection is made
// with the app's user-assigned managed identity; no key or connection string with a secret is
// handed to the app, and the one secret (the admin token) lives only in Key Vault.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment: names the resource group and tags every resource.')
param environmentName string

@minLength(1)
@description('Region for every resource. It must offer the Flex Consumption plan (az functionapp list-flexconsumption-locations).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of who runs azd (AZURE_PRINCIPAL_ID): may read the admin token from Key Vault. Empty: nobody is granted.')
param principalId string = ''

@description('Type of that principal (AZURE_PRINCIPAL_TYPE): User or ServicePrincipal. Empty means User.')
param principalType string = ''

@secure()
@description('The management API admin token. azd generates it once, keeps it in the environment\'s config, and this template stores it only in Key Vault.')
@metadata({ azd: { type: 'generate', config: { length: 40, noSpecial: true } } })
param adminToken string

@description('Azure SignalR Service tier: Free_F1 (20 connections, 20,000 messages a day) or Standard_S1 (1,000 connections a unit).')
@allowed([
  'Free_F1'
  'Standard_S1'
  'Premium_P1'
])
param signalRSku string = 'Free_F1'

@minValue(1)
@description('Units of Azure SignalR Service (1 for Free_F1).')
param signalRCapacity int = 1

@description('Memory of each function app instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@maxValue(1000)
@description('Most instances the function app scales out to.')
param maximumInstanceCount int = 100

@description('Sign-in with Microsoft Entra ID: the client id of the app registration whose v2.0 access tokens Gatehouse accepts (a v2.0 token\'s aud is its API\'s client id). Empty: sign-in with Entra ID is off, and only the admin token and Gatehouse\'s own tokens authenticate.')
param entraAudience string = ''

@description('The client id of the app registration the web console signs people in with (single-page application platform, redirect URI https://{app}/sign-in/callback); it may be the API\'s own. Empty: the console offers only a pasted token. Needs entraAudience.')
param entraConsoleClientId string = ''

@description('The Entra ID tenant whose people may sign in (with entraAudience). Empty means the tenant of the subscription deployed to.')
param entraTenantId string = ''

@description('Names; empty means a name made from the environment.')
param resourceGroupName string = ''
param functionAppName string = ''
param appServicePlanName string = ''
param identityName string = ''
param storageAccountName string = ''
param keyVaultName string = ''
param signalRName string = ''
param logAnalyticsName string = ''
param applicationInsightsName string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var userPrincipalType = empty(principalType) ? 'User' : principalType

// Built-in role definitions (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultCertificatesOfficer: 'a4417e6f-fecd-4de8-b567-7b0420556985'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  signalRRestApiOwner: 'fd53cd77-2268-407a-8f46-7e7863d0f521'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: !empty(identityName) ? identityName : 'id-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: !empty(logAnalyticsName) ? logAnalyticsName : 'log-${resourceToken}'
    applicationInsightsName: !empty(applicationInsightsName) ? applicationInsightsName : 'appi-${resourceToken}'
    location: location
    tags: tags
    roleAssignments: [
      // The host sends telemetry with the identity (the component accepts no instrumentation key alone).
      { principalId: identity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.monitoringMetricsPublisher }
    ]
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: !empty(storageAccountName) ? storageAccountName : 'st${resourceToken}'
    location: location
    tags: tags
    roleAssignments: [
      // Tables, snapshot blobs and the recompose queue for the app; leases, timer schedules,
      // the deployment package and the poison queue for the Functions host.
      { principalId: identity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageBlobDataOwner }
      { principalId: identity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageQueueDataContributor }
      { principalId: identity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.storageTableDataContributor }
    ]
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: !empty(keyVaultName) ? keyVaultName : 'kv-${resourceToken}'
    location: location
    tags: tags
    adminToken: adminToken
    roleAssignments: concat([
      // Data plane client certificates are minted here (issue #5); their keys are read through their secrets.
      { principalId: identity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.keyVaultCertificatesOfficer }
      { principalId: identity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.keyVaultSecretsUser }
    ], empty(principalId) ? [] : [
      // Whoever deployed can read the admin token (az keyvault secret show).
      { principalId: principalId, principalType: userPrincipalType, roleDefinitionId: roles.keyVaultSecretsUser }
    ])
  }
}

module signalR 'modules/signalr.bicep' = {
  name: 'signalr'
  scope: rg
  params: {
    name: !empty(signalRName) ? signalRName : 'sigr-${resourceToken}'
    location: location
    tags: tags
    sku: signalRSku
    capacity: signalRCapacity
    roleAssignments: [
      // Serverless mode, Entra ID only: send to groups and issue client tokens over the REST API.
      { principalId: identity.outputs.principalId, principalType: 'ServicePrincipal', roleDefinitionId: roles.signalRRestApiOwner }
    ]
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  params: {
    name: !empty(functionAppName) ? functionAppName : 'func-${resourceToken}'
    planName: !empty(appServicePlanName) ? appServicePlanName : 'plan-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'api'
    identityId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    storageEndpoints: storage.outputs.endpoints
    deploymentContainerUri: storage.outputs.deploymentContainerUri
    adminTokenUri: keyVault.outputs.adminTokenUri
    keyVaultUri: keyVault.outputs.uri
    signalREndpoint: signalR.outputs.endpoint
    entraAudience: entraAudience
    // Both empty, or both set: the app refuses to start with a tenant and no audience.
    entraTenantId: empty(entraAudience) ? '' : (empty(entraTenantId) ? tenant().tenantId : entraTenantId)
    // The app refuses a console client id without Entra ID sign-in: it is dropped with the audience.
    entraConsoleClientId: empty(entraAudience) ? '' : entraConsoleClientId
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
  }
  // The modules above grant the identity its roles before they return their outputs, so the app
  // (which depends on those outputs) starts with its roles in place.
}

// What azd keeps in .azure/<environment>/.env, and what the README's commands read.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_SIGNALR_ENDPOINT string = signalR.outputs.endpoint
output GATEHOUSE_ADMIN_TOKEN_NAME string = keyVault.outputs.adminTokenName
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = functionApp.outputs.uri
