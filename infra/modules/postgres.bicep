// PostgreSQL flexible server for Ruche: one database, the extensions Ruche's migrations
// create (pg_trgm for names and skills, unaccent for the accent-free text search
// configuration) allowed through azure.extensions, TLS required.
//
// Network, chosen by databaseNetwork:
// - 'public': the server has a public endpoint whose firewall admits only Azure services
//   (the 0.0.0.0 rule) plus the addresses in allowedClientIps (an administrator's machine,
//   for `ruche migrate` or a backup). Simple; the password and TLS protect it.
// - 'private': the server lives in a delegated subnet with no public endpoint; the apps reach
//   it through VNet integration and a private DNS zone (network.bicep). Administration then
//   goes through a machine inside the virtual network (or `ruche` in the App Service console).

param location string
param namePrefix string
param tags object = {}

@description('PostgreSQL major version (Ruche needs 15 or later).')
@allowed([
  '15'
  '16'
  '17'
])
param version string = '16'

@description('Compute size, e.g. Standard_B2s (Burstable) or Standard_D2ds_v5 (General Purpose).')
param skuName string = 'Standard_B2s'

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param skuTier string = 'Burstable'

@minValue(32)
param storageSizeGB int = 32

@minValue(7)
@maxValue(35)
param backupRetentionDays int = 14

@description('Zone-redundant standby (General Purpose or Memory Optimized only).')
param highAvailability bool = false

param administratorLogin string = 'ruche_admin'

@secure()
param administratorPassword string

param databaseName string = 'ruche'

@allowed([
  'public'
  'private'
])
param databaseNetwork string = 'public'

@description('Delegated subnet (databaseNetwork = private).')
param delegatedSubnetId string = ''

@description('Private DNS zone (databaseNetwork = private).')
param privateDnsZoneId string = ''

@description('Public client addresses admitted by the firewall (databaseNetwork = public), e.g. an administrator\'s address.')
param allowedClientIps array = []

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: '${namePrefix}-pg-${uniqueString(resourceGroup().id)}'
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: version
    administratorLogin: administratorLogin
    administratorLoginPassword: administratorPassword
    authConfig: {
      passwordAuth: 'Enabled'
      activeDirectoryAuth: 'Disabled'
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: backupRetentionDays
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: highAvailability ? 'ZoneRedundant' : 'Disabled'
    }
    network: databaseNetwork == 'private' ? {
      delegatedSubnetResourceId: delegatedSubnetId
      privateDnsZoneArmResourceId: privateDnsZoneId
      publicNetworkAccess: 'Disabled'
    } : {
      publicNetworkAccess: 'Enabled'
    }
  }
}

// Extensions Ruche's migrations create; the server refuses CREATE EXTENSION for the others.
resource extensions 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'azure.extensions'
  properties: {
    value: 'PG_TRGM,UNACCENT'
    source: 'user-override'
  }
}

resource requireTls 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'require_secure_transport'
  properties: {
    value: 'ON'
    source: 'user-override'
  }
  dependsOn: [
    extensions
  ]
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [
    requireTls
  ]
}

resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = if (databaseNetwork == 'public') {
  parent: server
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource allowClients 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = [
  for (ip, i) in allowedClientIps: if (databaseNetwork == 'public') {
    parent: server
    name: 'client-${i}'
    properties: {
      startIpAddress: ip
      endIpAddress: ip
    }
  }
]

output serverName string = server.name
output fqdn string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
