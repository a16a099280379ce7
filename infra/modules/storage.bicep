// The storage account of the app and of the Functions host: tables (control planes, entities,
// snapshot pointers), blobs (snapshots, host leases and timer schedules, the deployment package)
// and queues (recompose). Shared key access is off: only Entra ID identities get in.
param name string
param location string
param tags object = {}

@description('Roles on the account: [{ principalId, principalType, roleDefinitionId }].')
param roleAssignments array = []

@description('Blob container the function app package is deployed to.')
param deploymentContainerName string = 'app-package'

@description('The queue Recompose/function.json listens on (StorageLayout.RecomposeQueue, no prefix).')
param recomposeQueueName string = 'recompose'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
    }
  }

  // The app creates its tables, container and queue at start; the queue is made here as well so
  // the host's queue trigger finds it before the app first runs.
  resource queueService 'queueServices' = {
    name: 'default'

    resource recomposeQueue 'queues' = {
      name: recomposeQueueName
    }
  }
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for assignment in roleAssignments: {
  name: guid(storage.id, assignment.principalId, assignment.roleDefinitionId)
  scope: storage
  properties: {
    principalId: assignment.principalId
    principalType: assignment.principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
  }
}]

output name string = storage.name
output endpoints object = {
  blob: storage.properties.primaryEndpoints.blob
  queue: storage.properties.primaryEndpoints.queue
  table: storage.properties.primaryEndpoints.table
}
output deploymentContainerUri string = '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
