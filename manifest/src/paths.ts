/** Where things are, whether running from src/ (Jest) or from dist/ (node after tsc). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKSPACE_NAME = '@ruche/manifest';

let cachedRoot: string | undefined;

/** The manifest workspace folder (the one holding this package's package.json). */
export function workspaceRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown };
      if (pkg.name === WORKSPACE_NAME) {
        cachedRoot = dir;
        return dir;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${WORKSPACE_NAME} workspace above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The template folder: manifest.json with ${{VAR}} placeholders, translations, icons. */
export function appPackageDir(): string {
  return join(workspaceRoot(), 'appPackage');
}

/** Where `npm run build -w manifest` writes the app package. */
export function defaultOutFile(): string {
  return join(workspaceRoot(), 'build', 'ruche-teams-app.zip');
}

/** The version in manifest/package.json: the default APP_VERSION. */
export function workspaceVersion(): string {
  const pkg = JSON.parse(readFileSync(join(workspaceRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error('manifest/package.json has no version');
  return pkg.version;
}
