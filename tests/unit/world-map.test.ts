/** The world map draws every country of the data, whatever the data calls it, and colours it by its value. */
import { parseHTML } from 'linkedom';
import { beforeAll, expect, it } from 'vitest';
import { worldGeometry } from '../../src/data/world-geometry.ts';
import { chartData, type ChartDef } from '../../src/lib/charts/definitions.ts';
import { chartOptions } from '../../src/lib/charts/plot-options.ts';
import { renderPlot } from '../../src/lib/charts/render.ts';
import { MAP_COLORS, mapColor, tagCountries } from '../../src/lib/charts/world.ts';
import { emptyState } from '../../src/lib/filter-state.ts';
import { matchingRows } from '../../src/lib/query.ts';
import { loadDataset } from '../../pipeline/datasets/index.ts';
import { sampleMart, type SampleMart } from '../helpers/mart.ts';

const { mapNames } = loadDataset('sales').spec.site;

let mart: SampleMart;
beforeAll(async () => {
  mart = await sampleMart();
});

it('draws a shape with a title for every country in the data', async () => {
  const countries = mart.table.text.country!.values;
  expect(countries).toHaveLength(19);
  const world = worldGeometry(countries, mapNames);
  const def: ChartDef = { kind: 'map', id: 'map', title: 'Revenue by country', measure: 'revenue', column: 'country', geography: 'world', scale: 'linear' };
  const state = emptyState();
  const data = chartData(def, mart.table, matchingRows(mart.table, mart.engine, state), mart.engine, state);
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const node = renderPlot(chartOptions(def, data, mart.engine.measures[0]!, 800, world), document as unknown as Document);
  tagCountries(node, world, countries);

  const expected = await mart.db.rows<{ country: string; revenue: number }>(
    `select country, round(sum(sales), 2)::DOUBLE as revenue from stg where status <> 'Cancelled' group by 1`,
  );
  const max = Math.max(...expected.map((e) => e.revenue));
  for (const { country, revenue } of expected) {
    const shapes = node.querySelectorAll(`[data-member="${country}"]`);
    expect(shapes.length, country).toBeGreaterThan(0);
    for (const shape of shapes) {
      expect(shape.getAttribute('fill'), country).toBe(mapColor(revenue, max));
      expect(shape.querySelector('title')?.textContent, country).toMatch(new RegExp(`^${country}: \\$`));
      if (shape.tagName.toLowerCase() === 'path') expect(shape.getAttribute('d')!.length, country).toBeGreaterThan(20);
    }
  }
  // The largest market gets the darkest step; countries without sales stay neutral.
  const top = expected.find((e) => e.revenue === max)!;
  expect(node.querySelector(`[data-member="${top.country}"]`)!.getAttribute('fill')).toBe(MAP_COLORS.at(-1));
  expect(node.querySelector('[data-member="Brazil"]')!.getAttribute('fill')).toBe('var(--map-empty)');
});

it('marks countries too small for the 1:110m map with a dot', () => {
  const world = worldGeometry(['Singapore', 'USA', 'UK'], mapNames);
  expect(world.small.map((s) => s.name)).toEqual(['Singapore']);
  expect(world.small[0]!.longitude).toBeCloseTo(103.8, 0);
  expect(world.features.some((f) => f.properties.name === 'United States of America')).toBe(true);
  expect(() => worldGeometry(['Atlantis'], mapNames)).toThrow(/no country named "Atlantis"/);
});
