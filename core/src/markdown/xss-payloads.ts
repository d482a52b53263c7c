/**
 * XSS payloads that bodies must neutralise, and a check that rendered HTML is inert. Shared
 * by the Markdown tests and the API tests (and any security suite).
 */
/** Payloads that must come back inert: no element, attribute or URL that can run script. */
export const xssPayloads: string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">x</a>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click]( javascript:alert(1))',
  '[click](java\tscript:alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](&#x6A;avascript&#x3A;alert(1))',
  '[click](javascript&colon;alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](vbscript:msgbox(1))',
  '[x](https://ok.example" onclick="alert(1))',
  '![img](https://evil.example/x.png" onerror="alert(1))',
  '![img](javascript:alert(1))',
  '<https://ok.example/"onmouseover="alert(1)>',
  '<javascript:alert(1)>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<style>@import "https://evil.example/x.css";</style>',
  '<object data="data:text/html,<script>alert(1)</script>"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<details open ontoggle=alert(1)>',
  '<body onload=alert(1)>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '`<script>alert(1)</script>`',
  '```\n<script>alert(1)</script>\n```',
  '> <img src=x onerror=alert(1)>',
  '* <a href=javascript:alert(1)>x</a>',
  '@[<img src=x onerror=alert(1)>](person:00000000-0000-4000-8000-000000000000)',
  '#<script>alert(1)</script>',
  '<!--<img src=x onerror=alert(1)>-->',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '[a](https://ok.example/\u0000javascript:alert(1))',
];

const allowedTags = new Set(['p', 'br', 'strong', 'em', 'a', 'ul', 'ol', 'li', 'code', 'pre', 'blockquote', 'span']);

/** Why an HTML fragment is not inert, or null when it is. */
export function inertnessProblem(html: string): string | null {
  for (const m of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)) {
    if (!allowedTags.has(m[1]!.toLowerCase())) return `tag <${m[1]}>`;
  }
  // Attributes only inside real tags: text such as "onerror=" escaped in a paragraph is harmless.
  for (const tag of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    if (/\son[a-z]+\s*=/i.test(tag[0])) return `event handler in ${tag[0]}`;
    if (/\sstyle\s*=/i.test(tag[0])) return `style in ${tag[0]}`;
    for (const href of tag[0].matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      if (!/^(https?:|mailto:)/i.test(href[1]!)) return `URL ${href[1]}`;
    }
  }
  return null;
}
