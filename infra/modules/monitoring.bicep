// Log Analytics and a workspace-based Application Insights that accepts telemetry only from
// Entra ID identities (local authentication off).
param logAnalyticsName string
param applicationInsightsName string
param location string
param tags object = {}

@description('Roles on the Application Insights component: [{ principalId, principalType, roleDefinitionId }].')
param roleAssignments array = []

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: true
  }
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for assignment in roleAssignments: {
  name: guid(applicationInsights.id, assignment.principalId, assignment.roleDefinitionId)
  scope: applicationInsights
  properties: {
    principalId: assignment.principalId
    principalType: assignment.principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
  }
}]

// Names the component and its ingestion endpoint; the instrumentation key in it is an identifier,
// not a credential, since local authentication is off.
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString
output applicationInsightsName string = applicationInsights.name
