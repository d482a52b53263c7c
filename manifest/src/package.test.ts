import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { main } from './cli.js';
import { ACCENT_COLOR } from './icons.js';
import { ManifestBuildError, ManifestErrorCode } from './errors.js';
import { localizableFields } from './localization.js';
import { buildAppPackage, type BuildOptions } from './package.js';
import { appPackageDir, defaultOutFile, workspaceRoot } from './paths.js';
import { MANIFEST_SCHEMA_URL, MANIFEST_VERSION, validateLocalization, validateManifest } from './schema.js';
import { VARIABLES } from './variables.js';

const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  TAB_ENDPOINT: 'https://ruche.contoso.com',
  BOT_ID: '6d1c9a4e-3b2f-4c5d-8e7f-9a0b1c2d3e4f',
  AAD_APP_CLIENT_ID: '0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f',
  APP_ID: '4b7d2e1a-9c8f-4e3d-a2b1-0f9e8d7c6b5a',
  APP_VERSION: '2.3.4',
};

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ruche-manifest-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

let builds = 0;
async function build(options: BuildOptions): Promise<{ zip: JSZip; bytes: Buffer; outFile: string }> {
  const outFile = join(work, `app-${++builds}.zip`);
  await buildAppPackage({ ...options, outFile });
  const bytes = readFileSync(outFile);
  return { zip: await JSZip.loadAsync(bytes), bytes, outFile };
}

async function text(zip: JSZip, name: string): Promise<string> {
  const file = zip.file(name);
  if (file === null) throw new Error(`${name} is not in the zip`);
  return file.async('string');
}

async function buildError(options: BuildOptions): Promise<ManifestBuildError> {
  try {
    await buildAppPackage({ outFile: join(work, 'failed.zip'), ...options });
  } catch (error) {
    if (error instanceof ManifestBuildError) return error;
    throw error;
  }
  throw new Error('expected the build to fail');
}

interface EditableManifest {
  name: { short: string };
  developer: { websiteUrl: string };
  staticTabs: Record<string, unknown>[];
  configurableTabs: { configurationUrl: string }[];
}

/** A copy of the template folder with manifest.json edited. */
function editedTemplate(edit: (manifest: EditableManifest) => void): string {
  const dir = mkdtempSync(join(work, 'template-'));
  cpSync(appPackageDir(), dir, { recursive: true });
  const file = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as EditableManifest;
  edit(manifest);
  writeFileSync(file, JSON.stringify(manifest, null, 2));
  return dir;
}

describe('the Teams app package', () => {
  it('writes manifest/build/ruche-teams-app.zip by default', () => {
    expect(defaultOutFile()).toBe(join(workspaceRoot(), 'build', 'ruche-teams-app.zip'));
  });

  it('holds manifest.json, fr-fr.json and the two icons at the zip root', async () => {
    const { zip } = await build({ env: {} });
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'fr-fr.json', 'manifest.json', 'outline.png']);
  });

  it(`holds a manifest that validates against the bundled Teams ${MANIFEST_VERSION} schema`, async () => {
    for (const env of [{}, PRODUCTION_ENV]) {
      const { zip } = await build({ env });
      const manifest = JSON.parse(await text(zip, 'manifest.json')) as Record<string, unknown>;
      expect(manifest.manifestVersion).toBe(MANIFEST_VERSION);
      expect(manifest.$schema).toBe(MANIFEST_SCHEMA_URL);
      expect(await validateManifest(manifest)).toEqual([]);
    }
  });

  it('replaces every ${{VAR}} with its value', async () => {
    const { zip } = await build({ env: PRODUCTION_ENV });
    const manifestText = await text(zip, 'manifest.json');
    expect(manifestText).not.toMatch(/\$\{\{/);
    expect(await text(zip, 'fr-fr.json')).not.toMatch(/\$\{\{/);
    const manifest = JSON.parse(manifestText);
    expect(manifest.id).toBe(PRODUCTION_ENV.APP_ID);
    expect(manifest.version).toBe('2.3.4');
    expect(manifest.bots[0].botId).toBe(PRODUCTION_ENV.BOT_ID);
    expect(manifest.composeExtensions[0].botId).toBe(PRODUCTION_ENV.BOT_ID);
    expect(manifest.staticTabs[0].contentUrl).toBe('https://ruche.contoso.com/tabs/home');
    expect(manifest.configurableTabs[0].configurationUrl).toBe('https://ruche.contoso.com/tabs/config');
    expect(manifest.validDomains).toContain('ruche.contoso.com');
    expect(manifest.webApplicationInfo).toEqual({
      id: PRODUCTION_ENV.AAD_APP_CLIENT_ID,
      resource: `api://ruche.contoso.com/${PRODUCTION_ENV.AAD_APP_CLIENT_ID}`,
      nestedAppAuthInfo: [
        {
          redirectUri: 'brk-multihub://ruche.contoso.com',
          scopes: [`api://ruche.contoso.com/${PRODUCTION_ENV.AAD_APP_CLIENT_ID}/access_as_user`],
        },
      ],
    });
    const template = readFileSync(join(appPackageDir(), 'manifest.json'), 'utf8');
    for (const spec of VARIABLES) expect(template).toContain(`\${{${spec.name}}}`);
  });

  it('has the tabs, bot commands, message extensions and activity types Ruche needs', async () => {
    const { zip } = await build({ env: {} });
    const manifest = JSON.parse(await text(zip, 'manifest.json'));
    expect(manifest.staticTabs.filter((t: { name?: string }) => t.name).map((t: { name: string }) => t.name)).toEqual([
      'Home', 'Communities', 'Kudos', 'Experts', 'Me', 'Insights',
    ]);
    expect(manifest.configurableTabs[0]).toMatchObject({ canUpdateConfiguration: true, scopes: ['team', 'groupChat'] });
    expect(manifest.bots[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(manifest.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title)).toEqual([
      'help', 'kudos', 'who knows', 'post', 'ask', 'feed', 'communities', 'join', 'announcements', 'meetups', 'digest',
    ]);
    const commands = manifest.composeExtensions[0].commands as { title: string; type: string; context: string[]; fetchTask?: boolean; parameters?: unknown[] }[];
    expect(commands.map((c) => [c.title, c.type])).toEqual([
      ['Find an expert', 'query'], ['Find a post', 'query'], ['Give kudos', 'action'], ['Share to a community', 'action'],
    ]);
    for (const c of commands.filter((c) => c.type === 'action')) expect(c).toMatchObject({ context: ['message'], fetchTask: true });
    for (const c of commands.filter((c) => c.type === 'query')) expect(c.parameters).toHaveLength(1);
    expect(manifest.activities.activityTypes.map((a: { type: string }) => a.type)).toEqual([
      'mention', 'kudosReceived', 'acknowledgementRequested', 'meetupMatched',
    ]);
  });

  it('holds icons of the right sizes, the outline white on transparent', async () => {
    const { zip } = await build({ env: {} });
    const color = PNG.sync.read(await zip.file('color.png')!.async('nodebuffer'));
    const outline = PNG.sync.read(await zip.file('outline.png')!.async('nodebuffer'));
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
    expect(JSON.parse(await text(zip, 'manifest.json')).accentColor).toBe(ACCENT_COLOR);
    for (let i = 0; i < outline.data.length; i += 4) {
      const pixel = [...outline.data.subarray(i, i + 4)];
      if (pixel[3] !== 0) expect(pixel).toEqual([255, 255, 255, 255]);
    }
  });

  it('holds a French file that validates and translates every localisable string of the manifest', async () => {
    const { zip } = await build({ env: {} });
    const manifest = JSON.parse(await text(zip, 'manifest.json'));
    const french = JSON.parse(await text(zip, 'fr-fr.json')) as Record<string, string>;
    expect(manifest.localizationInfo).toEqual({
      defaultLanguageTag: 'en-us',
      additionalLanguages: [{ languageTag: 'fr-fr', file: 'fr-fr.json' }],
    });
    expect(await validateLocalization(french)).toEqual([]);
    const localizable = [...localizableFields(manifest).keys()];
    // Every kind of field used must be covered: tabs, commands, extensions, parameters, activities.
    for (const prefix of ['name.', 'description.', 'staticTabs[', 'bots[0].commandLists[0].commands[', 'composeExtensions[0].commands[', 'activities.activityTypes[']) {
      expect(localizable.some((key) => key.startsWith(prefix))).toBe(true);
    }
    expect(localizable).toContain('composeExtensions[0].commands[0].parameters[0].title');
    expect(Object.keys(french).filter((k) => k !== '$schema').sort()).toEqual([...localizable].sort());
    expect(french['staticTabs[0].name']).toBe('Accueil');
    expect(french['bots[0].commandLists[0].commands[2].title']).toBe('qui sait');
  });

  it('gives the same bytes for the same inputs', async () => {
    const a = await build({ env: PRODUCTION_ENV });
    const b = await build({ env: PRODUCTION_ENV });
    expect(a.bytes.equals(b.bytes)).toBe(true);
  });

  it('fails in production without BOT_ID, saying so', async () => {
    const { BOT_ID: _omitted, ...env } = PRODUCTION_ENV;
    const error = await buildError({ env });
    expect(error.code).toBe(ManifestErrorCode.VariableMissing);
    expect(error.message).toMatch(/BOT_ID is not set/);
    const lines: string[] = [];
    const code = await main({ env, outFile: join(work, 'cli.zip') }, { log: (l) => lines.push(l), error: (l) => lines.push(l) });
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/not built \[RUCHE_MANIFEST_001\].*BOT_ID/s);
  });

  it('names the manifest field that breaks the schema, and the variable it came from', async () => {
    const tooLong = editedTemplate((m) => {
      m.name.short = 'Ruche, the social layer of the intranet';
    });
    const error = await buildError({ env: {}, sourceDir: tooLong });
    expect(error.code).toBe(ManifestErrorCode.SchemaInvalid);
    expect(error.problems).toEqual(['name.short must NOT have more than 30 characters']);

    const badResource = editedTemplate((m) => {
      m.configurableTabs[0]!.configurationUrl = 'ftp://${{TAB_DOMAIN}}/tabs/config';
    });
    const second = await buildError({ env: {}, sourceDir: badResource });
    expect(second.problems[0]).toMatch(/^configurableTabs\[0\]\.configurationUrl must match pattern .* \(filled from \$\{\{TAB_DOMAIN\}\}\)$/);
  });

  it('refuses unknown placeholders, untranslated fields and tabs outside validDomains', async () => {
    const unknown = editedTemplate((m) => {
      m.developer.websiteUrl = '${{WEBSITE_URL}}';
    });
    expect((await buildError({ env: {}, sourceDir: unknown })).problems).toEqual(['manifest.json uses ${{WEBSITE_URL}}, which no variable defines']);

    const untranslated = editedTemplate((m) => {
      m.staticTabs.splice(6, 0, { entityId: 'search', name: 'Search', contentUrl: '${{TAB_ENDPOINT}}/tabs/search', scopes: ['personal'] });
    });
    const localization = await buildError({ env: {}, sourceDir: untranslated });
    expect(localization.code).toBe(ManifestErrorCode.LocalizationInvalid);
    expect(localization.problems).toEqual(['fr-fr.json does not translate "staticTabs[6].name"']);

    const elsewhere = editedTemplate((m) => {
      m.staticTabs[0]!.contentUrl = 'https://elsewhere.example.com/tabs/home';
    });
    const rules = await buildError({ env: {}, sourceDir: elsewhere });
    expect(rules.code).toBe(ManifestErrorCode.RuleBroken);
    expect(rules.problems[0]).toMatch(/^staticTabs\[0\]\.contentUrl .* validDomains/);
  });
});
