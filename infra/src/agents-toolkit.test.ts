/**
 * The Agents Toolkit project: m365agents.yml validated offline against the toolkit's own
 * schema (infra/schema, from @microsoft/teamsfx-core), the lifecycle steps in a working
 * order, every ${{VAR}} defined somewhere, and the Entra app manifest.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { ignoreMatcher } from './dockerfile.js';
import { configVariables, dotenvKeys, placeholders, readBicep, readRepoFile, repoRoot } from './repo.js';

interface Step {
  uses: string;
  name?: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}
interface ProjectFile {
  version: string;
  environmentFolderPath: string;
  provision: Step[];
  deploy: Step[];
  publish?: Step[];
}

const source = readRepoFile('m365agents.yml');
const project = parse(source) as ProjectFile;
const schemaSource = readRepoFile('infra/schema/m365agents.schema.v1.13.json');

describe('m365agents.yml', () => {
  test('the schema is the copy PROVENANCE.md describes', () => {
    const hash = createHash('sha256').update(schemaSource).digest('hex');
    expect(readRepoFile('infra/schema/PROVENANCE.md')).toContain(hash);
  });

  test('validates against the toolkit schema v1.13', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(schemaSource) as object);
    const valid = validate(project);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(project.version).toBe('v1.13');
    expect(source).toContain('yaml-language-server: $schema=https://aka.ms/m365-agents-toolkits/v1.13/yaml.schema.json');
  });

  test('m365agents.local.yml validates too, and writes only settings Ruche reads into .env', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(schemaSource) as object);
    const local = parse(readRepoFile('m365agents.local.yml')) as ProjectFile;
    validate(local);
    expect(validate.errors ?? []).toEqual([]);
    const bot = local.provision.find((s) => s.uses === 'botFramework/create')!;
    expect(bot.with!.messagingEndpoint).toBe('${{TAB_ENDPOINT}}/api/messages');
    const envStep = local.deploy.find((s) => s.uses === 'file/createOrUpdateEnvironmentFile')!;
    expect(envStep.with!.target).toBe('./.env');
    expect(readRepoFile('.gitignore')).toMatch(/^\.env$/m);
    const known = configVariables();
    const envs = envStep.with!.envs as Record<string, string>;
    for (const name of Object.keys(envs)) expect({ name, known: known.has(name) }).toEqual({ name, known: true });
    // The same audience as the Teams manifest and the Azure apps.
    expect(envs.ENTRA_APP_ID_URI).toBe('api://${{TAB_DOMAIN}}/${{AAD_APP_CLIENT_ID}}');
    expect(envs).not.toHaveProperty('DATABASE_URL');
  });

  test('the schema rejects a broken file (the validation is not vacuous)', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(schemaSource) as object);
    const broken = structuredClone(project);
    (broken.provision[0]!.writeToEnvironmentFile as Record<string, string>).clientSecret = 'AAD_APP_CLIENT_SECRET';
    expect(validate(broken)).toBe(false);
    expect(validate({ ...project, deploy: [{ uses: 'azureAppService/zipDeploy', with: { artifactFolder: '.' } }] })).toBe(false);
  });

  test('provision: app registrations and the Teams app id, then Azure, then the Entra manifest and the Teams app', () => {
    expect(project.provision.map((s) => s.uses)).toEqual([
      'aadApp/create',
      'botAadApp/create',
      'teamsApp/create',
      'arm/deploy',
      'aadApp/update',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
    const arm = project.provision[3]!.with as { templates: { path: string; parameters: string }[] };
    for (const t of arm.templates) {
      expect(existsSync(path.join(repoRoot, t.path))).toBe(true);
      expect(existsSync(path.join(repoRoot, t.parameters))).toBe(true);
    }
    expect(arm.templates[0]!.path).toBe('./infra/main.bicep');
    const update = project.provision[4]!.with as { manifestPath: string };
    expect(existsSync(path.join(repoRoot, update.manifestPath))).toBe(true);
    for (const step of [...project.provision, ...(project.publish ?? [])]) {
      const manifestPath = step.with?.manifestPath;
      if (typeof manifestPath === 'string' && step.uses.startsWith('teamsApp/')) {
        expect(manifestPath).toBe('./manifest/appPackage/manifest.json');
      }
    }
  });

  test('deploy: install, build, keep production dependencies, zip deploy to the API and the worker', () => {
    expect(project.deploy.map((s) => [s.uses, s.with?.args ?? s.with?.resourceId])).toEqual([
      ['cli/runNpmCommand', 'ci --no-audit --no-fund'],
      ['cli/runNpmCommand', 'run build:app'],
      ['cli/runNpmCommand', 'prune --omit=dev --no-audit --no-fund'],
      ['azureAppService/zipDeploy', '${{API_APP_RESOURCE_ID}}'],
      ['azureAppService/zipDeploy', '${{WORKER_APP_RESOURCE_ID}}'],
    ]);
    for (const s of project.deploy.filter((x) => x.uses === 'azureAppService/zipDeploy')) {
      expect(existsSync(path.join(repoRoot, String(s.with!.ignoreFile)))).toBe(true);
    }
  });

  test('the zip deploy package keeps what the apps run and leaves sources, tests and secrets out', () => {
    const ignored = ignoreMatcher(readRepoFile('infra/.webappignore').split('\n'));
    for (const p of ['package.json', 'node_modules/pg/package.json', 'node_modules/some-package/src/index.js', 'core/package.json', 'core/dist/index.js', 'core/migrations/001_initial.sql', 'core/node_modules/p-limit/index.js', 'server/dist/main.js', 'server/static/signin.html', 'bot/dist/index.js', 'tabs/dist/index.html', 'infra/runtime/start.mjs', 'infra/runtime/healthcheck.mjs']) {
      expect({ path: p, ignored: ignored(p) }).toEqual({ path: p, ignored: false });
    }
    for (const p of ['.git/config', '.env', 'core/src/config.ts', 'server/src/app.ts', 'tests/e2e/x.test.ts', 'spfx-webparts/package.json', 'infra/env/.env.dev.user', 'infra/main.bicep', 'bench/run.ts', 'ui/src/App.tsx']) {
      expect({ path: p, ignored: ignored(p) }).toEqual({ path: p, ignored: true });
    }
    // The launcher the apps start with is in the package.
    expect(existsSync(path.join(repoRoot, 'infra/runtime/start.mjs'))).toBe(true);
  });

  test('publish ends with publishAppPackage', () => {
    expect(project.publish?.at(-1)?.uses).toBe('teamsApp/publishAppPackage');
  });

  test.each([
    ['m365agents.yml', 'dev'],
    ['m365agents.local.yml', 'local'],
  ])('%s: every ${{VAR}} is in the %s environment file, written by an earlier step, a Bicep output or a user secret', (file, env) => {
    const project = parse(readRepoFile(file)) as ProjectFile;
    const envFile = dotenvKeys(readRepoFile(path.join(project.environmentFolderPath, `.env.${env}`)));
    const outputs = new Set(readBicep('infra/main.bicep').outputs.map((o) => o.name));
    // Values the toolkit sets itself, and secrets the person provisioning puts in .env.dev.user.
    const builtIn = new Set(['TEAMSFX_ENV']);
    const userSecrets = new Set(['SECRET_POSTGRES_ADMIN_PASSWORD']);
    const written = new Set<string>();
    const missing: string[] = [];
    const known = (name: string) => envFile.has(name) || written.has(name) || builtIn.has(name) || userSecrets.has(name);
    const check = (where: string, text: string) => {
      for (const name of placeholders(text)) if (!known(name)) missing.push(`${where}: ${name}`);
    };
    for (const stage of ['provision', 'deploy', 'publish'] as const) {
      for (const step of project[stage] ?? []) {
        check(`${stage} ${step.uses}`, JSON.stringify(step.with ?? {}));
        if (step.uses === 'arm/deploy') {
          check('infra/azure.parameters.json', readRepoFile('infra/azure.parameters.json'));
          for (const o of outputs) written.add(o);
        }
        if (step.uses === 'aadApp/update') {
          // aadApp/update generates AAD_APP_ACCESS_AS_USER_PERMISSION_ID when it is empty.
          written.add('AAD_APP_ACCESS_AS_USER_PERMISSION_ID');
          check('infra/aad.manifest.json', readRepoFile('infra/aad.manifest.json'));
        }
        if (step.uses === 'teamsApp/zipAppPackage') check('manifest/appPackage/manifest.json', readRepoFile('manifest/appPackage/manifest.json'));
        if (step.uses === 'botAadApp/create' || step.uses === 'aadApp/create') {
          // Secrets the toolkit creates go to .env.<environment>.user.
          for (const v of Object.values(step.writeToEnvironmentFile ?? {})) if (v.startsWith('SECRET_')) written.add(v);
        }
        for (const v of Object.values(step.writeToEnvironmentFile ?? {})) written.add(v);
      }
    }
    expect(missing).toEqual([]);
    // The Teams package's own variables are all provided at provision time.
    for (const name of ['TAB_ENDPOINT', 'TAB_DOMAIN', 'BOT_ID', 'AAD_APP_CLIENT_ID', 'APP_ID', 'APP_VERSION', 'PRIVACY_URL', 'TERMS_URL']) expect(known(name)).toBe(true);
  });

  test('the environment files hold no secret value and git ignores the .user files', () => {
    for (const env of ['dev', 'local']) {
      const envFile = dotenvKeys(readRepoFile(`infra/env/.env.${env}`));
      expect(envFile.get('TEAMSFX_ENV')).toBe(env);
      for (const [key, value] of envFile) {
        if (/SECRET|PASSWORD/.test(key)) expect({ key, value }).toEqual({ key, value: '' });
      }
    }
    expect(readRepoFile('infra/.gitignore')).toMatch(/^env\/\.env\.\*\.user$/m);
  });
});

describe('aad.manifest.json (the API app registration)', () => {
  const manifest = JSON.parse(readRepoFile('infra/aad.manifest.json')) as {
    signInAudience: string;
    identifierUris: string[];
    oauth2Permissions: { value: string; id: string; isEnabled: boolean; type: string }[];
    preAuthorizedApplications: { appId: string; permissionIds: string[] }[];
    replyUrlsWithType: { url: string; type: string }[];
    requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[];
  };
  const teams = JSON.parse(readRepoFile('manifest/appPackage/manifest.json')) as {
    webApplicationInfo: { id: string; resource: string; nestedAppAuthInfo?: { redirectUri: string; scopes: string[] }[] };
  };

  test('exposes access_as_user under the Application ID URI the Teams manifest names', () => {
    expect(manifest.identifierUris).toEqual([teams.webApplicationInfo.resource]);
    const scope = manifest.oauth2Permissions.find((p) => p.value === 'access_as_user');
    expect(scope).toMatchObject({ isEnabled: true, type: 'User', id: '${{AAD_APP_ACCESS_AS_USER_PERMISSION_ID}}' });
    expect(manifest.signInAudience).toBe('AzureADMyOrg');
  });

  test('pre-authorises the Teams, Microsoft 365, Outlook and SharePoint clients on that scope', () => {
    const ids = manifest.preAuthorizedApplications.map((a) => a.appId);
    expect(ids).toEqual(
      expect.arrayContaining([
        '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
        '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
        '4765445b-32c6-49b0-83e6-1d93765276ca',
        '0ec893e0-5785-4de6-99da-4ed124e5296c',
        'd3590ed6-52b3-4102-aeff-aad2292ab01c',
        'bc59ab01-8403-45c6-8796-ac3ef710b3e3',
        '27922004-5251-4030-b22d-91ecd9a37ea4',
        '08e18876-6177-487e-b8b5-cf950c1e598c',
      ]),
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of manifest.preAuthorizedApplications) expect(a.permissionIds).toEqual(['${{AAD_APP_ACCESS_AS_USER_PERMISSION_ID}}']);
  });

  test('the NAA redirect URI is the one the Teams manifest declares', () => {
    const naa = teams.webApplicationInfo.nestedAppAuthInfo?.[0];
    expect(naa?.redirectUri).toBe('brk-multihub://${{TAB_DOMAIN}}');
    expect(manifest.replyUrlsWithType).toContainEqual({ url: naa!.redirectUri, type: 'Spa' });
  });

  test('asks for the Graph permissions Ruche uses, each one explained in README', () => {
    const graph = manifest.requiredResourceAccess.find((r) => r.resourceAppId === 'Microsoft Graph')!;
    expect(graph.resourceAccess).toEqual([
      { id: 'User.Read', type: 'Scope' },
      { id: 'User.Read.All', type: 'Role' },
      { id: 'TeamsActivity.Send', type: 'Role' },
      { id: 'ExternalConnection.ReadWrite.OwnedBy', type: 'Role' },
      { id: 'ExternalItem.ReadWrite.OwnedBy', type: 'Role' },
    ]);
    const readme = readRepoFile('README.md');
    const section = readme.slice(readme.indexOf('## Deploying to a Microsoft 365 tenant'), readme.indexOf('\n## ', readme.indexOf('## Deploying to a Microsoft 365 tenant') + 5));
    for (const p of graph.resourceAccess) expect(section).toMatch(new RegExp(`\\| \`${p.id.replace(/\./g, '\\.')}\` \\| ${p.type === 'Role' ? 'Application' : 'Delegated'} \\|`));
  });
});
