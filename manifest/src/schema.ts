/**
 * Offline validation against the schemas bundled in @microsoft/app-manifest. The schema
 * files are read from the package folder and handed to AppManifestUtils explicitly, so no
 * validation ever fetches anything from the network.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AppManifest, AppManifestUtils } from '@microsoft/app-manifest';
import { appManifestPackage } from './app-manifest.js';
import { ManifestBuildError, ManifestErrorCode } from './errors.js';

/** The newest generally available Teams manifest version bundled by @microsoft/app-manifest 1.1.2. */
export const MANIFEST_VERSION = '1.30';
export const MANIFEST_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
export const LOCALIZATION_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.Localization.schema.json`;

type JsonSchema = Record<string, unknown>;
type SchemaArgument = NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>;

/** The folder of the bundled Teams schemas for one manifest version. */
export function bundledSchemaDir(version: string = MANIFEST_VERSION): string {
  const entry = createRequire(import.meta.url).resolve('@microsoft/app-manifest');
  return join(dirname(entry), 'json-schemas', 'teams', `v${version}`);
}

function readSchema(file: string): JsonSchema {
  if (!existsSync(file)) {
    throw new ManifestBuildError(
      ManifestErrorCode.SchemaNotBundled,
      [`${file} does not exist`],
      `@microsoft/app-manifest does not bundle the Teams ${MANIFEST_VERSION} schema`,
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
}

let manifestSchema: JsonSchema | undefined;
let localizationSchema: JsonSchema | undefined;

export function loadManifestSchema(): JsonSchema {
  manifestSchema ??= readSchema(join(bundledSchemaDir(), 'MicrosoftTeams.schema.json'));
  return manifestSchema;
}

/**
 * The bundled localisation schema, with its regular expressions made valid for Ajv.
 * Ajv compiles patterns with the `u` flag, under which the schema's activity-type
 * patterns (`...\b]\.description$`, a lone `]`) are syntax errors; without `u` a lone `]`
 * is a literal `]`, which is what the schema means. escapeLoneBrackets writes exactly that.
 */
export function loadLocalizationSchema(): JsonSchema {
  localizationSchema ??= escapeSchemaPatterns(readSchema(join(bundledSchemaDir(), 'MicrosoftTeams.Localization.schema.json')));
  return localizationSchema;
}

/** Escapes every `]` that does not close a character class: same meaning, valid with the `u` flag. */
export function escapeLoneBrackets(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') inClass = true;
    out += c === ']' ? '\\]' : c;
  }
  return out;
}

function escapeSchemaPatterns(schema: unknown): JsonSchema {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'pattern' && typeof value === 'string') out[key] = escapeLoneBrackets(value);
      else if (key === 'patternProperties' && value !== null && typeof value === 'object') {
        out[key] = Object.fromEntries(Object.entries(value).map(([p, s]) => [escapeLoneBrackets(p), walk(s)]));
      } else out[key] = walk(value);
    }
    return out;
  };
  return walk(schema) as JsonSchema;
}

export interface SchemaProblem {
  /** The field at fault: `bots[0].botId` in a manifest, the key itself in a localisation file. */
  readonly field: string;
  readonly message: string;
}

/** Turns a JSON pointer into the dotted form Teams uses (`/bots/0/botId` -> `bots[0].botId`). */
export function pointerToField(pointer: string): string {
  if (pointer === '') return '(root)';
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((field, segment) => (/^\d+$/.test(segment) ? `${field}[${segment}]` : field === '' ? segment : `${field}.${segment}`), '');
}

/** Parses AppManifestUtils' "<pointer> <message>. Details: <params>" lines. */
function parseProblem(line: string): SchemaProblem {
  const space = line.indexOf(' ');
  const pointer = space < 0 ? line : line.slice(0, space);
  let message = space < 0 ? '' : line.slice(space + 1);
  const at = message.lastIndexOf('. Details: ');
  if (at >= 0) {
    const details = message.slice(at + '. Details: '.length);
    message = message.slice(0, at);
    try {
      const params = JSON.parse(details) as Record<string, unknown>;
      if (typeof params.additionalProperty === 'string') message += `: ${JSON.stringify(params.additionalProperty)}`;
      if (Array.isArray(params.allowedValues)) message += `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    } catch {
      /* keep the message as it is */
    }
  }
  return { field: pointerToField(pointer), message };
}

async function validate(document: unknown, schema: JsonSchema): Promise<SchemaProblem[]> {
  const lines = await appManifestPackage().AppManifestUtils.validateAgainstSchema(document as AppManifest, schema as unknown as SchemaArgument);
  return lines.map(parseProblem);
}

export function validateManifest(manifest: unknown): Promise<SchemaProblem[]> {
  return validate(manifest, loadManifestSchema());
}

export function validateLocalization(localization: unknown): Promise<SchemaProblem[]> {
  return validate(localization, loadLocalizationSchema());
}
