/**
 * A reader for Dockerfiles, enough to check the repository's Dockerfile offline (there is no
 * Docker daemon where the tests run): instructions with their flags and arguments, line
 * continuations and comments handled, grouped by build stage.
 */

export interface Instruction {
  /** Upper case: FROM, RUN, COPY, ... */
  keyword: string;
  /** --name=value flags (COPY --from=build, HEALTHCHECK --interval=30s). */
  flags: Map<string, string>;
  /** The rest of the instruction, continuations joined. */
  args: string;
  line: number;
}

export interface Stage {
  /** The image it starts from, with build arguments substituted. */
  base: string;
  name?: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARG instructions before the first FROM, with their defaults. */
  globalArgs: Map<string, string>;
  stages: Stage[];
}

export function parseDockerfile(source: string): Dockerfile {
  const instructions: Instruction[] = [];
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!;
    if (/^\s*(#.*)?$/.test(first)) continue;
    const line = i + 1;
    let text = first.trimEnd();
    while (text.endsWith('\\')) {
      text = text.slice(0, -1);
      i++;
      // Comment lines inside a continuation are dropped, as Docker does.
      while (i < lines.length && /^\s*#/.test(lines[i]!)) i++;
      if (i >= lines.length) break;
      text += ` ${lines[i]!.trim()}`;
    }
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(text);
    if (!m) throw new Error(`line ${line}: not an instruction`);
    let rest = m[2]!.trim();
    const flags = new Map<string, string>();
    let flag: RegExpExecArray | null;
    while ((flag = /^--([a-z-]+)(?:=(\S+))?\s*/.exec(rest))) {
      flags.set(flag[1]!, flag[2] ?? 'true');
      rest = rest.slice(flag[0].length);
    }
    instructions.push({ keyword: m[1]!.toUpperCase(), flags, args: rest.replace(/\s+/g, ' ').trim(), line });
  }

  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const [image, as, name] = ins.args.split(' ');
      const base = image!.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, arg: string) => globalArgs.get(arg) ?? `\${${arg}}`);
      stages.push({ base, ...(as?.toUpperCase() === 'AS' && name ? { name } : {}), instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) {
      if (ins.keyword !== 'ARG') throw new Error(`line ${ins.line}: ${ins.keyword} before FROM`);
      const [key, value] = ins.args.split('=');
      globalArgs.set(key!, value ?? '');
      continue;
    }
    stage.instructions.push(ins);
  }
  return { globalArgs, stages };
}

/** Sources and destination of a COPY (shell form or JSON form). */
export function copyPaths(ins: Instruction): { sources: string[]; destination: string } {
  const parts = ins.args.startsWith('[') ? (JSON.parse(ins.args) as string[]) : ins.args.split(' ');
  if (parts.length < 2) throw new Error(`line ${ins.line}: COPY needs a source and a destination`);
  return { sources: parts.slice(0, -1), destination: parts.at(-1)! };
}

/** ENV instructions of a stage as a map (KEY=value forms). */
export function stageEnv(stage: Stage): Map<string, string> {
  const env = new Map<string, string>();
  for (const ins of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const m of ins.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) env.set(m[1]!, m[2]!.replace(/^"|"$/g, ''));
  }
  return env;
}

/**
 * A matcher for ignore files (.dockerignore, the zip deploy's .webappignore) in the forms this
 * repository uses: a double star and slash for any folder, `*` within a name, a leading `/` anchoring at the
 * root, and a pattern covering everything under a matched folder.
 */
export function ignoreMatcher(patterns: string[]): (relativePath: string) => boolean {
  const regexes = patterns
    .map((p) => p.trim())
    .filter((p) => p.length > 0 && !p.startsWith('#'))
    .map((pattern) => {
      const body = pattern
        .replace(/^\//, '')
        .replace(/\/$/, '')
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '\u0000')
        .replace(/\*/g, '[^/]*')
        .replace(/\u0000/g, '(?:.*/)?');
      return new RegExp(`^${body}(?:/.*)?$`);
    });
  return (relativePath) => regexes.some((r) => r.test(relativePath));
}
