// Ruche on Azure, in one resource group:
//   App Service plan (Linux, 2+ instances)
//     ├─ <prefix>-api     RUCHE_ROLE=api: REST API, tabs, bot endpoint /api/messages, /healthz
//     └─ <prefix>-worker  RUCHE_ROLE=worker: background jobs (same build)
//   Azure Bot (Teams channel) -> https://<api host>/api/messages
//   PostgreSQL flexible server (pg_trgm, unaccent), public with a firewall or private in a VNet
//   Key Vault: database-url, bot-app-secret, graph-client-secret
//   user-assigned managed identity (Key Vault Secrets User), Application Insights + Log Analytics,
//   Azure Files share for attachments.
//
// Deploy with the Microsoft 365 Agents Toolkit (m365agents.yml, arm/deploy with
// azure.parameters.json) or with the Azure CLI:
//   az deployment group create -g <group> -f infra/main.bicep -p infra/main.bicepparam

targetScope = 'resourceGroup'

@description('Prefix of every resource name: lower-case letters, digits and hyphens, e.g. ruche-prod.')
@minLength(3)
@maxLength(16)
param namePrefix string

param location string = resourceGroup().location

@description('Client id of the API\'s Entra app registration (ENTRA_CLIENT_ID; also the Graph client unless graphCredential is managed-identity).')
param entraClientId string

@description('Tenant whose people use Ruche (ENTRA_ALLOWED_TENANTS, GRAPH_TENANT_ID).')
param entraTenantId string = tenant().tenantId

@description('Id of the Teams app (the manifest id; TEAMS_APP_ID), for Teams deep links. Empty: links to the web tabs.')
param teamsAppId string = ''

@description('Microsoft App ID of the bot\'s Entra app registration (BOT_APP_ID).')
param botAppId string

@description('Client secret of the bot\'s app registration (stored in Key Vault as bot-app-secret).')
@secure()
param botAppSecret string

@description('How Ruche authenticates to Microsoft Graph: the API app registration\'s secret, or the user-assigned managed identity.')
@allowed([
  'secret'
  'managed-identity'
])
param graphCredential string = 'secret'

@description('Client secret of the API app registration, for Microsoft Graph (stored in Key Vault as graph-client-secret). Required when graphCredential is secret.')
@secure()
param graphClientSecret string = ''

@description('PostgreSQL administrator password (stored in Key Vault inside database-url).')
@secure()
@minLength(12)
param postgresAdministratorPassword string

param postgresAdministratorLogin string = 'ruche_admin'

@allowed([
  'public'
  'private'
])
@description('public: firewall admitting Azure services and allowedClientIps. private: the server in a delegated subnet, the apps integrated with the VNet.')
param databaseNetwork string = 'public'

@description('Public addresses admitted by the database firewall (databaseNetwork = public).')
param allowedClientIps array = []

param postgresSkuName string = 'Standard_B2s'

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

param postgresHighAvailability bool = false

param appServiceSkuName string = 'P0v3'

@minValue(2)
param appServiceInstanceCount int = 2

@description('Empty: Node 22 code deployed by zip deploy. Otherwise the container image built from the Dockerfile.')
param containerImage string = ''

@description('Host name people reach Ruche at, when a custom domain is bound; empty for <prefix>-api.azurewebsites.net.')
param customHostName string = ''

@description('Origins allowed to call the API from a browser, comma-separated, e.g. https://contoso.sharepoint.com (CORS_ORIGINS).')
param corsOrigins string = ''

@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
  'silent'
])
param logLevel string = 'info'

@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

param tags object = {
  application: 'ruche'
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    namePrefix: namePrefix
    tags: tags
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    location: location
    namePrefix: namePrefix
    tags: tags
  }
}

module network 'modules/network.bicep' = if (databaseNetwork == 'private') {
  name: 'network'
  params: {
    location: location
    namePrefix: namePrefix
    tags: tags
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    location: location
    namePrefix: namePrefix
    tags: tags
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    highAvailability: postgresHighAvailability
    administratorLogin: postgresAdministratorLogin
    administratorPassword: postgresAdministratorPassword
    databaseNetwork: databaseNetwork
    delegatedSubnetId: databaseNetwork == 'private' ? network!.outputs.databaseSubnetId : ''
    privateDnsZoneId: databaseNetwork == 'private' ? network!.outputs.privateDnsZoneId : ''
    allowedClientIps: allowedClientIps
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    location: location
    namePrefix: namePrefix
    tags: tags
    readerPrincipalId: identity.outputs.principalId
    // The password is URL-encoded: it may hold characters that mean something in a URL.
    databaseUrl: 'postgres://${postgresAdministratorLogin}:${uriComponent(postgresAdministratorPassword)}@${postgres.outputs.fqdn}:5432/${postgres.outputs.databaseName}?sslmode=require'
    botAppSecret: botAppSecret
    graphCredential: graphCredential
    graphClientSecret: graphClientSecret
  }
}

module files 'modules/files.bicep' = {
  name: 'files'
  params: {
    location: location
    namePrefix: namePrefix
    tags: tags
  }
}

module appService 'modules/app-service.bicep' = {
  name: 'app-service'
  params: {
    location: location
    namePrefix: namePrefix
    tags: tags
    skuName: appServiceSkuName
    instanceCount: appServiceInstanceCount
    containerImage: containerImage
    customHostName: customHostName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    appInsightsConnectionString: monitoring.outputs.connectionString
    appSubnetId: databaseNetwork == 'private' ? network!.outputs.appSubnetId : ''
    entraClientId: entraClientId
    entraTenantId: entraTenantId
    corsOrigins: corsOrigins
    logLevel: logLevel
    databaseUrlSecretUri: keyVault.outputs.databaseUrlSecretUri
    botAppId: botAppId
    teamsAppId: teamsAppId
    botAppSecretSecretUri: keyVault.outputs.botAppSecretSecretUri
    graphCredential: graphCredential
    graphClientSecretSecretUri: keyVault.outputs.graphClientSecretSecretUri
    filesStorageAccountName: files.outputs.accountName
    filesShareName: files.outputs.shareName
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    namePrefix: namePrefix
    tags: tags
    botAppId: botAppId
    botTenantId: entraTenantId
    apiHostName: appService.outputs.publicHostName
    sku: botSku
  }
}

// Outputs in upper case: the Agents Toolkit writes each one to env/.env.<environment>, where
// the Teams app package (TAB_ENDPOINT, TAB_DOMAIN) and the deploy steps read them.
output TAB_ENDPOINT string = appService.outputs.publicUrl
output TAB_DOMAIN string = appService.outputs.publicHostName
// The same defaults as the manifest build (manifest/src/variables.ts); the server serves both pages.
output PRIVACY_URL string = '${appService.outputs.publicUrl}/privacy'
output TERMS_URL string = '${appService.outputs.publicUrl}/terms'
output API_APP_RESOURCE_ID string = appService.outputs.apiResourceId
output WORKER_APP_RESOURCE_ID string = appService.outputs.workerResourceId
output API_APP_NAME string = appService.outputs.apiName
output WORKER_APP_NAME string = appService.outputs.workerName
output BOT_MESSAGING_ENDPOINT string = bot.outputs.messagingEndpoint
output KEY_VAULT_NAME string = keyVault.outputs.name
output POSTGRES_SERVER_FQDN string = postgres.outputs.fqdn
output MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APPLICATION_INSIGHTS_NAME string = monitoring.outputs.appInsightsName
