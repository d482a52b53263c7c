/**
 * Checks recorded Graph exchanges against the official Graph OpenAPI descriptions kept in
 * ../shared/graph (see PROVENANCE.md there): path (namespace rule: /users/microsoft.graph.delta()
 * is GET /users/delta), method, query parameters, request body and response body schemas.
 * OpenAPI 3.0 specifics: `nullable`, `$ref` to components; the slices' additionalProperties
 * `{type: object}` is read as "extra properties allowed" (Graph adds properties over time).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { RecordedExchange } from '../simulator/index.js';

type Json = Record<string, unknown>;

// ajv and ajv-formats are CommonJS with `exports.default`: the same expression works under Node and Jest ESM.
const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;
type Ajv = InstanceType<typeof Ajv>;

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root (tests/graph/contract -> ../../..). */
export const repoRoot = path.resolve(here, '../../..');
export const graphDescriptionDir = path.resolve(repoRoot, '../shared/graph');

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Template {
  key: string;
  segments: string[];
  item: Json;
}

export interface OperationRef {
  version: string;
  /** Path key in the description, e.g. "/users/microsoft.graph.delta()". */
  pathKey: string;
  method: string;
}

export interface ContractViolation {
  exchange: string;
  problem: string;
}

/** Path segment as Graph's router sees it: the namespace and "()" of bound functions dropped. */
export function normaliseSegment(segment: string): string {
  return segment.replace(/^microsoft\.graph\./, '').replace(/\(\)$/, '');
}

/** OpenAPI 3.0 -> JSON Schema for ajv: nullable as a union with null, extra properties allowed. */
function prepare(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(prepare);
  if (typeof node !== 'object' || node === null) return node;
  const source = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) out[key] = value;
    else out[key] = prepare(value);
  }
  if (typeof out.additionalProperties === 'object' && out.additionalProperties !== null) out.additionalProperties = true;
  if (out.nullable === true) {
    delete out.nullable;
    return { anyOf: [out, { type: 'null' }] };
  }
  if (out.nullable === false) delete out.nullable;
  return out;
}

export class GraphContract {
  private readonly ajv: Ajv;
  private readonly docs = new Map<string, Json>();
  private readonly templates = new Map<string, Template[]>();
  private readonly validators = new Map<unknown, ValidateFunction>();
  /** Operations seen by check(), "METHOD version pathKey". */
  readonly covered = new Set<string>();

  constructor(dir = graphDescriptionDir) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, addUsedSchema: false });
    addFormats(this.ajv);
    for (const name of ['int8', 'int16', 'int32', 'int64', 'uint8', 'double', 'float', 'decimal']) {
      if (!this.ajv.formats[name]) this.ajv.addFormat(name, { type: 'number', validate: (value: number) => Number.isFinite(value) });
    }
    for (const name of ['base64url', 'binary', 'byte']) if (!this.ajv.formats[name]) this.ajv.addFormat(name, () => true);
    for (const [version, file] of [
      ['v1.0', 'graph-v1.0-subset.json'],
      ['beta', 'graph-beta-subset.json'],
    ] as const) {
      const doc = prepare(JSON.parse(readFileSync(path.join(dir, file), 'utf8'))) as Json;
      doc.$id = `graph-${version}`;
      this.docs.set(version, doc);
      this.ajv.addSchema({ $id: `graph-${version}`, components: doc.components }, `graph-${version}`);
      const templates: Template[] = [];
      for (const [key, item] of Object.entries(doc.paths as Json)) {
        templates.push({ key, segments: key.split('/').filter(Boolean).map(normaliseSegment), item: item as Json });
      }
      this.templates.set(version, templates);
    }
  }

  /** The description's path item for a concrete request path, or undefined. */
  findPath(version: string, requestPath: string): Template | undefined {
    const segments = requestPath.split('/').filter(Boolean).map((segment) => normaliseSegment(decodeURIComponent(segment)));
    let best: { template: Template; literals: number } | undefined;
    for (const template of this.templates.get(version) ?? []) {
      if (template.segments.length !== segments.length) continue;
      let literals = 0;
      let ok = true;
      template.segments.forEach((segment, index) => {
        if (/^\{.+\}$/.test(segment)) return;
        if (segment !== segments[index]) ok = false;
        else literals++;
      });
      if (ok && (!best || literals > best.literals)) best = { template, literals };
    }
    return best?.template;
  }

  private resolve(version: string, node: unknown): Json | undefined {
    let current = node as Json | undefined;
    for (let guard = 0; current && typeof current.$ref === 'string' && guard < 10; guard++) {
      const pointer = (current.$ref as string).slice(2).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
      let target: unknown = this.docs.get(version);
      for (const part of pointer) target = (target as Json | undefined)?.[part];
      current = target as Json | undefined;
    }
    return current;
  }

  private validator(version: string, schema: unknown): ValidateFunction {
    const cached = this.validators.get(schema);
    if (cached) return cached;
    {
      const rewrite = (node: unknown): unknown => {
        if (Array.isArray(node)) return node.map(rewrite);
        if (typeof node !== 'object' || node === null) return node;
        const out: Json = {};
        for (const [key, value] of Object.entries(node as Json)) {
          out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `graph-${version}${value}` : rewrite(value);
        }
        return out;
      };
      const validate = this.ajv.compile(rewrite(schema) as object);
      this.validators.set(schema, validate);
      return validate;
    }
  }

  private errorsOf(validate: ValidateFunction): string {
    return this.ajv.errorsText(validate.errors?.slice(0, 5), { separator: '; ' });
  }

  /** Checks one exchange; returns the problems found (empty when it conforms). */
  check(exchange: RecordedExchange): ContractViolation[] {
    const label = `${exchange.method} /${exchange.version}${exchange.path}${exchange.viaBatch ? ' (in $batch)' : ''} -> ${exchange.status}`;
    const problems: string[] = [];
    const done = () => problems.map((problem) => ({ exchange: label, problem }));

    if (exchange.path === '/$batch' && !exchange.viaBatch) {
      // Absent from the descriptions: its inner requests are checked one by one instead.
      const requests = (exchange.requestBody as { requests?: unknown[] } | undefined)?.requests;
      if (!Array.isArray(requests) || requests.length < 1 || requests.length > 20) problems.push('a $batch carries 1 to 20 requests');
      return done();
    }
    const template = this.findPath(exchange.version, exchange.path);
    if (!template) {
      problems.push('path is not in the Graph description');
      return done();
    }
    const method = exchange.method.toLowerCase();
    const operation = template.item[method] as Json | undefined;
    if (!operation || !methods.includes(method as (typeof methods)[number])) {
      problems.push(`method not allowed on ${template.key}`);
      return done();
    }
    this.covered.add(`${exchange.method} ${exchange.version} ${template.key}`);

    // ---- query parameters ----
    const declared = new Map<string, Json>();
    for (const raw of [...((template.item.parameters as unknown[]) ?? []), ...((operation.parameters as unknown[]) ?? [])]) {
      const parameter = this.resolve(exchange.version, raw);
      if (parameter?.in === 'query') declared.set(String(parameter.name), parameter);
    }
    for (const [name, value] of Object.entries(exchange.query)) {
      if ((name === '$skiptoken' || name === '$deltatoken') && method === 'get') continue; // continuation tokens Graph itself issued
      const parameter = declared.get(name);
      if (!parameter) {
        problems.push(`query parameter ${name} is not declared for ${method.toUpperCase()} ${template.key}`);
        continue;
      }
      const schema = parameter.schema as Json | undefined;
      if (!schema) continue;
      const type = (schema.type ?? (schema.anyOf as Json[] | undefined)?.[0]?.type) as string | undefined;
      let typed: unknown = value;
      if (type === 'array') typed = value.split(',');
      else if (type === 'integer' || type === 'number') typed = value.trim() === '' ? value : Number(value);
      else if (type === 'boolean') typed = value === 'true' ? true : value === 'false' ? false : value;
      const validate = this.validator(exchange.version, schema);
      if (!validate(typed)) problems.push(`query parameter ${name}=${value}: ${this.errorsOf(validate)}`);
    }

    // ---- request body ----
    const requestBody = this.resolve(exchange.version, operation.requestBody);
    if (requestBody) {
      const content = requestBody.content as Json | undefined;
      const jsonSchema = (content?.['application/json'] as Json | undefined)?.schema;
      if (exchange.requestBody === undefined) {
        if (requestBody.required === true && jsonSchema) problems.push('request body is required');
      } else if (jsonSchema) {
        const validate = this.validator(exchange.version, jsonSchema);
        if (!validate(exchange.requestBody)) problems.push(`request body: ${this.errorsOf(validate)}`);
      }
    } else if (exchange.requestBody !== undefined) {
      problems.push('request has a body but the operation takes none');
    }

    // ---- response ----
    const responses = operation.responses as Json;
    const status = String(exchange.status);
    const success = exchange.status >= 200 && exchange.status < 300;
    const declaredResponse = this.resolve(
      exchange.version,
      responses[status] ?? (success ? (responses['2XX'] ?? responses['default']) : (responses[`${status[0]}XX`] ?? responses['default'])),
    );
    if (!declaredResponse) {
      problems.push(`status ${status} is not described`);
      return done();
    }
    const content = declaredResponse.content as Json | undefined;
    const body = exchange.responseBody;
    if (!content) {
      if (body !== undefined && exchange.status !== 202) problems.push('response has a body but none is described');
      return done();
    }
    const [mediaType, media] = Object.entries(content)[0] as [string, Json];
    if (body === undefined) {
      if (exchange.status !== 204 && exchange.status !== 202) problems.push(`response body (${mediaType}) is missing`);
      return done();
    }
    if (mediaType === 'application/json') {
      if (!(exchange.contentType ?? '').startsWith('application/json')) problems.push(`content-type ${exchange.contentType} is not application/json`);
      const validate = this.validator(exchange.version, media.schema);
      if (!validate(body)) problems.push(`response body: ${this.errorsOf(validate)}`);
    } else if (mediaType === 'application/octet-stream') {
      if (!(body instanceof Uint8Array) && typeof body !== 'string') problems.push('binary content expected');
    }
    return done();
  }

  checkAll(exchanges: readonly RecordedExchange[]): ContractViolation[] {
    return exchanges.flatMap((exchange) => this.check(exchange));
  }
}
