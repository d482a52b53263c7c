import { Fragment, type ReactNode } from 'react';
import { parseBlocks } from './ComposerSyntax.js';

/**
 * A preview of a body as the server will render it: the same Markdown subset (paragraphs,
 * bold, italic, inline code, code blocks, lists, quotes, http/https/mailto links, line
 * breaks), @mentions and #topics. Built as React elements, never as HTML, so that nothing
 * typed can run. The server's rendering (bodyHtml) stays the authority once posted.
 */

const mentionToken = /^@\[([^\]\n]{1,200})\]\((person|community):[0-9a-fA-F-]{36}\)/;
const upnMention = /^@([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63})/;
const topic = /^#([\p{L}\p{N}_][\p{L}\p{N}\p{M}_-]{0,63})/u;
const link = /^\[([^\]\n]+)\]\(([^)\s]+)\)/;
const safeLink = /^(https?:|mailto:)/i;

function boundary(text: string, i: number): boolean {
  return i === 0 || !/[\p{L}\p{N}_@#&/.-]/u.test(text.charAt(i - 1));
}

/** Inline Markdown of one block (line breaks kept). */
export function renderInline(text: string, key = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  let plain = '';
  let n = 0;
  const flush = () => {
    if (plain) out.push(plain);
    plain = '';
  };
  const push = (node: ReactNode) => {
    flush();
    out.push(<Fragment key={`${key}-${n++}`}>{node}</Fragment>);
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const c = text.charAt(i);
    if (c === '\n') {
      push(<br />);
      i += 1;
      continue;
    }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        push(<code>{text.slice(i + 1, end)}</code>);
        i = end + 1;
        continue;
      }
    }
    if (rest.startsWith('**')) {
      const end = text.indexOf('**', i + 2);
      if (end > i + 2) {
        push(<strong>{renderInline(text.slice(i + 2, end), `${key}-b${n}`)}</strong>);
        i = end + 2;
        continue;
      }
    }
    if ((c === '*' || c === '_') && !rest.startsWith('**') && text.charAt(i + 1) !== ' ') {
      const end = text.indexOf(c, i + 1);
      if (end > i + 1 && text.charAt(end - 1) !== ' ') {
        push(<em>{renderInline(text.slice(i + 1, end), `${key}-e${n}`)}</em>);
        i = end + 1;
        continue;
      }
    }
    if (c === '[') {
      const m = link.exec(rest);
      if (m) {
        const [raw, label, href] = m as unknown as [string, string, string];
        push(safeLink.test(href) ? <a href={href} target="_blank" rel="noopener noreferrer">{label}</a> : label);
        i += raw.length;
        continue;
      }
    }
    if (c === '@' && boundary(text, i)) {
      const m = mentionToken.exec(rest) ?? upnMention.exec(rest);
      if (m) {
        push(<span className="mention">@{m[1]}</span>);
        i += m[0].length;
        continue;
      }
    }
    if (c === '#' && boundary(text, i)) {
      const m = topic.exec(rest);
      if (m && /\p{L}/u.test(m[1]!)) {
        const name = m[1]!.replace(/[-_]+$/, '');
        push(<span className="topic">#{name}</span>);
        i += name.length + 1;
        continue;
      }
    }
    plain += c;
    i += 1;
  }
  flush();
  return out;
}

export function MarkdownPreview({ source }: { source: string }) {
  return (
    <>
      {parseBlocks(source).map((b, k) => {
        switch (b.type) {
          case 'p':
            return <p key={k}>{renderInline(b.text, `p${k}`)}</p>;
          case 'code':
            return (
              <pre key={k}>
                <code>{b.text}</code>
              </pre>
            );
          case 'quote':
            return <blockquote key={k}>{renderInline(b.text, `q${k}`)}</blockquote>;
          case 'ul':
          case 'ol': {
            const List = b.type;
            return (
              <List key={k}>
                {b.items.map((item, j) => (
                  <li key={j}>{renderInline(item, `l${k}-${j}`)}</li>
                ))}
              </List>
            );
          }
        }
      })}
    </>
  );
}
