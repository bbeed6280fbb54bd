/** The world map draws every country of the data, whatever the data calls it, and colours it by its value. */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { beforeAll, expect, it } from 'vitest';
import { worldGeometry } from '../../src/data/world-geometry.ts';
import { chartData, type ChartDef } from '../../src/lib/charts/definitions.ts';
import { chartOptions } from '../../src/lib/charts/plot-options.ts';
import { renderLegend, renderPlot } from '../../src/lib/charts/render.ts';
import { mapColorScale, mapFill, tagCountries } from '../../src/lib/charts/world.ts';
import type { MeasureSpec } from '../../src/lib/contract/declaration.ts';
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
  const measure = mart.engine.measures[0]!;
  const node = renderPlot(chartOptions(def, data, measure, 800, world), document as unknown as Document);
  tagCountries(node, world, countries);
  const color = mapColorScale(data.rows, measure, 800);

  const expected = await mart.db.rows<{ country: string; revenue: number }>(
    `select country, round(sum(sales), 2)::DOUBLE as revenue from stg where status <> 'Cancelled' group by 1`,
  );
  const max = Math.max(...expected.map((e) => e.revenue));
  const fill = mapFill(color);
  for (const { country, revenue } of expected) {
    const shapes = node.querySelectorAll(`[data-member="${country}"]`);
    expect(shapes.length, country).toBeGreaterThan(0);
    for (const shape of shapes) {
      expect(shape.getAttribute('fill'), country).toBe(fill(revenue));
      expect(shape.querySelector('title')?.textContent, country).toMatch(new RegExp(`^${country}: \\$`));
      if (shape.tagName.toLowerCase() === 'path') expect(shape.getAttribute('d')!.length, country).toBeGreaterThan(20);
    }
  }
  // The largest market gets the darkest step; countries without sales stay neutral.
  const top = expected.find((e) => e.revenue === max)!;
  const steps = Plot.scale({ color }).range as string[];
  expect(steps.length).toBeGreaterThanOrEqual(4);
  expect(node.querySelector(`[data-member="${top.country}"]`)!.getAttribute('fill')).toBe(steps.at(-1));
  expect(node.querySelector('[data-member="Brazil"]')!.getAttribute('fill')).toBe('var(--map-empty)');
  // The legend is the scale's: one step a colour, labelled in the measure's terms.
  const legend = node.querySelector('svg.chart-plot-ramp')!;
  expect(legend.querySelectorAll('rect')).toHaveLength(steps.length);
  expect(legend.textContent).toContain('Revenue');
  expect(legend.textContent).toMatch(/\$\d+(\.\d)?[KM]/);
});

it('a square-root scale gives the smaller values more of the steps, and its legend reads in values', () => {
  const units: MeasureSpec = { name: 'units', label: 'Cars sold', format: 'integer', agg: 'count' };
  const rows = [{ key: 'California', value: 10_000 }, { key: 'Texas', value: 2_500 }, { key: 'Utah', value: 100 }];
  const linear = mapColorScale(rows, units, 600);
  const sqrt = mapColorScale(rows, units, 600, 'sqrt');
  const steps = (color: Plot.ScaleOptions) => Plot.scale({ color }).range as string[];
  // A quarter of the largest value: the second of five steps of the value, the third of five of its square root.
  expect(mapFill(linear)(2_500)).toBe(steps(linear)[1]);
  expect(mapFill(sqrt)(2_500)).toBe(steps(sqrt)[2]);
  expect(mapFill(sqrt)(10_000)).toBe(steps(sqrt).at(-1));
  expect(mapFill(sqrt)(undefined)).toBe('var(--map-empty)');
  // Steps at square roots 20, 40, 60 and 80, labelled with the values.
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  expect(renderLegend(sqrt, document as unknown as Document).textContent).toBe('4001.6K3.6K6.4KCars sold');
});

it('marks countries too small for the 1:110m map with a dot', () => {
  const world = worldGeometry(['Singapore', 'USA', 'UK'], mapNames);
  expect(world.small.map((s) => s.name)).toEqual(['Singapore']);
  expect(world.small[0]!.longitude).toBeCloseTo(103.8, 0);
  expect(world.features.some((f) => f.properties.name === 'United States of America')).toBe(true);
  expect(() => worldGeometry(['Atlantis'], mapNames)).toThrow(/no country named "Atlantis"/);
});
