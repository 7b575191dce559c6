// The Durable Task Scheduler: the managed Durable Functions backend, with a task hub per app that
// runs Durable functions (only the agents app), and an explicit retention policy: orchestration
// histories hold trip requests with travellers' names and e-mail addresses, so finished ones are
// purged after a set number of days rather than kept for as long as the scheduler lives.

param name string
param location string = resourceGroup().location
param tags object = {}

@allowed([
  'Consumption'
  'Dedicated'
])
param skuName string = 'Consumption'

@minValue(1)
@maxValue(3)
@description('Capacity units of the Dedicated SKU, up to 3 (ignored by Consumption, which has no capacity).')
param capacity int = 1

@description('Task hubs to create (apps never share a task hub).')
param taskHubNames array

@minValue(1)
@maxValue(90)
@description('Days a finished orchestration\'s history (completed, failed, terminated, canceled) is kept before the scheduler purges it.')
param historyRetentionDays int = 30

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    // Dedicated capacity is reserved and billed per unit; Consumption takes no capacity.
    sku: skuName == 'Dedicated'
      ? {
          name: skuName
          capacity: capacity
        }
      : {
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

// One policy without a state applies to every terminal state (the service's default is 30 days;
// written here so the period is a reviewed parameter, not an unstated default).
resource retention 'Microsoft.DurableTask/schedulers/retentionPolicies@2025-11-01' = {
  parent: scheduler
  name: 'default'
  properties: {
    retentionPolicies: [
      {
        retentionPeriodInDays: historyRetentionDays
      }
    ]
  }
}

output name string = scheduler.name
output id string = scheduler.id
output endpoint string = scheduler.properties.endpoint
