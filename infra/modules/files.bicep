// Attachments (RUCHE_FILES_DIR): an Azure Files share that App Service mounts on every
// instance of both apps, so an upload taken by one instance is served by all of them.

param location string
param namePrefix string
param tags object = {}

@description('Size of the share in GiB.')
@minValue(1)
param shareQuotaGiB int = 100

// Storage account names are 3-24 lower-case letters and digits, unique across Azure.
var accountName = take('${toLower(replace(replace(namePrefix, '-', ''), '_', ''))}${uniqueString(resourceGroup().id)}', 24)

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: accountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
  }
}

resource fileService 'Microsoft.Storage/storageAccounts/fileServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    shareDeleteRetentionPolicy: {
      enabled: true
      days: 14
    }
  }
}

resource share 'Microsoft.Storage/storageAccounts/fileServices/shares@2023-05-01' = {
  parent: fileService
  name: 'ruche-files'
  properties: {
    shareQuota: shareQuotaGiB
  }
}

output accountName string = account.name
output shareName string = share.name
