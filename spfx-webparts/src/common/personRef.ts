/**
 * Who a people card shows, as the page author writes it in the property pane: a user name
 * (UPN) or e-mail address, or a Ruche person id; empty is the visitor.
 */
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const userName = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** True for empty (the visitor), a user name or e-mail address, or a Ruche person id. */
export function isPersonRef(value: string | undefined): boolean {
  const v = (value ?? '').trim();
  return !v || uuid.test(v) || userName.test(v);
}

/**
 * The Ruche person id of a user name or id: an id as is; a user name is looked up among
 * current employees (exact match, any case). Null when nobody has that name.
 */
export async function personIdOf(person: string, autocomplete: (q: string) => Promise<{ id: string; upn: string }[]>): Promise<string | null> {
  const wanted = person.trim();
  if (uuid.test(wanted)) return wanted;
  const hits = await autocomplete(wanted);
  return hits.find((h) => h.upn.toLowerCase() === wanted.toLowerCase())?.id ?? null;
}
