// npm run generate -w ui: compiles the server, dumps its OpenAPI document into
// src/api/openapi.json and regenerates src/api/schema.d.ts.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { documentText, openApiDocument, typesOf } from './openapi.mjs';

const ui = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(ui, '..');
execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'server'], {
  cwd: root,
  stdio: 'inherit',
});
const { buildApp } = await import(path.join(root, 'server/dist/index.js'));
const { loadConfig, createLogger } = await import(path.join(root, 'core/dist/index.js'));
const document = await openApiDocument({ buildApp, loadConfig, createLogger });
await writeFile(path.join(ui, 'src/api/openapi.json'), documentText(document));
await writeFile(path.join(ui, 'src/api/schema.d.ts'), await typesOf(document));
console.log(`wrote src/api/openapi.json and src/api/schema.d.ts (${Object.keys(document.paths).length} paths)`);
