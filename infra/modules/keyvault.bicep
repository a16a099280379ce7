// Key Vault in RBAC mode: the admin token as a secret (the app reads it through a Key Vault
// reference), and later the data plane client certificates the app mints.
param name string
param location string
param tags object = {}

@secure()
@description('The management API admin token, stored as the secret adminTokenName.')
param adminToken string

@description('Name of the secret that holds the admin token.')
param adminTokenName string = 'gatehouse-admin-token'

@description('Roles on the vault: [{ principalId, principalType, roleDefinitionId }].')
param roleAssignments array = []

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
    publicNetworkAccess: 'Enabled'
  }
}

resource adminTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: adminTokenName
  properties: {
    value: adminToken
    contentType: 'text/plain'
  }
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for assignment in roleAssignments: {
  name: guid(vault.id, assignment.principalId, assignment.roleDefinitionId)
  scope: vault
  properties: {
    principalId: assignment.principalId
    principalType: assignment.principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
  }
}]

output name string = vault.name
output uri string = vault.properties.vaultUri
output adminTokenName string = adminTokenSecret.name
// Without a version: a Key Vault reference to it follows the secret's latest version.
output adminTokenUri string = adminTokenSecret.properties.secretUri
