/**
 * URL-safe page names for members (customers, product lines): ASCII letters, digits and dashes only, so no
 * name can reach outside its folder; names that collide get -2, -3, … in a stable order.
 */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'item';
}

/** A slug per name, unique among them. */
export function slugMap(names: string[]): Map<string, string> {
  const taken = new Set<string>();
  const map = new Map<string, string>();
  for (const name of [...new Set(names)].sort()) {
    const base = slugify(name);
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    taken.add(slug);
    map.set(name, slug);
  }
  return map;
}
