// The Azure Bot registration: Ruche's bot at https://<api host>/api/messages, served by the
// API app, reachable from Microsoft Teams. Its identity is the single-tenant Entra app
// registration whose id is BOT_APP_ID and whose secret is in Key Vault (BOT_APP_SECRET).

param namePrefix string
param tags object = {}

@description('Microsoft App ID of the bot (the bot\'s Entra app registration client id).')
param botAppId string

@description('Tenant of the bot\'s app registration.')
param botTenantId string = tenant().tenantId

@description('Host name of the API app.')
param apiHostName string

param displayName string = 'Ruche'

@allowed([
  'F0'
  'S1'
])
@description('F0 is free (standard channels such as Teams are unmetered); S1 adds the SLA.')
param sku string = 'F0'

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${namePrefix}-bot'
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: sku
  }
  properties: {
    displayName: displayName
    endpoint: 'https://${apiHostName}/api/messages'
    msaAppId: botAppId
    msaAppType: 'SingleTenant'
    msaAppTenantId: botTenantId
    disableLocalAuth: false
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      acceptedTerms: true
    }
  }
}

output name string = bot.name
output messagingEndpoint string = bot.properties.endpoint
