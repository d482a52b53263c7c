// The local "sign in as" page: lists demo people and stores a development token.
const messages = {
  en: {
    title: 'Sign in to Ruche',
    intro: 'Local mode: choose a person of the demo organisation to sign in as.',
    filter: 'Filter by name or department',
    signedInAs: 'Signed in as',
    signOut: 'Sign out',
    api: 'API description (OpenAPI)',
    loading: 'Loading people…',
    count: (n) => `${n} people`,
    none: 'Nobody matches this filter.',
    empty: 'The demo organisation is empty. Run: npm run demo -- --reset',
    failed: (d) => `Sign-in failed: ${d}`,
    signedIn: (n) => `Signed in as ${n}.`,
  },
  fr: {
    title: 'Se connecter à Ruche',
    intro: 'Mode local : choisissez une personne de l’organisation de démonstration.',
    filter: 'Filtrer par nom ou service',
    signedInAs: 'Connecté en tant que',
    signOut: 'Se déconnecter',
    api: 'Description de l’API (OpenAPI)',
    loading: 'Chargement des personnes…',
    count: (n) => `${n} personnes`,
    none: 'Personne ne correspond à ce filtre.',
    empty: 'L’organisation de démonstration est vide. Lancez : npm run demo -- --reset',
    failed: (d) => `Échec de la connexion : ${d}`,
    signedIn: (n) => `Connecté en tant que ${n}.`,
  },
};
const lang = (navigator.language || 'en').toLowerCase().startsWith('fr') ? 'fr' : 'en';
const t = messages[lang];
document.documentElement.lang = lang;
for (const el of document.querySelectorAll('[data-i18n]')) {
  const v = t[el.getAttribute('data-i18n')];
  if (typeof v === 'string') el.textContent = v;
}

const status = document.getElementById('status');
const list = document.getElementById('people');
const filter = document.getElementById('filter');
let people = [];

function fold(s) {
  return (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function render() {
  const q = fold(filter.value);
  const shown = people.filter((p) => !q || fold(`${p.displayName} ${p.department} ${p.jobTitle}`).includes(q));
  list.replaceChildren(
    ...shown.slice(0, 200).map((p) => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = p.displayName;
      const small = document.createElement('small');
      small.textContent = [p.jobTitle, p.department].filter(Boolean).join(' · ');
      b.append(small);
      b.addEventListener('click', () => signIn(p));
      li.append(b);
      return li;
    }),
  );
  status.textContent = people.length === 0 ? t.empty : shown.length === 0 ? t.none : t.count(shown.length);
}

async function signIn(p) {
  const res = await fetch('/api/v1/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ person: p.upn }),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    status.textContent = t.failed(body.detail || body.title || res.status);
    return;
  }
  localStorage.setItem('ruche.token', body.access_token);
  localStorage.setItem('ruche.person', JSON.stringify({ id: p.id, displayName: p.displayName }));
  showCurrent();
  status.textContent = t.signedIn(p.displayName);
  const next = new URLSearchParams(location.search).get('next');
  if (next && next.startsWith('/') && !next.startsWith('//')) location.assign(next);
}

function showCurrent() {
  const raw = localStorage.getItem('ruche.person');
  const current = raw ? JSON.parse(raw) : null;
  document.getElementById('current').hidden = !current;
  if (current) document.getElementById('current-name').textContent = current.displayName;
}

document.getElementById('signout').addEventListener('click', () => {
  localStorage.removeItem('ruche.token');
  localStorage.removeItem('ruche.person');
  showCurrent();
});
filter.addEventListener('input', render);

status.textContent = t.loading;
showCurrent();
fetch('/api/v1/dev/people')
  .then((r) => r.json())
  .then((body) => {
    people = body.items || [];
    render();
  })
  .catch((e) => {
    status.textContent = t.failed(String(e));
  });
