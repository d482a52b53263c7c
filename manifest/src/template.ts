/** Fills the `${{VAR}}` placeholders of the template files (the Agents Toolkit's syntax). */
import { ManifestBuildError, ManifestErrorCode } from './errors.js';
import type { Variables } from './variables.js';

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The names of the placeholders a text uses, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/**
 * Replaces every placeholder of a JSON text by its value, escaped for a JSON string
 * (placeholders only ever sit inside strings). Unknown placeholders are an error.
 */
export function fillPlaceholders(text: string, variables: Variables, file: string): string {
  const unknown = placeholdersIn(text).filter((name) => !Object.hasOwn(variables, name));
  if (unknown.length > 0) {
    throw new ManifestBuildError(
      ManifestErrorCode.PlaceholderUnknown,
      unknown.map((name) => `${file} uses \${{${name}}}, which no variable defines`),
      `Unknown placeholder in ${file}`,
    );
  }
  return text.replace(PLACEHOLDER, (_match, name: string) => JSON.stringify(variables[name as keyof Variables]).slice(1, -1));
}

/** For each string field of a JSON template that holds placeholders, the variables it uses. */
export function placeholderFields(template: unknown, prefix = ''): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (node: unknown, field: string): void => {
    if (typeof node === 'string') {
      const names = placeholdersIn(node);
      if (names.length > 0) out.set(field, names);
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${field}[${i}]`));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) walk(value, field === '' ? key : `${field}.${key}`);
    }
  };
  walk(template, prefix);
  return out;
}
