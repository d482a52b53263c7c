export function openApiDocument(server: {
  buildApp: (...args: never[]) => unknown;
  loadConfig: (...args: never[]) => unknown;
  createLogger: (...args: never[]) => unknown;
}): Promise<Record<string, unknown>>;
export const header: string;
export function documentText(document: unknown): string;
export function typesOf(document: unknown): Promise<string>;
