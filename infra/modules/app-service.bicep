// App Service on Linux: one plan with two or more instances, the API app (Ruche's HTTP API,
// the tabs and the bot endpoint, RUCHE_ROLE=api) and the worker app (background jobs,
// RUCHE_ROLE=worker) running the same build, either as Node 22 code (zip deploy) or as the
// container image built from the repository's Dockerfile (containerImage).
//
// Every app setting is a variable Ruche reads (core/src/config.ts) or one the platform reads
// (WEBSITES_PORT, SCM_DO_BUILD_DURING_DEPLOYMENT, APPLICATIONINSIGHTS_CONNECTION_STRING).
// Secrets are Key Vault references resolved by the apps' user-assigned identity.

param location string
param namePrefix string
param tags object = {}

@description('Plan size; P0v3 or larger keeps always-on, health checks and zone balancing.')
param skuName string = 'P0v3'

@description('Instances of the plan (each app runs on every instance). Two or more.')
@minValue(2)
@maxValue(30)
param instanceCount int = 2

@description('Empty: run the code deployed by zip deploy on the Node 22 runtime. Otherwise the image to run, e.g. myregistry.azurecr.io/ruche:1.4.0 (built from the Dockerfile).')
param containerImage string = ''

@description('Host name people reach Ruche at; empty for the default <name>.azurewebsites.net.')
param customHostName string = ''

param identityId string
param identityClientId string
param logAnalyticsWorkspaceId string
param appInsightsConnectionString string

@description('Subnet for outbound VNet integration; empty when the database is public.')
param appSubnetId string = ''

// Ruche settings shared by both apps.
param entraClientId string
param entraTenantId string
param corsOrigins string = ''
param logLevel string = 'info'
param databasePoolMax int = 10
param databaseUrlSecretUri string
param botAppId string
param teamsAppId string = ''
param botAppSecretSecretUri string
@allowed([
  'secret'
  'managed-identity'
])
param graphCredential string = 'secret'
param graphClientSecretSecretUri string = ''

@description('Storage account whose file share holds attachments, shared by every instance.')
param filesStorageAccountName string
param filesShareName string

var apiName = '${namePrefix}-api'
var workerName = '${namePrefix}-worker'
var publicHostName = empty(customHostName) ? '${apiName}.azurewebsites.net' : customHostName
var publicUrl = 'https://${publicHostName}'
var isContainer = !empty(containerImage)
var linuxFxVersion = isContainer ? 'DOCKER|${containerImage}' : 'NODE|22-lts'
// The code build starts through the same launcher as the image (Dockerfile CMD).
var appCommandLine = isContainer ? '' : 'node infra/runtime/start.mjs'
var filesMountPath = '/mnt/ruche-files'
var kvRef = 'Microsoft.KeyVault(SecretUri='

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${namePrefix}-plan'
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: skuName
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource filesAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: filesStorageAccountName
}

var commonSiteConfig = {
  linuxFxVersion: linuxFxVersion
  appCommandLine: appCommandLine
  alwaysOn: true
  healthCheckPath: '/healthz'
  http20Enabled: true
  minTlsVersion: '1.2'
  ftpsState: 'Disabled'
  acrUseManagedIdentityCreds: isContainer
  acrUserManagedIdentityID: isContainer ? identityClientId : null
  vnetRouteAllEnabled: !empty(appSubnetId)
  azureStorageAccounts: {
    files: {
      type: 'AzureFiles'
      accountName: filesAccount.name
      shareName: filesShareName
      mountPath: filesMountPath
      accessKey: filesAccount.listKeys().keys[0].value
    }
  }
}

resource api 'Microsoft.Web/sites@2023-12-01' = {
  name: apiName
  location: location
  tags: tags
  kind: isContainer ? 'app,linux,container' : 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(appSubnetId) ? null : appSubnetId
    siteConfig: commonSiteConfig
  }
}

resource worker 'Microsoft.Web/sites@2023-12-01' = {
  name: workerName
  location: location
  tags: tags
  kind: isContainer ? 'app,linux,container' : 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(appSubnetId) ? null : appSubnetId
    siteConfig: commonSiteConfig
  }
}

// Settings both roles read. The worker needs the same database, Graph and bot credentials
// (it sends Teams notifications and proactive bot messages) but no Entra audience.
var sharedSettings = {
  NODE_ENV: 'production'
  PUBLIC_URL: publicUrl
  LOG_LEVEL: logLevel
  DATABASE_URL: '@${kvRef}${databaseUrlSecretUri})'
  DATABASE_POOL_MAX: string(databasePoolMax)
  RUCHE_FILES_DIR: filesMountPath
  ENTRA_CLIENT_ID: entraClientId
  ENTRA_APP_ID_URI: 'api://${publicHostName}/${entraClientId}'
  ENTRA_ALLOWED_TENANTS: entraTenantId
  GRAPH_TENANT_ID: entraTenantId
  BOT_APP_ID: botAppId
  BOT_APP_SECRET: '@${kvRef}${botAppSecretSecretUri})'
  BOT_TENANT_ID: entraTenantId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  WEBSITES_PORT: '8080'
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
}

// Graph with the app registration's secret, or with the apps' user-assigned identity
// (after its service principal has been granted the Graph application permissions).
var graphSettings = graphCredential == 'secret' ? {
  GRAPH_CLIENT_ID: entraClientId
  GRAPH_CLIENT_SECRET: '@${kvRef}${graphClientSecretSecretUri})'
} : {
  GRAPH_MANAGED_IDENTITY: 'user'
  GRAPH_CLIENT_ID: identityClientId
}

// The Teams app id (deep links from the tabs), only once the Teams app exists: Ruche refuses an empty id.
var teamsSettings = empty(teamsAppId) ? {} : {
  TEAMS_APP_ID: teamsAppId
}

resource apiSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: api
  name: 'appsettings'
  properties: union(sharedSettings, graphSettings, teamsSettings, {
    RUCHE_ROLE: 'api'
    CORS_ORIGINS: corsOrigins
  })
}

resource workerSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: worker
  name: 'appsettings'
  properties: union(sharedSettings, graphSettings, {
    RUCHE_ROLE: 'worker'
  })
}

resource apiDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: api
  name: 'logs'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
  }
}

resource workerDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: worker
  name: 'logs'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
  }
}

output apiName string = api.name
output apiResourceId string = api.id
output workerName string = worker.name
output workerResourceId string = worker.id
output publicHostName string = publicHostName
output publicUrl string = publicUrl
