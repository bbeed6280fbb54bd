import { describe, expect, it } from 'vitest';
import { slugify, slugMap } from '../../src/lib/slug.ts';

describe('slugify', () => {
  it.each([
    ['Euro Shopping Channel', 'euro-shopping-channel'],
    ['Mini Gifts Distributors Ltd.', 'mini-gifts-distributors-ltd'],
    ['Berguvsvägen Martín', 'berguvsvagen-martin'],
    ['../../etc/passwd', 'etc-passwd'],
    ['<script>alert(1)</script>', 'script-alert-1-script'],
    ['javascript:alert(3)', 'javascript-alert-3'],
    ['\u202Eevil\u202C Ltd', 'evil-ltd'],
    ['***', 'item'],
    ['x'.repeat(200), 'x'.repeat(80)],
  ])('%s → %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
    expect(slugify(name)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

it('slugMap numbers colliding names in a stable order, whatever order they come in', () => {
  const names = ['AV Stores, Co.', 'AV Stores Co', 'av-stores-co', 'Other'];
  const map = slugMap(names);
  expect(new Set(map.values()).size).toBe(4);
  expect([...map.entries()].sort()).toEqual([...slugMap([...names].reverse()).entries()].sort());
  expect(map.get('AV Stores Co')).toBe('av-stores-co');
  expect(map.get('AV Stores, Co.')).toBe('av-stores-co-2');
  expect(map.get('av-stores-co')).toBe('av-stores-co-3');
});
