/**
 * Choropleth maps: the world's countries, or the US states, coloured by a measure. The geometry is loaded at
 * build time only (it would cost the browser ~40 KB); in the browser the same colour function recolours the
 * pre-rendered paths, found by the data-member attribute set here.
 */
import * as Plot from '@observablehq/plot';
import type { Feature, Geometry } from 'geojson';
import type { ChartRow } from './definitions.ts';

/** Which map a chart draws: the world's countries (world-atlas) or the US states (us-atlas). */
export type Geography = 'world' | 'us-states';

export interface MapGeometry {
  /** One per shape, with properties.name as in the atlas. */
  features: Feature<Geometry, { name: string }>[];
  /** Shapes too small to see at this scale, drawn as a dot too (e.g. Singapore). */
  small: { name: string; longitude: number; latitude: number }[];
  /** Equal Earth with the globe's outline for the world; Albers USA (Alaska and Hawaii inset) for the states. */
  projection: 'equal-earth' | 'albers-usa';
  /** Members the data spells otherwise than the atlas (the declaration's site.mapNames): member → atlas name. */
  names: Record<string, string>;
}
export type WorldGeometry = MapGeometry;

/** The atlas's name of a member. */
export const atlasName = (geometry: Pick<MapGeometry, 'names'>, member: string) => geometry.names[member] ?? member;

// Five light-to-dark steps (ColorBrewer Blues) that read on light and dark backgrounds.
export const MAP_COLORS = ['#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
export const NO_DATA = 'var(--map-empty)';

/** How values map to the steps: equal widths of the value, or of its square root (when one member dwarfs the rest). */
export type MapScale = 'linear' | 'sqrt';

/** Equal-width steps from zero to the largest value (of the value, or of its square root). */
export function mapColor(value: number | null | undefined, max: number, scale: MapScale = 'linear'): string {
  if (value == null || !(value > 0) || !(max > 0)) return NO_DATA;
  const share = scale === 'sqrt' ? Math.sqrt(value / max) : value / max;
  return MAP_COLORS[Math.min(MAP_COLORS.length - 1, Math.floor(share * MAP_COLORS.length))]!;
}

export const mapTitle = (member: string, value: number | null | undefined, format: (v: number | null) => string) =>
  value == null ? `${member}: no data` : `${member}: ${format(value)}`;

export function choropleth(world: MapGeometry, rows: ChartRow[], format: (v: number | null) => string, width: number, scale: MapScale = 'linear'): Plot.PlotOptions {
  const byAtlasName = new Map(rows.map((r) => [atlasName(world, r.key), r]));
  const max = Math.max(0, ...rows.map((r) => r.value ?? 0));
  const value = (name: string) => byAtlasName.get(name)?.value;
  const label = (name: string) => byAtlasName.get(name)?.key ?? name;
  const globe = world.projection === 'equal-earth';
  return {
    width,
    // Equal Earth is about twice as wide as it is tall; Albers USA about 1.6 times.
    height: Math.round(width * (globe ? 0.49 : 0.62)),
    projection: globe ? { type: 'equal-earth', domain: { type: 'Sphere' } } : { type: 'albers-usa' },
    marks: [
      ...(globe ? [Plot.sphere({ stroke: 'var(--rule)' })] : []),
      Plot.geo(world.features, {
        fill: (f: Feature<Geometry, { name: string }>) => mapColor(value(f.properties.name), max, scale),
        className: 'countries',
        stroke: 'var(--bg)',
        strokeWidth: 0.4,
        title: (f: Feature<Geometry, { name: string }>) => mapTitle(label(f.properties.name), value(f.properties.name), format),
      }),
      Plot.dot(world.small, {
        x: 'longitude',
        y: 'latitude',
        className: 'small-countries',
        r: 3,
        fill: (d: { name: string }) => mapColor(value(d.name), max, scale),
        stroke: 'var(--fg)',
        strokeWidth: 0.5,
        title: (d: { name: string }) => mapTitle(label(d.name), value(d.name), format),
      }),
    ],
  };
}

/** Marks each country's path and dot with the member it stands for, so a click or a recolour can find it. */
export function tagCountries(node: Element, world: MapGeometry, members: string[]): void {
  const byAtlas = new Map(members.map((m) => [atlasName(world, m), m]));
  const tag = (selector: string, names: string[]) => {
    const shapes = node.querySelectorAll(selector);
    if (shapes.length !== names.length) throw new Error(`map: ${shapes.length} shapes for ${names.length} countries`);
    shapes.forEach((shape, i) => shape.setAttribute('data-member', byAtlas.get(names[i]!) ?? names[i]!));
  };
  tag('g.countries > path', world.features.map((f) => f.properties.name));
  tag('g.small-countries > circle', world.small.map((s) => s.name));
}
