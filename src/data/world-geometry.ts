/** Country shapes for the world map, read at build time from world-atlas (never shipped to the browser). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoCentroid } from 'd3-geo';
import type { Feature, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { atlasName, type WorldGeometry } from '../lib/charts/world.ts';

const require = createRequire(import.meta.url);
type Countries = Topology<{ countries: GeometryCollection<{ name: string }> }>;

function countries(file: string): Feature<Geometry, { name: string }>[] {
  const topology = JSON.parse(readFileSync(require.resolve(`world-atlas/${file}`), 'utf8')) as Countries;
  return feature(topology, topology.objects.countries).features as Feature<Geometry, { name: string }>[];
}

/**
 * The 1:110m countries, plus any country of the data too small for that scale (e.g. Singapore), taken
 * from the 1:50m file and also marked with a dot so it can be seen and clicked.
 */
export function worldGeometry(dataCountries: string[], names: Record<string, string>): WorldGeometry {
  const features = countries('countries-110m.json');
  const known = new Set(features.map((f) => f.properties.name));
  const missing = dataCountries.map((c) => atlasName({ names }, c)).filter((name) => !known.has(name));
  if (!missing.length) return { features, small: [], projection: 'equal-earth', names };
  const detailed = new Map(countries('countries-50m.json').map((f) => [f.properties.name, f]));
  const small = missing.map((name) => {
    const shape = detailed.get(name);
    if (!shape) throw new Error(`the world map has no country named "${name}": give its atlas name in the declaration's site.mapNames`);
    features.push(shape);
    const [longitude, latitude] = geoCentroid(shape);
    return { name, longitude, latitude };
  });
  return { features, small, projection: 'equal-earth', names };
}
