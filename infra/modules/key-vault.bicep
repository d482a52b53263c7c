// Key Vault holding Ruche's secrets. Authorisation is Azure RBAC: the apps' managed identity
// gets "Key Vault Secrets User" (read secret values) and nothing else. The app settings refer
// to the secrets with @Microsoft.KeyVault(SecretUri=...) references, so no secret value is
// ever stored in the App Service configuration.

param location string
param namePrefix string
param tags object = {}

@description('Principal id of the managed identity that reads the secrets.')
param readerPrincipalId string

@description('DATABASE_URL of the PostgreSQL server (postgres://user:password@host:5432/db?sslmode=require).')
@secure()
param databaseUrl string

@description('Client secret of the Azure Bot\'s Entra app registration (BOT_APP_SECRET).')
@secure()
param botAppSecret string

@description('How Ruche authenticates to Microsoft Graph; secret stores graphClientSecret.')
@allowed([
  'secret'
  'managed-identity'
])
param graphCredential string = 'secret'

@description('Client secret of the Entra app registration Ruche uses for Microsoft Graph (GRAPH_CLIENT_SECRET), when graphCredential is secret.')
@secure()
param graphClientSecret string = ''

@description('Days a deleted vault or secret can be recovered.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 90

// Key Vault names are 3-24 characters and unique across Azure.
var vaultName = take('${replace(namePrefix, '_', '-')}-kv-${uniqueString(resourceGroup().id)}', 24)

// Built-in role "Key Vault Secrets User".
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
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
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource databaseUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'database-url'
  properties: {
    value: databaseUrl
    contentType: 'DATABASE_URL'
  }
}

resource botAppSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'bot-app-secret'
  properties: {
    value: botAppSecret
    contentType: 'BOT_APP_SECRET'
  }
}

resource graphClientSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (graphCredential == 'secret') {
  parent: vault
  name: 'graph-client-secret'
  properties: {
    value: graphClientSecret
    contentType: 'GRAPH_CLIENT_SECRET'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, readerPrincipalId, keyVaultSecretsUserRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
// Versionless secret URIs: App Service picks up a rotated secret within a day, or at once on restart.
output databaseUrlSecretUri string = databaseUrlSecret.properties.secretUri
output botAppSecretSecretUri string = botAppSecretSecret.properties.secretUri
output graphClientSecretSecretUri string = graphCredential == 'secret' ? graphClientSecretSecret!.properties.secretUri : ''
