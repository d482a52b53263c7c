/** Small text helpers of the demo generator: ASCII folding, slugs and a tiny Markdown renderer. */

const SPECIAL: Record<string, string> = { 'œ': 'oe', 'Œ': 'OE', 'æ': 'ae', 'Æ': 'AE', 'ß': 'ss', 'ø': 'o', 'Ø': 'O', 'ł': 'l', 'Ł': 'L', 'đ': 'd' };

/** "Hélène Çağlar-Müller" -> "Helene Caglar-Muller". */
export function asciiFold(s: string): string {
  return s
    .replace(/[œŒæÆßøØłŁđ]/g, (c) => SPECIAL[c] ?? c)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

/** The local part of a mail address from a name: "Marie-Hélène", "D'Almeida" -> "marie-helene", "dalmeida". */
export function mailPart(s: string): string {
  return asciiFold(s)
    .toLowerCase()
    .replace(/[\s'’]+/g, '')
    .replace(/[^a-z0-9-]/g, '');
}

/** "Droit des contrats" -> "droit-des-contrats". */
export function slugify(s: string): string {
  return asciiFold(s.replace(/\+/g, ' plus '))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const MENTION = new RegExp(`@\\[([^\\]\\n]{1,200})\\]\\((person|community):(${UUID})\\)`, 'g');

/**
 * The demo's own Markdown renderer, for seed data only (the product has its own): it
 * escapes everything first, then knows paragraphs (blank lines), line breaks, **bold**,
 * [links](https://...) to http(s) addresses, mentions written @[Name](person:<uuid>) and
 * #topic tags, rendered as the product renders them. Anything else stays text.
 */
export function renderDemoMarkdown(markdown: string): string {
  // Most comments are one plain line: nothing to escape or format.
  if (!/[\n\r&<>"'*[#@]/.test(markdown)) return markdown.trim() === '' ? '' : `<p>${markdown.trim()}</p>`;
  const paragraphs = markdown
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  return paragraphs
    .map((p) => {
      let html = escapeHtml(p);
      html = html.replace(
        MENTION,
        (_m, label: string, type: string, id: string) =>
          `<span class="mention" data-mention-type="${type}" data-mention-id="${id}">@${label}</span>`,
      );
      html = html.replace(
        /(^|[\s(])#([a-z0-9][a-z0-9_-]{0,63})(?=$|[\s.,;:!?)])/g,
        (_m, before: string, slug: string) => `${before}<span class="topic" data-topic="${slug}">#${slug}</span>`,
      );
      html = html.replace(/\*\*([^*\n]+?)\*\*/g, '<strong>$1</strong>');
      html = html.replace(
        /\[([^\]\n]+)\]\((https?:\/\/[^\s()<>]+)\)/g,
        (_m, text: string, href: string) => `<a href="${href}" rel="noopener noreferrer">${text}</a>`,
      );
      return `<p>${html.replace(/\n/g, '<br>')}</p>`;
    })
    .join('\n');
}
