/** The composer's text rules without React: what is being typed after @ or #, topic names, Markdown blocks for the preview. */

/** The @ or # being typed right before the caret, if any. */
export function triggerAt(text: string, caret: number): { char: '@' | '#'; query: string; start: number } | null {
  const before = text.slice(0, caret);
  const m = /(^|[^\p{L}\p{N}_@#&/.-])([@#])([\p{L}\p{N}_.'-]{0,40})$/u.exec(before);
  if (!m) return null;
  const query = m[3]!;
  return { char: m[2] as '@' | '#', query, start: caret - query.length - 1 };
}

/** A topic name as #topic accepts it (letters, digits, _ and -). */
export function topicToken(name: string): string {
  return name.trim().replace(/\s+/g, '-').replace(/[^\p{L}\p{N}\p{M}_-]/gu, '');
}

export type Block =
  | { type: 'p'; text: string }
  | { type: 'code'; text: string }
  | { type: 'quote'; text: string }
  | { type: 'ul' | 'ol'; items: string[] };

const bullet = /^\s*[-*+]\s+/;
const numbered = /^\s*\d+[.)]\s+/;

export function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i += 1;
      continue;
    }
    if (/^\s*```/.test(line)) {
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !/^\s*```/.test(lines[i]!)) body.push(lines[i++]!);
      i += 1;
      blocks.push({ type: 'code', text: body.join('\n') });
      continue;
    }
    if (bullet.test(line) || numbered.test(line)) {
      const pattern = bullet.test(line) ? bullet : numbered;
      const items: string[] = [];
      while (i < lines.length && pattern.test(lines[i]!)) items.push(lines[i++]!.replace(pattern, ''));
      blocks.push({ type: pattern === bullet ? 'ul' : 'ol', items });
      continue;
    }
    if (/^\s*>/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i]!)) body.push(lines[i++]!.replace(/^\s*>\s?/, ''));
      blocks.push({ type: 'quote', text: body.join('\n') });
      continue;
    }
    const body: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !/^\s*(```|>)/.test(lines[i]!) && !bullet.test(lines[i]!) && !numbered.test(lines[i]!)) {
      body.push(lines[i++]!);
    }
    blocks.push({ type: 'p', text: body.join('\n') });
  }
  return blocks;
}
