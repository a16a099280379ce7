// The function app's user-assigned identity: it exists before the app, so its roles can be
// granted first, and the app uses it for storage, Key Vault, SignalR and telemetry.
param name string
param location string
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output resourceId string = identity.id
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
