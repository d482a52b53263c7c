/**
 * A reader for the Bicep files of infra/: enough of the language to check their structure
 * offline (no Bicep compiler installs from the registries this project uses). It reads the
 * declarations (targetScope, using, param, var, resource, module, output) with their
 * decorators, and their values: string literals (with interpolations), numbers, booleans,
 * objects and arrays are parsed; any other expression is kept as text, with the object
 * literals it contains parsed too, so settings built with union() or a condition can be
 * inspected.
 */

export type BicepValue =
  | { kind: 'string'; value: string; interpolated: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'object'; properties: Map<string, BicepValue> }
  | { kind: 'array'; items: BicepValue[] }
  | { kind: 'for'; text: string; body: BicepValue }
  | { kind: 'expression'; text: string; objects: BicepObject[] };

export type BicepObject = Extract<BicepValue, { kind: 'object' }>;

export interface Decorator {
  name: string;
  /** The arguments as written, without the parentheses. */
  args: string;
}

export interface BicepParam {
  name: string;
  /** Absent in .bicepparam files. */
  type?: string;
  value?: BicepValue;
  decorators: Decorator[];
  secure: boolean;
  line: number;
}

export interface BicepVar {
  name: string;
  value: BicepValue;
  line: number;
}

export interface BicepResource {
  symbol: string;
  type: string;
  apiVersion: string;
  existing: boolean;
  /** The condition of `if (...)`, as written. */
  condition?: string;
  /** Set for `[for ...: {...}]` resources. */
  loop?: string;
  body: BicepObject;
  line: number;
}

export interface BicepModule {
  symbol: string;
  path: string;
  condition?: string;
  body: BicepObject;
  line: number;
}

export interface BicepOutput {
  name: string;
  type: string;
  value: BicepValue;
  line: number;
}

export interface BicepFile {
  targetScope?: string;
  using?: string;
  params: BicepParam[];
  vars: BicepVar[];
  resources: BicepResource[];
  modules: BicepModule[];
  outputs: BicepOutput[];
}

export class BicepSyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(`line ${line}: ${message}`);
    this.name = 'BicepSyntaxError';
  }
}

type Token = (
  | { t: 'ident'; v: string; line: number }
  | { t: 'string'; v: string; interpolated: boolean; raw: string; line: number }
  | { t: 'number'; v: number; line: number }
  | { t: 'punct'; v: string; line: number }
  | { t: 'nl'; line: number }
) & { start: number; end: number };

const PUNCT = ['==', '!=', '>=', '<=', '&&', '||', '??', '.?', '=~', '!~', '{', '}', '[', ']', '(', ')', ':', ',', '.', '=', '?', '@', '!', '<', '>', '+', '-', '*', '/', '%', '|', '#'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];

  let i = 0;
  let line = 1;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    if (c === '\n') {
      tokens.push({ t: 'nl', line, start: i, end: i + 1 });
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (source.startsWith('//', i)) {
      while (i < n && source[i] !== '\n') i++;
      continue;
    }
    if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) throw new BicepSyntaxError('unterminated comment', line);
      for (const ch of source.slice(i, end)) if (ch === '\n') line++;
      i = end + 2;
      continue;
    }
    // Directives such as #disable-next-line run to the end of the line.
    if (c === '#' && /^#[a-z-]+/.test(source.slice(i, i + 30))) {
      while (i < n && source[i] !== '\n') i++;
      continue;
    }
    if (source.startsWith("'''", i)) {
      const end = source.indexOf("'''", i + 3);
      if (end < 0) throw new BicepSyntaxError('unterminated multi-line string', line);
      const v = source.slice(i + 3, end);
      tokens.push({ t: 'string', v, interpolated: false, raw: source.slice(i, end + 3), line, start: i, end: end + 3 });
      for (const ch of v) if (ch === '\n') line++;
      i = end + 3;
      continue;
    }
    if (c === "'") {
      const start = i;
      const startLine = line;
      let v = '';
      let interpolated = false;
      i++;
      while (true) {
        if (i >= n || source[i] === '\n') throw new BicepSyntaxError('unterminated string', startLine);
        const ch = source[i]!;
        if (ch === '\\') {
          const next = source[i + 1];
          const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", $: '$' };
          v += next !== undefined && next in map ? map[next] : `\\${next ?? ''}`;
          i += 2;
          continue;
        }
        if (ch === "'") {
          i++;
          break;
        }
        if (ch === '$' && source[i + 1] === '{') {
          // Interpolation: keep it as written, braces balanced, strings inside skipped.
          interpolated = true;
          let depth = 0;
          let j = i + 1;
          for (; j < n; j++) {
            const d = source[j];
            if (d === '{') depth++;
            else if (d === '}') {
              depth--;
              if (depth === 0) break;
            } else if (d === "'") {
              j++;
              while (j < n && source[j] !== "'") j += source[j] === '\\' ? 2 : 1;
            } else if (d === '\n') throw new BicepSyntaxError('line break inside an interpolation', startLine);
          }
          v += source.slice(i, j + 1);
          i = j + 1;
          continue;
        }
        v += ch;
        i++;
      }
      tokens.push({ t: 'string', v, interpolated, raw: source.slice(start, i), line: startLine, start, end: i });
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i;
      while (j < n && /[0-9.]/.test(source[j]!)) j++;
      tokens.push({ t: 'number', v: Number(source.slice(i, j)), line, start: i, end: j });
      i = j;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < n && /[A-Za-z0-9_]/.test(source[j]!)) j++;
      tokens.push({ t: 'ident', v: source.slice(i, j), line, start: i, end: j });
      i = j;
      continue;
    }
    const p = PUNCT.find((s) => source.startsWith(s, i));
    if (!p) throw new BicepSyntaxError(`unexpected character ${JSON.stringify(c)}`, line);
    tokens.push({ t: 'punct', v: p, line, start: i, end: i + p.length });
    i += p.length;
  }
  tokens.push({ t: 'nl', line, start: n, end: n });
  return tokens;
}

function tokenText(tok: Token): string {
  switch (tok.t) {
    case 'ident':
    case 'punct':
      return tok.v;
    case 'string':
      return tok.raw;
    case 'number':
      return String(tok.v);
    case 'nl':
      return '\n';
  }
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  /** The source text of tokens [from, to): each token as written, one space where there was a gap. */
  private sourceText(from: number, to: number): string {
    let out = '';
    let last: Token | undefined;
    for (const tok of this.tokens.slice(from, to)) {
      if (tok.t === 'nl') continue;
      if (last && tok.start > last.end) out += ' ';
      out += this.source.slice(tok.start, tok.end);
      last = tok;
    }
    return out.trim();
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const tok = this.peek();
    this.pos = Math.min(this.pos + 1, this.tokens.length - 1);
    return tok;
  }

  private atEnd(): boolean {
    return this.pos >= this.tokens.length - 1;
  }

  private skipNewlines(): void {
    while (!this.atEnd() && this.peek().t === 'nl') this.pos++;
  }

  private isPunct(v: string, offset = 0): boolean {
    const tok = this.peek(offset);
    return tok.t === 'punct' && tok.v === v;
  }

  private expectPunct(v: string): void {
    const tok = this.next();
    if (tok.t !== 'punct' || tok.v !== v) throw new BicepSyntaxError(`expected "${v}", found ${JSON.stringify(tokenText(tok))}`, tok.line);
  }

  private expectIdent(): string {
    const tok = this.next();
    if (tok.t !== 'ident') throw new BicepSyntaxError(`expected a name, found ${JSON.stringify(tokenText(tok))}`, tok.line);
    return tok.v;
  }

  private expectString(): string {
    const tok = this.next();
    if (tok.t !== 'string') throw new BicepSyntaxError(`expected a string, found ${JSON.stringify(tokenText(tok))}`, tok.line);
    return tok.v;
  }

  /** Tokens up to the end of the line at nesting depth 0 (not consumed: the newline). */
  private rawUntilLineEnd(stopAt: string[] = []): Token[] {
    const out: Token[] = [];
    let depth = 0;
    while (!this.atEnd()) {
      const tok = this.peek();
      if (depth === 0 && tok.t === 'nl') break;
      if (depth === 0 && tok.t === 'punct' && stopAt.includes(tok.v)) break;
      if (tok.t === 'punct' && ['{', '[', '('].includes(tok.v)) depth++;
      if (tok.t === 'punct' && ['}', ']', ')'].includes(tok.v)) {
        if (depth === 0) break;
        depth--;
      }
      out.push(this.next());
    }
    return out;
  }

  parseFile(): BicepFile {
    const file: BicepFile = { params: [], vars: [], resources: [], modules: [], outputs: [] };
    let decorators: Decorator[] = [];
    this.skipNewlines();
    while (!this.atEnd()) {
      const tok = this.peek();
      if (tok.t === 'punct' && tok.v === '@') {
        this.next();
        const name = this.expectIdent();
        let args = '';
        if (this.isPunct('(')) {
          const start = this.pos;
          this.next();
          let depth = 1;
          while (depth > 0 && !this.atEnd()) {
            const t = this.next();
            if (t.t === 'punct' && t.v === '(') depth++;
            if (t.t === 'punct' && t.v === ')') depth--;
          }
          args = this.sourceText(start + 1, this.pos - 1);
        }
        decorators.push({ name, args });
        this.skipNewlines();
        continue;
      }
      if (tok.t !== 'ident') throw new BicepSyntaxError(`expected a declaration, found ${JSON.stringify(tokenText(tok))}`, tok.line);
      const line = tok.line;
      this.next();
      switch (tok.v) {
        case 'targetScope':
          this.expectPunct('=');
          file.targetScope = this.expectString();
          break;
        case 'using':
          file.using = this.expectString();
          break;
        case 'param': {
          const name = this.expectIdent();
          const typeStart = this.pos;
          this.rawUntilLineEnd(['=']);
          const type = this.sourceText(typeStart, this.pos) || undefined;
          let value: BicepValue | undefined;
          if (this.isPunct('=')) {
            this.next();
            value = this.parseValue();
          }
          file.params.push({ name, ...(type ? { type } : {}), ...(value ? { value } : {}), decorators, secure: decorators.some((d) => d.name === 'secure'), line });
          break;
        }
        case 'var': {
          const name = this.expectIdent();
          this.expectPunct('=');
          file.vars.push({ name, value: this.parseValue(), line });
          break;
        }
        case 'output': {
          const name = this.expectIdent();
          const type = this.expectIdent();
          this.expectPunct('=');
          file.outputs.push({ name, type, value: this.parseValue(), line });
          break;
        }
        case 'resource': {
          const symbol = this.expectIdent();
          const typeRef = this.expectString();
          const at = typeRef.lastIndexOf('@');
          if (at < 0) throw new BicepSyntaxError(`resource ${symbol}: type without an API version`, line);
          let existing = false;
          if (this.peek().t === 'ident' && (this.peek() as { v: string }).v === 'existing') {
            this.next();
            existing = true;
          }
          this.expectPunct('=');
          const { body, condition, loop } = this.parseDeclarationBody(symbol, line);
          file.resources.push({
            symbol,
            type: typeRef.slice(0, at),
            apiVersion: typeRef.slice(at + 1),
            existing,
            ...(condition ? { condition } : {}),
            ...(loop ? { loop } : {}),
            body,
            line,
          });
          break;
        }
        case 'module': {
          const symbol = this.expectIdent();
          const path = this.expectString();
          this.expectPunct('=');
          const { body, condition } = this.parseDeclarationBody(symbol, line);
          file.modules.push({ symbol, path, ...(condition ? { condition } : {}), body, line });
          break;
        }
        default:
          throw new BicepSyntaxError(`unknown declaration "${tok.v}"`, line);
      }
      decorators = [];
      const end = this.peek();
      if (end.t !== 'nl' && !this.atEnd()) throw new BicepSyntaxError(`unexpected ${JSON.stringify(tokenText(end))} after a declaration`, end.line);
      this.skipNewlines();
    }
    return file;
  }

  /** `{...}`, `if (cond) {...}` or `[for x in y: {...}]` (also `[for x in y: if (c) {...}]`). */
  private parseDeclarationBody(symbol: string, line: number): { body: BicepObject; condition?: string; loop?: string } {
    const condition = this.parseCondition();
    if (this.isPunct('[')) {
      this.next();
      this.skipNewlines();
      const forTok = this.next();
      if (forTok.t !== 'ident' || forTok.v !== 'for') throw new BicepSyntaxError(`${symbol}: expected "for"`, forTok.line);
      const loopStart = this.pos;
      this.rawUntilLineEnd([':']);
      const loop = this.sourceText(loopStart, this.pos);
      this.expectPunct(':');
      const inner = this.parseCondition();
      const body = this.parseValue();
      if (body.kind !== 'object') throw new BicepSyntaxError(`${symbol}: the loop body must be an object`, line);
      this.skipNewlines();
      this.expectPunct(']');
      return { body, loop, ...(inner ?? condition ? { condition: inner ?? condition } : {}) };
    }
    const body = this.parseValue();
    if (body.kind !== 'object') throw new BicepSyntaxError(`${symbol}: the body must be an object`, line);
    return { body, ...(condition ? { condition } : {}) };
  }

  private parseCondition(): string | undefined {
    const tok = this.peek();
    if (tok.t !== 'ident' || tok.v !== 'if') return undefined;
    this.next();
    this.expectPunct('(');
    const start = this.pos;
    let depth = 1;
    while (depth > 0 && !this.atEnd()) {
      const t = this.next();
      if (t.t === 'punct' && t.v === '(') depth++;
      if (t.t === 'punct' && t.v === ')') depth--;
    }
    return this.sourceText(start, this.pos - 1);
  }

  /** A value up to the end of its line (objects and arrays may span lines). */
  parseValue(): BicepValue {
    const first = this.peek();
    const second = this.peek(1);
    const endsHere = (t: Token) => t.t === 'nl' || (t.t === 'punct' && (t.v === '}' || t.v === ']' || t.v === ','));
    if (first.t === 'punct' && first.v === '{') {
      const object = this.parseObject();
      if (endsHere(this.peek())) return object;
      return this.continueExpression(object);
    }
    if (first.t === 'punct' && first.v === '[') {
      const next = this.peek(1);
      if (next.t === 'ident' && next.v === 'for') {
        this.next();
        this.next();
        const loopStart = this.pos;
      this.rawUntilLineEnd([':']);
      const loop = this.sourceText(loopStart, this.pos);
        this.expectPunct(':');
        const body = this.parseValue();
        this.skipNewlines();
        this.expectPunct(']');
        return { kind: 'for', text: loop, body };
      }
      const array = this.parseArray();
      if (endsHere(this.peek())) return array;
      return this.continueExpression(array);
    }
    if (endsHere(second)) {
      if (first.t === 'string') {
        this.next();
        return { kind: 'string', value: first.v, interpolated: first.interpolated };
      }
      if (first.t === 'number') {
        this.next();
        return { kind: 'number', value: first.v };
      }
      if (first.t === 'ident' && (first.v === 'true' || first.v === 'false')) {
        this.next();
        return { kind: 'bool', value: first.v === 'true' };
      }
      if (first.t === 'ident' && first.v === 'null') {
        this.next();
        return { kind: 'null' };
      }
    }
    return this.expression([]);
  }

  private continueExpression(head: BicepObject | Extract<BicepValue, { kind: 'array' }>): BicepValue {
    return this.expression(head.kind === 'object' ? [head] : []);
  }

  /** An expression kept as text; object literals inside it are parsed as well. */
  private expression(objects: BicepObject[]): BicepValue {
    const start = this.pos;
    const found = [...objects];
    let depth = 0;
    while (!this.atEnd()) {
      const tok = this.peek();
      if (depth === 0 && (tok.t === 'nl' || (tok.t === 'punct' && tok.v === ','))) break;
      if (tok.t === 'punct' && tok.v === '{') {
        found.push(this.parseObject());
        continue;
      }
      if (tok.t === 'punct' && (tok.v === '[' || tok.v === '(')) depth++;
      if (tok.t === 'punct' && (tok.v === ']' || tok.v === ')' || tok.v === '}')) {
        if (depth === 0) break;
        depth--;
      }
      this.next();
    }
    const text = this.sourceText(start, this.pos);
    if (text.length === 0) throw new BicepSyntaxError('expected a value', this.peek().line);
    return { kind: 'expression', text, objects: found };
  }

  private parseObject(): BicepObject {
    const open = this.peek();
    this.expectPunct('{');
    const properties = new Map<string, BicepValue>();
    this.skipNewlines();
    while (!this.isPunct('}')) {
      if (this.atEnd()) throw new BicepSyntaxError('unterminated object', open.line);
      const keyTok = this.next();
      let key: string;
      if (keyTok.t === 'ident') key = keyTok.v;
      else if (keyTok.t === 'string') key = keyTok.v;
      else throw new BicepSyntaxError(`expected a property name, found ${JSON.stringify(tokenText(keyTok))}`, keyTok.line);
      this.expectPunct(':');
      if (properties.has(key)) throw new BicepSyntaxError(`property "${key}" given twice`, keyTok.line);
      properties.set(key, this.parseValue());
      if (this.isPunct(',')) this.next();
      this.skipNewlines();
    }
    this.expectPunct('}');
    return { kind: 'object', properties };
  }

  private parseArray(): Extract<BicepValue, { kind: 'array' }> {
    const open = this.peek();
    this.expectPunct('[');
    const items: BicepValue[] = [];
    this.skipNewlines();
    while (!this.isPunct(']')) {
      if (this.atEnd()) throw new BicepSyntaxError('unterminated array', open.line);
      items.push(this.parseValue());
      if (this.isPunct(',')) this.next();
      this.skipNewlines();
    }
    this.expectPunct(']');
    return { kind: 'array', items };
  }
}

/** Parses a .bicep or .bicepparam file. Throws BicepSyntaxError with the line at fault. */
export function parseBicep(source: string): BicepFile {
  return new Parser(tokenize(source), source).parseFile();
}

/** The property at a dotted path of an object value (e.g. "properties.siteConfig.alwaysOn"). */
export function prop(value: BicepValue | undefined, path: string): BicepValue | undefined {
  let current = value;
  for (const key of path.split('.')) {
    if (current?.kind !== 'object') return undefined;
    current = current.properties.get(key);
  }
  return current;
}

/** The string of a literal, or the text of an expression, for assertions. */
export function text(value: BicepValue | undefined): string | undefined {
  if (!value) return undefined;
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'expression':
    case 'for':
      return value.text;
    case 'number':
    case 'bool':
      return String(value.value);
    case 'null':
      return 'null';
    default:
      return undefined;
  }
}
