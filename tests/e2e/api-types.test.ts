import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, loadConfig } from '@ruche/core';
import { buildApp } from '@ruche/server';
import { documentText, openApiDocument, typesOf } from '../../ui/scripts/openapi.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the UI API client', () => {
  let document: Record<string, unknown>;
  beforeAll(async () => {
    document = await openApiDocument({ buildApp, loadConfig, createLogger });
  });

  test('ui/src/api/openapi.json is the server\'s current OpenAPI document (run `npm run generate -w ui`)', async () => {
    const committed = await readFile(path.join(root, 'ui/src/api/openapi.json'), 'utf8');
    expect(committed).toBe(documentText(document));
  });

  test('ui/src/api/schema.d.ts is generated from that document (run `npm run generate -w ui`)', async () => {
    const committed = await readFile(path.join(root, 'ui/src/api/schema.d.ts'), 'utf8');
    expect(committed).toBe(await typesOf(document));
  });
});
