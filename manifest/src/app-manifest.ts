/**
 * @microsoft/app-manifest, loaded with Node's own `require`.
 *
 * The package is CommonJS and require()s strip-bom 5, an ES module. Node >= 20.19 allows
 * require() of ES modules, but Jest's module registry does not ("Must use import to load
 * ES Module"). Taking `module` from process.getBuiltinModule gives Node's real loader both
 * under plain node and under Jest, so the build and its tests run the same validator.
 */
import type * as AppManifestPackage from '@microsoft/app-manifest';

let loaded: typeof AppManifestPackage | undefined;

export function appManifestPackage(): typeof AppManifestPackage {
  if (loaded === undefined) {
    const { createRequire } = process.getBuiltinModule('node:module');
    loaded = createRequire(import.meta.url)('@microsoft/app-manifest') as typeof AppManifestPackage;
  }
  return loaded;
}
