// The Durable Task Scheduler: the managed Durable Functions backend, with one task hub per app.

param name string
param location string = resourceGroup().location
param tags object = {}

@allowed([
  'Consumption'
  'Dedicated'
])
param skuName string = 'Consumption'

@description('Task hubs to create (one per function app: apps never share a task hub).')
param taskHubNames array

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: skuName
    }
    // Access is by Entra ID role only; the allow list must not be empty (empty denies everything).
    ipAllowlist: [
      '0.0.0.0/0'
    ]
  }
}

resource taskHubs 'Microsoft.DurableTask/schedulers/taskHubs@2025-11-01' = [
  for hub in taskHubNames: {
    parent: scheduler
    name: hub
  }
]

output name string = scheduler.name
output endpoint string = scheduler.properties.endpoint
