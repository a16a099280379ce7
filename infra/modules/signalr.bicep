// Azure SignalR Service in Serverless mode: the app pushes "config changed" to each control
// plane's group over the REST API, data plane sidecars only listen. Entra ID only (no access keys).
param name string
param location string
param tags object = {}

@allowed([
  'Free_F1'
  'Standard_S1'
  'Premium_P1'
])
param sku string = 'Free_F1'
param capacity int = 1

@description('Roles on the service: [{ principalId, principalType, roleDefinitionId }].')
param roleAssignments array = []

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'SignalR'
  sku: {
    name: sku
    capacity: capacity
  }
  properties: {
    features: [
      {
        flag: 'ServiceMode'
        value: 'Serverless'
      }
      {
        flag: 'EnableConnectivityLogs'
        value: 'True'
      }
    ]
    cors: {
      allowedOrigins: [
        '*'
      ]
    }
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for assignment in roleAssignments: {
  name: guid(signalR.id, assignment.principalId, assignment.roleDefinitionId)
  scope: signalR
  properties: {
    principalId: assignment.principalId
    principalType: assignment.principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
  }
}]

output name string = signalR.name
output endpoint string = 'https://${signalR.properties.hostName}'
