/**
 * Opens spfx-webparts/sharepoint/solution/ruche.sppkg (built by `npm run build`, or
 * `npm run build:sharepoint`; .ci/run builds it before the tests) and checks what an admin relies on:
 * stable ids, hosts, the API permission request and the assets packaged inside.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sppkgPath = path.join(root, 'spfx-webparts/sharepoint/solution/ruche.sppkg');
const built = existsSync(sppkgPath);
const required = process.env.CI === 'true' || process.env.RUCHE_REQUIRE_SPFX === '1';

const solutionId = '0b1215b5-06ab-4dfc-83f0-ac02681fed41';
const featureId = 'ce2961c8-e05b-4540-afa0-1ba83b7294e2';
/** Component ids are committed and must never change: pages reference web parts by id. */
const webParts: Record<string, string> = {
  FeedWebPart: '53c1d3ff-005d-4bd9-bcb6-52710ee7a40e',
  CommunitiesWebPart: 'b9bec5c3-8fd7-4ddd-88d5-9b68106d0701',
  AnnouncementsWebPart: '0d678d1e-940b-434c-9414-3b74333a63a1',
  PeopleCardWebPart: '0b9cf460-e7a7-46c1-aec6-2cea5a2717a6',
  ExpertsWebPart: '090f9be1-5293-4f85-bd71-62cb1a3b5159',
  KudosWallWebPart: 'dc6f9a4f-0296-4a19-b908-ac2c8beb2012',
  LeaderboardWebPart: 'f30c9cdb-ef1f-4aa0-b914-ad19e245eb20',
};
const hosts = ['SharePointWebPart', 'SharePointFullPage', 'TeamsTab', 'TeamsPersonalApp'];

function decodeXmlAttribute(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

interface ComponentManifest {
  id: string;
  alias: string;
  componentType: string;
  supportedHosts: string[];
  supportsThemeVariants: boolean;
  loaderConfig: { internalModuleBaseUrls: string[]; scriptResources: Record<string, { type: string; path?: string; paths?: Record<string, string> }> };
}

if (!built && !required) {
  console.warn(`SharePoint package tests skipped: ${path.relative(root, sppkgPath)} is not built (npm run build:sharepoint)`);
  test.skip(`ruche.sppkg not built: run \`npm run build:sharepoint\` to check the SharePoint package (${path.relative(root, sppkgPath)})`, () => undefined);
} else {
  describe('SharePoint package ruche.sppkg', () => {
    let zip: JSZip;
    const text = async (name: string) => {
      const file = zip.file(name);
      if (!file) throw new Error(`${name} is not in ruche.sppkg`);
      return file.async('string');
    };
    const manifests = async (): Promise<ComponentManifest[]> => {
      const files = zip.file(new RegExp(`^${featureId}/WebPart_[0-9a-f-]+\\.xml$`));
      return Promise.all(
        files.map(async (f) => {
          const xml = await f.async('string');
          const m = /ComponentManifest="([^"]*)"/.exec(xml);
          if (!m) throw new Error(`${f.name} has no ComponentManifest`);
          return JSON.parse(decodeXmlAttribute(m[1]!)) as ComponentManifest;
        }),
      );
    };

    beforeAll(async () => {
      if (!built) throw new Error(`${sppkgPath} is missing: CI must build it (npm run build:sharepoint)`);
      zip = await JSZip.loadAsync(readFileSync(sppkgPath));
    });

    test('is the Ruche solution, with its stable id, deployable tenant-wide', async () => {
      const app = await text('AppManifest.xml');
      expect(app).toContain(`ProductID="${solutionId}"`);
      expect(app).toContain('Name="ruche"');
      expect(app).toContain('IsClientSideSolution="true"');
      expect(app).toContain('SkipFeatureDeployment="true"');
    });

    test('asks for the Ruche API permission access_as_user', async () => {
      const app = await text('AppManifest.xml');
      expect(app).toMatch(/<WebApiPermissionRequest ResourceId="Ruche" Scope="access_as_user"/);
    });

    test('holds each web part with its stable id, hosts and theme variants', async () => {
      const found = await manifests();
      const byAlias = Object.fromEntries(found.map((m) => [m.alias, m]));
      expect(Object.keys(byAlias).sort()).toEqual(Object.keys(webParts).sort());
      for (const [alias, id] of Object.entries(webParts)) {
        const m = byAlias[alias]!;
        expect(m.id).toBe(id);
        expect(m.componentType).toBe('WebPart');
        expect([...m.supportedHosts].sort()).toEqual([...hosts].sort());
        expect(m.supportsThemeVariants).toBe(true);
      }
    });

    test('includes the client-side assets: every script a web part loads is inside the package', async () => {
      const found = await manifests();
      const assets = new Set(zip.file(/^ClientSideAssets\//).map((f) => f.name.slice('ClientSideAssets/'.length)));
      for (const m of found) {
        // includeClientSideAssets: served from the tenant's app catalog, not from a CDN.
        expect(m.loaderConfig.internalModuleBaseUrls).toEqual(['HTTPS://SPCLIENTSIDEASSETLIBRARY/']);
        const paths = Object.values(m.loaderConfig.scriptResources).flatMap((r) =>
          r.type === 'path' && r.path ? [r.path] : r.type === 'localizedPath' ? Object.values(r.paths ?? {}).concat(r.path ? [r.path] : []) : [],
        );
        expect(paths.length).toBeGreaterThan(0);
        for (const p of paths) expect(assets).toContain(p);
      }
      // The bundle is real code (the shared ui, Fluent UI v9), and both languages' strings are there.
      const bundle = [...assets].find((a) => /^ruche-web-parts_[0-9a-f]+\.js$/.test(a));
      expect(bundle).toBeDefined();
      const code = await text(`ClientSideAssets/${bundle}`);
      expect(code.length).toBeGreaterThan(100_000);
      expect(code.startsWith('/*!') || code.startsWith('define(')).toBe(true);
      // Each web part's own chunk, and every chunk the bundle may load, is packaged beside it.
      for (const name of ['kudos-wall', 'leaderboard', 'people-card', 'feed', 'experts']) {
        expect([...assets].some((a) => new RegExp(`^chunk\\.${name}_[0-9a-f]+\\.js$`).test(a))).toBe(true);
      }
      const hashes = /\{((?:\d+:"[0-9a-f]+",?)+)\}\[e\]\+"\.js"/.exec(code);
      expect(hashes).not.toBeNull();
      const names = /"chunk\."\+\(\{([^}]*)\}\[e\]\|\|e\)/.exec(code);
      const nameOf = Object.fromEntries([...(names?.[1] ?? '').matchAll(/(\d+):"([\w-]+)"/g)].map((m) => [m[1]!, m[2]!]));
      for (const [, id, hash] of hashes![1]!.matchAll(/(\d+):"([0-9a-f]+)"/g)) expect(assets).toContain(`chunk.${nameOf[id!] ?? id}_${hash}.js`);
      expect([...assets].some((a) => a.startsWith('RucheWebPartStrings_en-us'))).toBe(true);
      expect([...assets].some((a) => a.startsWith('RucheWebPartStrings_fr-fr'))).toBe(true);
    });
  });
}
