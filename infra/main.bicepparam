// Parameters for `az deployment group create -f infra/main.bicep -p infra/main.bicepparam`.
// Values come from the environment, with the same names as the Agents Toolkit's env files
// (infra/env/.env.<environment>), so secrets never sit in a file of the repository:
//   export SECRET_POSTGRES_ADMIN_PASSWORD=... SECRET_BOT_PASSWORD=... SECRET_AAD_APP_CLIENT_SECRET=...
using './main.bicep'

param namePrefix = readEnvironmentVariable('RUCHE_NAME_PREFIX', 'ruche-prod')
param entraClientId = readEnvironmentVariable('AAD_APP_CLIENT_ID')
param botAppId = readEnvironmentVariable('BOT_ID')
param botAppSecret = readEnvironmentVariable('SECRET_BOT_PASSWORD')
param graphClientSecret = readEnvironmentVariable('SECRET_AAD_APP_CLIENT_SECRET', '')
param postgresAdministratorPassword = readEnvironmentVariable('SECRET_POSTGRES_ADMIN_PASSWORD')
param databaseNetwork = readEnvironmentVariable('RUCHE_DATABASE_NETWORK', 'public')
param corsOrigins = readEnvironmentVariable('CORS_ORIGINS', '')
param containerImage = readEnvironmentVariable('RUCHE_CONTAINER_IMAGE', '')
