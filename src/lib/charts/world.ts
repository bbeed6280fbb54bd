/**
 * Choropleth maps: the world's countries, or the US states, coloured by a measure. The geometry is loaded at
 * build time only (it would cost the browser ~40 KB); in the browser the same colour scale recolours the
 * pre-rendered paths, found by the data-member attribute set here, and redraws the legend.
 */
import * as Plot from '@observablehq/plot';
import type { Feature, Geometry } from 'geojson';
import type { MeasureSpec } from '../contract/declaration.ts';
import { formatMeasure, formatTick } from '../format.ts';
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

export const NO_DATA = 'var(--map-empty)';

/** How values map to colours: steps of the value, or of its square root (when one member dwarfs the rest). */
export type MapScale = 'linear' | 'sqrt';

/**
 * The map's blues: the Blues scheme from a quarter to nine tenths of the way, as its palest shades are lost against a
 * light page (and next to the neutral shade of no data), its darkest against a dark one.
 */
const BLUES = Plot.scale({ color: { type: 'linear', scheme: 'blues', range: [0.25, 0.9] } });

/**
 * The map's colour scale, and its legend: about five steps of blue, light to dark, at round values from zero to the
 * largest value (or its square root). Plot draws the legend from it; `mapFill` colours the shapes with it.
 */
export function mapColorScale(rows: ChartRow[], measure: MeasureSpec, width: number, scale: MapScale = 'linear'): Plot.ScaleOptions & Plot.LegendOptions {
  const max = Math.max(0, ...rows.map((r) => r.value ?? 0));
  const sqrt = scale === 'sqrt';
  return {
    type: 'quantize',
    n: 5,
    interpolate: BLUES.apply,
    domain: [0, sqrt ? Math.sqrt(max) : max],
    ...(sqrt ? { transform: Math.sqrt } : {}),
    unknown: NO_DATA,
    legend: 'ramp',
    label: measure.label,
    // The legend's thresholds are in the scale's terms: square roots, for a square-root scale.
    tickFormat: (v: number) => formatTick(measure, sqrt ? v * v : v),
    width: Math.min(width, 320),
  };
}

/**
 * A member's colour for its value: the scale's, or neutral without one. Plot applies a scale's transform to the
 * channels it scales, not in `Plot.scale(...).apply`, so it is applied here.
 */
export function mapFill(color: Plot.ScaleOptions): (value: number | null | undefined) => string {
  const scale = Plot.scale({ color });
  const transform = color.transform ?? ((v: number) => v);
  return (value) => (value == null ? NO_DATA : String(scale.apply(transform(value))));
}

export const mapTitle = (member: string, value: number | null | undefined, format: (v: number | null) => string) =>
  value == null ? `${member}: no data` : `${member}: ${format(value)}`;

/**
 * The map with its legend. The shapes are filled with colours, not scaled values: a country without a value has
 * none to scale, and Plot would leave it out.
 */
export function choropleth(world: MapGeometry, rows: ChartRow[], measure: MeasureSpec, width: number, scale: MapScale = 'linear'): Plot.PlotOptions {
  const byAtlasName = new Map(rows.map((r) => [atlasName(world, r.key), r]));
  const color = mapColorScale(rows, measure, width, scale);
  const fill = mapFill(color);
  const format = (v: number | null) => formatMeasure(measure, v);
  const value = (name: string) => byAtlasName.get(name)?.value;
  const label = (name: string) => byAtlasName.get(name)?.key ?? name;
  const globe = world.projection === 'equal-earth';
  return {
    width,
    // Equal Earth is about twice as wide as it is tall; Albers USA about 1.6 times.
    height: Math.round(width * (globe ? 0.49 : 0.62)),
    projection: globe ? { type: 'equal-earth', domain: { type: 'Sphere' } } : { type: 'albers-usa' },
    color,
    marks: [
      ...(globe ? [Plot.sphere({ stroke: 'var(--rule)' })] : []),
      Plot.geo(world.features, {
        fill: (f: Feature<Geometry, { name: string }>) => fill(value(f.properties.name)),
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
        fill: (d: { name: string }) => fill(value(d.name)),
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
