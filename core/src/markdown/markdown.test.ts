import { mentionKey, parseBody, renderBody, sanitizeBodyHtml, topicSlug } from './markdown.js';
import { inertnessProblem, xssPayloads } from './xss-payloads.js';

function expectInert(html: string): void {
  expect({ html, problem: inertnessProblem(html) }).toEqual({ html, problem: null });
}


describe('restricted Markdown', () => {
  test('the subset renders: paragraphs, bold, italic, links, lists, code, quotes', () => {
    const html = renderBody(
      'Hello **bold** and *it*\n\n- one\n- two\n\n1. first\n\n`code` and [site](https://example.com) [mail](mailto:a@b.example)\n\n> quoted\n\n```\nblock <b>\n```',
    );
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>it</em>');
    expect(html).toContain('<ul>');
    expect(html).toContain('<ol>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<a href="https://example.com" rel="nofollow noopener noreferrer" target="_blank">site</a>');
    expect(html).toContain('href="mailto:a@b.example"');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<pre><code>block &lt;b&gt;');
  });

  test('headings, images, raw HTML and other link schemes are not part of the subset', () => {
    expect(renderBody('# Title')).not.toContain('<h1');
    expect(renderBody('![x](https://example.com/a.png)')).not.toContain('<img');
    expect(renderBody('<b>x</b>')).toContain('&lt;b&gt;');
    expect(renderBody('[x](ftp://example.com)')).not.toContain('<a');
  });

  test.each(xssPayloads)('XSS payload comes back inert: %s', (payload) => {
    expectInert(renderBody(payload));
    expectInert(renderBody(`text before ${payload} text after`));
    expectInert(sanitizeBodyHtml(payload));
  });

  test('mentions by UPN and by token are found; unresolved ones stay text', () => {
    const id = '3f1c1e8a-9a57-4a55-9a0e-0a6f3c1d2b11';
    const body = `Hi @camille.martin@hexagone.example and @[Léa](person:${id}), see @[Team](community:${id}). mail me at x@y.example`;
    const parsed = parseBody(body);
    expect(parsed.mentions.map(mentionKey)).toEqual(['upn:camille.martin@hexagone.example', `person:${id}`, `community:${id}`]);
    const plain = renderBody(body);
    expect(plain).not.toContain('class="mention"');
    expect(plain).toContain('@camille.martin@hexagone.example');
    expect(plain).toContain('@Team');
    const resolved = renderBody(
      body,
      new Map([[`person:${id}`, { type: 'person' as const, id, label: 'Léa <Roux>' }]]),
    );
    expect(resolved).toContain(`<span class="mention" data-mention-type="person" data-mention-id="${id}">@Léa &lt;Roux&gt;</span>`);
  });

  test('#topics keep accents in the name and fold the slug; code is not scanned', () => {
    const parsed = parseBody('Talking #Économie and #RH, again #économie, not in `#code` nor issue#12 nor #42');
    expect(parsed.topics).toEqual([
      { name: 'Économie', slug: 'economie' },
      { name: 'RH', slug: 'rh' },
    ]);
    expect(topicSlug('Ça-Marche')).toBe('ca-marche');
    expect(renderBody('#Économie')).toContain('<span class="topic" data-topic="economie">#Économie</span>');
  });
});

test('the inertness check itself catches live HTML', () => {
  expect(inertnessProblem('<img src=x onerror=alert(1)>')).toMatch(/tag/);
  expect(inertnessProblem('<a href="javascript:alert(1)">x</a>')).toMatch(/URL/);
  expect(inertnessProblem('<span onclick="x()">x</span>')).toMatch(/event handler/);
  expect(inertnessProblem('<p>&lt;img onerror=alert(1)&gt;</p>')).toBeNull();
});
