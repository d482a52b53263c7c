/**
 * Builds the Teams app package: fills the template from the environment, validates the
 * manifest, its translations and its icons offline, and writes the zip.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import JSZip from 'jszip';
import { ManifestBuildError, ManifestErrorCode } from './errors.js';
import { checkIcons } from './icons.js';
import { translationProblems } from './localization.js';
import { appPackageDir, defaultOutFile } from './paths.js';
import { ruleProblems } from './rules.js';
import { LOCALIZATION_SCHEMA_URL, MANIFEST_SCHEMA_URL, MANIFEST_VERSION, validateLocalization, validateManifest } from './schema.js';
import { fillPlaceholders, placeholderFields } from './template.js';
import { isProduction, resolveVariables, type Variables } from './variables.js';

export interface BuildOptions {
  /** Where variables are read from; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Production mode: defaults to env.NODE_ENV === 'production'. */
  readonly production?: boolean;
  /** The zip to write; defaults to manifest/build/ruche-teams-app.zip. */
  readonly outFile?: string;
  /** The template folder; defaults to manifest/appPackage. */
  readonly sourceDir?: string;
}

export interface BuildResult {
  readonly outFile: string;
  readonly production: boolean;
  readonly variables: Variables;
  /** The filled manifest, as written into the zip. */
  readonly manifest: Record<string, unknown>;
  /** The names of the files at the zip root. */
  readonly files: readonly string[];
}

/** A fixed date for every zip entry, so the same inputs give the same bytes. */
const ZIP_DATE = new Date(Date.UTC(2025, 0, 1));

interface ManifestHead {
  $schema?: unknown;
  manifestVersion?: unknown;
  icons?: { color?: unknown; outline?: unknown };
  localizationInfo?: { additionalLanguages?: { languageTag?: unknown; file?: unknown }[] };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ManifestBuildError(ManifestErrorCode.SchemaInvalid, [`${file}: ${(error as Error).message}`], `${file} is not valid JSON`);
  }
}

function readSource(sourceDir: string, file: string): Buffer {
  try {
    return readFileSync(join(sourceDir, file));
  } catch {
    throw new ManifestBuildError(ManifestErrorCode.RuleBroken, [`${file} is referenced by the manifest but is not in ${sourceDir}`], `Missing package file ${file}`);
  }
}

export async function buildAppPackage(options: BuildOptions = {}): Promise<BuildResult> {
  const env = options.env ?? process.env;
  const production = isProduction(env, options);
  const sourceDir = options.sourceDir ?? appPackageDir();
  const outFile = options.outFile ?? defaultOutFile();
  const variables = resolveVariables(env, { production });

  const templateText = readFileSync(join(sourceDir, 'manifest.json'), 'utf8');
  const template = parseJson(templateText, 'manifest.json (template)');
  const manifest = parseJson(fillPlaceholders(templateText, variables, 'manifest.json'), 'manifest.json') as Record<string, unknown>;
  const head = manifest as ManifestHead;

  if (head.manifestVersion !== MANIFEST_VERSION || head.$schema !== MANIFEST_SCHEMA_URL) {
    throw new ManifestBuildError(
      ManifestErrorCode.SchemaInvalid,
      [`manifestVersion is ${JSON.stringify(head.manifestVersion)} and $schema ${JSON.stringify(head.$schema)}; expected ${MANIFEST_VERSION} and ${MANIFEST_SCHEMA_URL}`],
      'manifest.json does not use the manifest version this build validates against',
    );
  }

  const origins = placeholderFields(template);
  const schemaProblems = await validateManifest(manifest);
  if (schemaProblems.length > 0) {
    throw new ManifestBuildError(
      ManifestErrorCode.SchemaInvalid,
      schemaProblems.map(({ field, message }) => {
        const from = origins.get(field);
        return `${field} ${message}${from ? ` (filled from ${from.map((v) => `\${{${v}}}`).join(', ')})` : ''}`;
      }),
      `manifest.json does not validate against the Teams ${MANIFEST_VERSION} schema`,
    );
  }

  const rules = ruleProblems(manifest);
  if (rules.length > 0) throw new ManifestBuildError(ManifestErrorCode.RuleBroken, rules, 'manifest.json breaks Teams rules');

  const zip = new JSZip();
  const add = (name: string, content: string | Buffer): void => {
    zip.file(name, content, { date: ZIP_DATE, createFolders: false });
  };
  add('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);

  for (const language of head.localizationInfo?.additionalLanguages ?? []) {
    const file = String(language.file);
    const translation = parseJson(fillPlaceholders(readSource(sourceDir, file).toString('utf8'), variables, file), file) as Record<string, unknown>;
    const problems = [
      ...(translation.$schema === LOCALIZATION_SCHEMA_URL ? [] : [`${file} $schema must be ${LOCALIZATION_SCHEMA_URL}`]),
      ...(await validateLocalization(translation)).map(({ field, message }) => `${file}: ${field === '(root)' ? '' : `"${field.replace(/^\//, '')}" `}${message}`),
      ...translationProblems(manifest, translation, file),
    ];
    if (problems.length > 0) {
      throw new ManifestBuildError(ManifestErrorCode.LocalizationInvalid, problems, `${file} (${String(language.languageTag)}) is not a valid translation of manifest.json`);
    }
    add(file, `${JSON.stringify(translation, null, 2)}\n`);
  }

  const colorFile = String(head.icons?.color);
  const outlineFile = String(head.icons?.outline);
  const color = readSource(sourceDir, colorFile);
  const outline = readSource(sourceDir, outlineFile);
  const iconProblems = checkIcons(color, outline);
  if (iconProblems.length > 0) {
    throw new ManifestBuildError(ManifestErrorCode.IconInvalid, iconProblems.map((p) => `${p.file} ${p.message}`), 'The app icons are not what Teams accepts');
  }
  add(colorFile, color);
  add(outlineFile, outline);

  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 }, platform: 'UNIX' });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, bytes);
  return { outFile, production, variables, manifest, files: Object.keys(zip.files) };
}
