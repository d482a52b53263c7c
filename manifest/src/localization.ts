/**
 * What of a manifest can be translated, according to the bundled localisation schema,
 * and whether a translation file covers exactly that.
 */
import { loadLocalizationSchema } from './schema.js';

/** Every string field of a JSON value, keyed the way localisation files name them (`staticTabs[0].name`). */
export function stringFields(node: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, field: string): void => {
    if (typeof value === 'string') out.set(field, value);
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${field}[${i}]`));
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(child, field === '' ? key : `${field}.${key}`);
    }
  };
  walk(node, prefix);
  return out;
}

interface LocalizationSchemaShape {
  properties?: Record<string, unknown>;
  patternProperties?: Record<string, unknown>;
}

/** Names and patterns of the keys the localisation schema allows (not `$schema` nor `localizationKeys`). */
function allowedKeyMatchers(): ((key: string) => boolean)[] {
  const schema = loadLocalizationSchema() as LocalizationSchemaShape;
  const names = Object.keys(schema.properties ?? {}).filter((k) => k !== '$schema' && k !== 'localizationKeys');
  const patterns = Object.keys(schema.patternProperties ?? {}).map((p) => new RegExp(p, 'u'));
  return [(key) => names.includes(key), ...patterns.map((re) => (key: string) => re.test(key))];
}

/** The fields of this manifest that a localisation file may translate, with their default-language text. */
export function localizableFields(manifest: unknown): Map<string, string> {
  const matchers = allowedKeyMatchers();
  const out = new Map<string, string>();
  for (const [key, value] of stringFields(manifest)) {
    if (matchers.some((matches) => matches(key))) out.set(key, value);
  }
  return out;
}

/** `{actor}`, `{reason}`...: the parameters of an activity template text. */
export function templateParameters(text: string): string[] {
  return [...text.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!).sort();
}

/**
 * Problems of a translation against the manifest: localisable fields it misses, keys that
 * translate no field of the manifest, and activity templates whose parameters differ from
 * the default language (Graph fills them by name, so a renamed one would stay literal).
 */
export function translationProblems(manifest: unknown, translation: Record<string, unknown>, file: string): string[] {
  const problems: string[] = [];
  const fields = localizableFields(manifest);
  for (const key of fields.keys()) {
    if (!(key in translation)) problems.push(`${file} does not translate "${key}"`);
  }
  for (const [key, value] of Object.entries(translation)) {
    if (key === '$schema' || key === 'localizationKeys') continue;
    const original = fields.get(key);
    if (original === undefined) {
      problems.push(`${file} translates "${key}", which the manifest does not have`);
      continue;
    }
    if (typeof value === 'string' && /\.templateText$/.test(key)) {
      const expected = templateParameters(original).join(', ');
      const actual = templateParameters(value).join(', ');
      if (expected !== actual) problems.push(`${file} "${key}" uses parameters {${actual}}, the manifest {${expected}}`);
    }
  }
  return problems;
}
