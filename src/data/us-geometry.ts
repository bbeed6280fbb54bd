/** US state shapes for the states map, read at build time from us-atlas (never shipped to the browser). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoAlbersUsa, geoCentroid } from 'd3-geo';
import type { Feature, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { MapGeometry } from '../lib/charts/world.ts';

const require = createRequire(import.meta.url);
type States = Topology<{ states: GeometryCollection<{ name: string }> }>;

/**
 * The 50 states and DC at 1:10m. us-atlas also holds Puerto Rico and the island territories, which the Albers USA
 * projection does not place: they are left out of the map (their figures stay in the charts and tables beside it).
 */
export function usStatesGeometry(): MapGeometry {
  const topology = JSON.parse(readFileSync(require.resolve('us-atlas/states-10m.json'), 'utf8')) as States;
  const all = feature(topology, topology.objects.states).features as Feature<Geometry, { name: string }>[];
  const albers = geoAlbersUsa();
  const features = all.filter((f) => albers(geoCentroid(f)) !== null).sort((a, b) => a.properties.name.localeCompare(b.properties.name));
  return { features, small: [], projection: 'albers-usa', names: {} };
}
