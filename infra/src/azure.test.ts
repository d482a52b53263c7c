/**
 * The Bicep of infra/ read offline (no Bicep compiler installs from the registries here):
 * modules wired with the parameters they declare, the resources and API versions Ruche
 * relies on, app settings that are real Ruche settings, secrets only through Key Vault.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type BicepFile, type BicepObject, type BicepValue, prop, text } from './bicep.js';
import { configVariables, infraDir, readBicep, readRepoFile } from './repo.js';

const main = readBicep('infra/main.bicep');
const modules = new Map<string, BicepFile>(
  readdirSync(path.join(infraDir, 'modules'))
    .filter((f) => f.endsWith('.bicep'))
    .map((f) => [`modules/${f}`, readBicep(`infra/modules/${f}`)]),
);
const allFiles: [string, BicepFile][] = [['main.bicep', main], ...modules];

function resource(type: string, file?: BicepFile): BicepFile['resources'][number] {
  const found = (file ? [file] : [...modules.values()]).flatMap((f) => f.resources).filter((r) => r.type === type);
  if (found.length === 0) throw new Error(`no ${type} resource`);
  return found[0]!;
}

function resources(type: string): BicepFile['resources'] {
  return [...modules.values()].flatMap((f) => f.resources).filter((r) => r.type === type);
}

function objectKeys(value: BicepValue | undefined): string[] {
  return value?.kind === 'object' ? [...value.properties.keys()] : [];
}

/** Settings objects a `properties` value is made of: literals, referenced vars, union() arguments. */
function settingsObjects(value: BicepValue | undefined, file: BicepFile): BicepObject[] {
  if (!value) return [];
  if (value.kind === 'object') return [value];
  if (value.kind !== 'expression') return [];
  const out = [...value.objects];
  for (const v of file.vars) {
    if (new RegExp(`\\b${v.name}\\b`).test(value.text)) out.push(...settingsObjects(v.value, file));
  }
  return out;
}

/** App Service settings read by the platform, not by Ruche, and why each is there. */
const PLATFORM_SETTINGS = new Map([
  ['WEBSITES_PORT', 'App Service: the port the container listens on (the image sets PORT=8080)'],
  ['SCM_DO_BUILD_DURING_DEPLOYMENT', 'App Service: zip deploy ships a built package, no build on the server'],
  ['APPLICATIONINSIGHTS_CONNECTION_STRING', 'Application Insights: where telemetry goes'],
]);

describe('main.bicep and its modules', () => {
  test('main deploys into a resource group and every module file exists', () => {
    expect(main.targetScope).toBe('resourceGroup');
    expect(main.modules.length).toBeGreaterThanOrEqual(7);
    for (const m of main.modules) expect(existsSync(path.join(infraDir, m.path))).toBe(true);
  });

  test('each module call passes only parameters the module declares, and every required one', () => {
    for (const call of main.modules) {
      const target = modules.get(call.path);
      expect(target).toBeDefined();
      const declared = new Map(target!.params.map((p) => [p.name, p]));
      const given = objectKeys(prop(call.body, 'params'));
      for (const name of given) expect({ module: call.path, param: name, declared: declared.has(name) }).toEqual({ module: call.path, param: name, declared: true });
      const required = target!.params.filter((p) => p.value === undefined).map((p) => p.name);
      for (const name of required) expect({ module: call.path, required: name, given: given.includes(name) }).toEqual({ module: call.path, required: name, given: true });
    }
  });

  test('module outputs referenced by main exist', () => {
    const source = readRepoFile('infra/main.bicep');
    for (const m of main.modules) {
      const outputs = new Set(modules.get(m.path)!.outputs.map((o) => o.name));
      for (const ref of source.matchAll(new RegExp(`\\b${m.symbol}!?\\.outputs\\.([A-Za-z0-9_]+)`, 'g'))) {
        expect({ module: m.path, output: ref[1], exists: outputs.has(ref[1]!) }).toEqual({ module: m.path, output: ref[1], exists: true });
      }
    }
  });

  test('resources use stable API versions (diagnostic settings only exist as preview)', () => {
    const seen = allFiles.flatMap(([name, f]) => f.resources.map((r) => ({ file: name, type: r.type, apiVersion: r.apiVersion })));
    const expected: Record<string, string> = {
      'Microsoft.Web/serverfarms': '2023-12-01',
      'Microsoft.Web/sites': '2023-12-01',
      'Microsoft.Web/sites/config': '2023-12-01',
      'Microsoft.BotService/botServices': '2022-09-15',
      'Microsoft.BotService/botServices/channels': '2022-09-15',
      'Microsoft.DBforPostgreSQL/flexibleServers': '2024-08-01',
      'Microsoft.DBforPostgreSQL/flexibleServers/configurations': '2024-08-01',
      'Microsoft.DBforPostgreSQL/flexibleServers/databases': '2024-08-01',
      'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules': '2024-08-01',
      'Microsoft.KeyVault/vaults': '2023-07-01',
      'Microsoft.KeyVault/vaults/secrets': '2023-07-01',
      'Microsoft.Authorization/roleAssignments': '2022-04-01',
      'Microsoft.Insights/components': '2020-02-02',
      'Microsoft.OperationalInsights/workspaces': '2023-09-01',
      'Microsoft.ManagedIdentity/userAssignedIdentities': '2023-01-31',
      'Microsoft.Storage/storageAccounts': '2023-05-01',
      'Microsoft.Storage/storageAccounts/fileServices': '2023-05-01',
      'Microsoft.Storage/storageAccounts/fileServices/shares': '2023-05-01',
      'Microsoft.Network/virtualNetworks': '2024-01-01',
      'Microsoft.Network/privateDnsZones': '2024-06-01',
      'Microsoft.Network/privateDnsZones/virtualNetworkLinks': '2024-06-01',
      'Microsoft.Insights/diagnosticSettings': '2021-05-01-preview',
    };
    for (const r of seen) expect({ ...r, apiVersion: r.apiVersion }).toEqual({ ...r, apiVersion: expected[r.type] ?? 'unexpected type' });
    for (const type of Object.keys(expected)) expect(seen.some((r) => r.type === type)).toBe(true);
    for (const r of seen) if (r.type !== 'Microsoft.Insights/diagnosticSettings') expect(r.apiVersion).not.toMatch(/preview/);
  });
});

describe('App Service', () => {
  const appService = modules.get('modules/app-service.bicep')!;
  const plan = resource('Microsoft.Web/serverfarms');
  const sites = resources('Microsoft.Web/sites');

  test('Linux plan with two or more instances', () => {
    expect(plan.body.properties.get('kind')).toEqual({ kind: 'string', value: 'linux', interpolated: false });
    expect(prop(plan.body, 'properties.reserved')).toEqual({ kind: 'bool', value: true });
    expect(text(prop(plan.body, 'sku.capacity'))).toBe('instanceCount');
    const instances = appService.params.find((p) => p.name === 'instanceCount')!;
    expect(instances.decorators).toContainEqual({ name: 'minValue', args: '2' });
    expect(Number(text(instances.value))).toBeGreaterThanOrEqual(2);
    const mainInstances = main.params.find((p) => p.name === 'appServiceInstanceCount')!;
    expect(mainInstances.decorators).toContainEqual({ name: 'minValue', args: '2' });
  });

  test('an API app and a worker app on the plan, Node 22 (or the image), always on, /healthz, HTTPS, the managed identity', () => {
    expect(sites.map((s) => s.symbol).sort()).toEqual(['api', 'worker']);
    const siteConfig = appService.vars.find((v) => v.name === 'commonSiteConfig')!.value;
    expect(text(prop(siteConfig, 'linuxFxVersion'))).toBe('linuxFxVersion');
    const fx = text(appService.vars.find((v) => v.name === 'linuxFxVersion')!.value)!;
    expect(fx).toContain("'NODE|22-lts'");
    expect(fx).toContain("'DOCKER|${containerImage}'");
    expect(prop(siteConfig, 'alwaysOn')).toEqual({ kind: 'bool', value: true });
    expect(text(prop(siteConfig, 'healthCheckPath'))).toBe('/healthz');
    expect(text(prop(siteConfig, 'minTlsVersion'))).toBe('1.2');
    expect(text(prop(siteConfig, 'ftpsState'))).toBe('Disabled');
    for (const site of sites) {
      expect(text(prop(site.body, 'properties.serverFarmId'))).toBe('plan.id');
      expect(prop(site.body, 'properties.httpsOnly')).toEqual({ kind: 'bool', value: true });
      expect(text(prop(site.body, 'properties.siteConfig'))).toBe('commonSiteConfig');
      expect(text(prop(site.body, 'identity.type'))).toBe('UserAssigned');
      expect(objectKeys(prop(site.body, 'identity.userAssignedIdentities'))).toEqual(['${identityId}']);
      expect(text(prop(site.body, 'properties.keyVaultReferenceIdentity'))).toBe('identityId');
    }
  });

  test('the code build starts through the same launcher as the image', () => {
    const commandLine = text(appService.vars.find((v) => v.name === 'appCommandLine')!.value)!;
    expect(commandLine).toContain('node infra/runtime/start.mjs');
    expect(existsSync(path.join(infraDir, 'runtime/start.mjs'))).toBe(true);
  });

  const settings = resources('Microsoft.Web/sites/config');
  const settingsOf = (symbol: string) => {
    const config = settings.find((s) => s.symbol === symbol)!;
    expect(text(config.body.properties.get('name'))).toBe('appsettings');
    return settingsObjects(config.body.properties.get('properties'), appService);
  };

  test('every app setting is one Ruche reads (core/src/config.ts) or one the platform reads', () => {
    const known = configVariables();
    expect(known.has('DATABASE_URL')).toBe(true);
    for (const symbol of ['apiSettings', 'workerSettings']) {
      const names = settingsOf(symbol).flatMap((o) => [...o.properties.keys()]);
      expect(names.length).toBeGreaterThan(10);
      for (const name of names) {
        expect({ setting: name, known: known.has(name) || PLATFORM_SETTINGS.has(name) }).toEqual({ setting: name, known: true });
      }
    }
  });

  test('roles: the API app serves (RUCHE_ROLE=api), the worker app runs the jobs (RUCHE_ROLE=worker)', () => {
    const role = (symbol: string) =>
      settingsOf(symbol)
        .map((o) => text(o.properties.get('RUCHE_ROLE')))
        .filter(Boolean);
    expect(role('apiSettings')).toEqual(['api']);
    expect(role('workerSettings')).toEqual(['worker']);
  });

  test('production settings: NODE_ENV, PUBLIC_URL, the tenant, the API audience', () => {
    const shared = appService.vars.find((v) => v.name === 'sharedSettings')!.value;
    expect(text(prop(shared, 'NODE_ENV'))).toBe('production');
    expect(text(prop(shared, 'PUBLIC_URL'))).toBe('publicUrl');
    expect(text(prop(shared, 'ENTRA_CLIENT_ID'))).toBe('entraClientId');
    expect(text(prop(shared, 'ENTRA_ALLOWED_TENANTS'))).toBe('entraTenantId');
    // The same Application ID URI as the Teams manifest's webApplicationInfo.resource.
    expect(text(prop(shared, 'ENTRA_APP_ID_URI'))).toBe('api://${publicHostName}/${entraClientId}');
    const manifest = readRepoFile('manifest/appPackage/manifest.json');
    expect(manifest).toContain('"resource": "api://${{TAB_DOMAIN}}/${{AAD_APP_CLIENT_ID}}"');
  });

  test('secrets are Key Vault references, never values', () => {
    const secretSettings = ['DATABASE_URL', 'BOT_APP_SECRET', 'GRAPH_CLIENT_SECRET'];
    const all = [...settingsOf('apiSettings'), ...settingsOf('workerSettings')];
    for (const name of secretSettings) {
      const values = all.map((o) => o.properties.get(name)).filter((v): v is BicepValue => v !== undefined);
      expect(values.length).toBeGreaterThan(0);
      for (const v of values) {
        expect(v.kind).toBe('string');
        expect(text(v)).toMatch(/^@\$\{kvRef\}\$\{[A-Za-z]+SecretUri\}\)$/);
      }
    }
    expect(text(appService.vars.find((v) => v.name === 'kvRef')!.value)).toBe('Microsoft.KeyVault(SecretUri=');
  });
});

describe('secrets', () => {
  test('every parameter that holds a secret is @secure() and has no default but empty', () => {
    for (const [name, file] of allFiles) {
      for (const p of file.params) {
        if (/password|secret|databaseUrl/i.test(p.name) && !/SecretUri$/.test(p.name)) {
          expect({ file: name, param: p.name, secure: p.secure }).toEqual({ file: name, param: p.name, secure: true });
          if (p.value) expect({ file: name, param: p.name, default: text(p.value) }).toEqual({ file: name, param: p.name, default: '' });
        }
      }
    }
  });

  test('Key Vault: RBAC, purge protection, the three secrets from parameters, the identity as Secrets User', () => {
    const kv = modules.get('modules/key-vault.bicep')!;
    const vault = resource('Microsoft.KeyVault/vaults', kv);
    expect(prop(vault.body, 'properties.enableRbacAuthorization')).toEqual({ kind: 'bool', value: true });
    expect(prop(vault.body, 'properties.enablePurgeProtection')).toEqual({ kind: 'bool', value: true });
    const secrets = kv.resources.filter((r) => r.type === 'Microsoft.KeyVault/vaults/secrets');
    expect(secrets.map((s) => text(s.body.properties.get('name'))).sort()).toEqual(['bot-app-secret', 'database-url', 'graph-client-secret']);
    for (const s of secrets) {
      const value = prop(s.body, 'properties.value')!;
      expect(value.kind).toBe('expression');
      expect(kv.params.find((p) => p.name === text(value))?.secure).toBe(true);
    }
    const role = resource('Microsoft.Authorization/roleAssignments', kv);
    expect(text(kv.vars.find((v) => v.name === 'keyVaultSecretsUserRoleId')!.value)).toBe('4633458b-17de-408a-b874-0445c86b69e6');
    expect(text(prop(role.body, 'properties.principalId'))).toBe('readerPrincipalId');
    const call = main.modules.find((m) => m.path === 'modules/key-vault.bicep')!;
    expect(text(prop(call.body, 'params.readerPrincipalId'))).toBe('identity.outputs.principalId');
  });

  test('the database URL puts the URL-encoded password in Key Vault only, with TLS', () => {
    const call = main.modules.find((m) => m.path === 'modules/key-vault.bicep')!;
    const url = prop(call.body, 'params.databaseUrl');
    expect(url?.kind).toBe('string');
    expect(text(url)).toMatch(/^postgres:\/\/\$\{postgresAdministratorLogin\}:\$\{uriComponent\(postgresAdministratorPassword\)\}@.*\?sslmode=require$/);
    // No output carries a secure parameter (deployment outputs are readable by anyone with read access).
    for (const [name, file] of allFiles) {
      const secure = file.params.filter((p) => p.secure).map((p) => p.name);
      for (const o of file.outputs) for (const p of secure) expect({ file: name, output: o.name, uses: new RegExp(`\\b${p}\\b`).test(text(o.value) ?? '') }).toEqual({ file: name, output: o.name, uses: false });
    }
  });

  test('no string literal in the Bicep looks like a credential', () => {
    for (const f of ['infra/main.bicep', 'infra/main.bicepparam', ...[...modules.keys()].map((m) => `infra/${m}`)]) {
      const source = readRepoFile(f);
      expect(source).not.toMatch(/(password|secret)\s*[:=]\s*'[^'$]{6,}'/i);
      expect(source).not.toMatch(/AccountKey=|InstrumentationKey=/);
    }
  });
});

describe('PostgreSQL', () => {
  const pg = modules.get('modules/postgres.bicep')!;
  test('flexible server 15+, pg_trgm and unaccent allowed, TLS required, a database', () => {
    const version = pg.params.find((p) => p.name === 'version')!;
    expect(Number(text(version.value))).toBeGreaterThanOrEqual(15);
    const configs = pg.resources.filter((r) => r.type === 'Microsoft.DBforPostgreSQL/flexibleServers/configurations');
    const extensions = configs.find((c) => text(c.body.properties.get('name')) === 'azure.extensions')!;
    expect(text(prop(extensions.body, 'properties.value'))!.split(',').sort()).toEqual(['PG_TRGM', 'UNACCENT']);
    const tls = configs.find((c) => text(c.body.properties.get('name')) === 'require_secure_transport')!;
    expect(text(prop(tls.body, 'properties.value'))).toBe('ON');
    // Ruche's migrations create exactly the extensions allowed here.
    const migrations = readdirSync(path.join(infraDir, '../core/migrations'))
      .map((f) => readRepoFile(`core/migrations/${f}`))
      .join('\n');
    const created = new Set([...migrations.matchAll(/create extension if not exists\s+"?([a-z_]+)"?/gi)].map((m) => m[1]!.toUpperCase()));
    expect([...created].sort()).toEqual(['PG_TRGM', 'UNACCENT']);
    expect(pg.resources.some((r) => r.type === 'Microsoft.DBforPostgreSQL/flexibleServers/databases')).toBe(true);
  });

  test('network: public with an Azure-only firewall, or private in a delegated subnet', () => {
    const network = pg.params.find((p) => p.name === 'databaseNetwork')!;
    expect(network.decorators.find((d) => d.name === 'allowed')?.args).toMatch(/'public'.*'private'/);
    const firewall = pg.resources.filter((r) => r.type === 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules');
    for (const rule of firewall) expect(rule.condition).toBe("databaseNetwork == 'public'");
    const azureOnly = firewall.find((r) => !r.loop)!;
    expect(text(prop(azureOnly.body, 'properties.startIpAddress'))).toBe('0.0.0.0');
    expect(text(prop(azureOnly.body, 'properties.endIpAddress'))).toBe('0.0.0.0');
    const server = resource('Microsoft.DBforPostgreSQL/flexibleServers', pg);
    const networkValue = prop(server.body, 'properties.network');
    expect(networkValue?.kind).toBe('expression');
    const [privateNet, publicNet] = (networkValue as Extract<BicepValue, { kind: 'expression' }>).objects;
    expect(text(prop(privateNet, 'publicNetworkAccess'))).toBe('Disabled');
    expect(text(prop(privateNet, 'delegatedSubnetResourceId'))).toBe('delegatedSubnetId');
    expect(text(prop(publicNet, 'publicNetworkAccess'))).toBe('Enabled');
    const vnet = resource('Microsoft.Network/virtualNetworks');
    const subnets = prop(vnet.body, 'properties.subnets');
    const delegations = subnets?.kind === 'array' ? subnets.items.map((s) => text(prop((prop(s, 'properties.delegations') as { items: BicepValue[] }).items[0], 'properties.serviceName'))) : [];
    expect(delegations).toEqual(['Microsoft.Web/serverFarms', 'Microsoft.DBforPostgreSQL/flexibleServers']);
  });
});

describe('the bot, monitoring, files', () => {
  test('Azure Bot: single tenant, messaging endpoint https://<api host>/api/messages, Teams channel', () => {
    const bot = resource('Microsoft.BotService/botServices');
    expect(text(prop(bot.body, 'properties.endpoint'))).toBe('https://${apiHostName}/api/messages');
    expect(text(prop(bot.body, 'properties.msaAppType'))).toBe('SingleTenant');
    expect(text(prop(bot.body, 'properties.msaAppId'))).toBe('botAppId');
    expect(text(bot.body.properties.get('location'))).toBe('global');
    const channel = resource('Microsoft.BotService/botServices/channels');
    expect(text(channel.body.properties.get('name'))).toBe('MsTeamsChannel');
    expect(prop(channel.body, 'properties.properties.isEnabled')).toEqual({ kind: 'bool', value: true });
    const call = main.modules.find((m) => m.path === 'modules/bot.bicep')!;
    expect(text(prop(call.body, 'params.apiHostName'))).toBe('appService.outputs.publicHostName');
  });

  test('Application Insights is workspace-based and its connection string reaches the apps', () => {
    const insights = resource('Microsoft.Insights/components');
    expect(text(prop(insights.body, 'properties.WorkspaceResourceId'))).toBe('workspace.id');
    const call = main.modules.find((m) => m.path === 'modules/app-service.bicep')!;
    expect(text(prop(call.body, 'params.appInsightsConnectionString'))).toBe('monitoring.outputs.connectionString');
  });

  test('attachments live on an Azure Files share mounted where RUCHE_FILES_DIR points', () => {
    const appService = modules.get('modules/app-service.bicep')!;
    const mount = text(appService.vars.find((v) => v.name === 'filesMountPath')!.value);
    const siteConfig = appService.vars.find((v) => v.name === 'commonSiteConfig')!.value;
    expect(text(prop(siteConfig, 'azureStorageAccounts.files.mountPath'))).toBe('filesMountPath');
    expect(text(prop(siteConfig, 'azureStorageAccounts.files.type'))).toBe('AzureFiles');
    expect(text(prop(appService.vars.find((v) => v.name === 'sharedSettings')!.value, 'RUCHE_FILES_DIR'))).toBe('filesMountPath');
    expect(mount).toMatch(/^\/mnt\//);
  });
});

describe('parameter files', () => {
  const required = main.params.filter((p) => p.value === undefined).map((p) => p.name);
  const declared = new Set(main.params.map((p) => p.name));

  test('azure.parameters.json (Agents Toolkit) gives every required parameter and no unknown one', () => {
    const file = JSON.parse(readRepoFile('infra/azure.parameters.json')) as { parameters: Record<string, { value: unknown }> };
    const names = Object.keys(file.parameters);
    for (const name of names) expect({ name, declared: declared.has(name) }).toEqual({ name, declared: true });
    for (const name of required) expect(names).toContain(name);
    // Secret parameters come from SECRET_* variables, which the toolkit keeps out of git.
    for (const p of main.params.filter((x) => x.secure)) {
      const value = file.parameters[p.name]?.value;
      if (value !== undefined) expect(value).toMatch(/^\$\{\{SECRET_[A-Z0-9_]+\}\}$/);
    }
  });

  test('main.bicepparam (Azure CLI) uses main.bicep, gives every required parameter, reads secrets from the environment', () => {
    const file = readBicep('infra/main.bicepparam');
    expect(file.using).toBe('./main.bicep');
    const names = file.params.map((p) => p.name);
    for (const name of names) expect({ name, declared: declared.has(name) }).toEqual({ name, declared: true });
    for (const name of required) expect(names).toContain(name);
    for (const p of file.params) {
      if (main.params.find((m) => m.name === p.name)?.secure) expect(text(p.value)).toMatch(/^readEnvironmentVariable\('SECRET_[A-Z_]+'/);
    }
  });
});
