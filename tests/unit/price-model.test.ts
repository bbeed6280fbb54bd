/**
 * The price check's estimator: the line of the most specific segment a car is in (trim › model › make › body ›
 * all cars), its range, its inputs' checks, and the lists the form offers.
 */
import { describe, expect, it } from 'vitest';
import { describeSegment, estimatePrice, findSegment, priceCatalog, priceModelFromTable, roundPrice, type CarInput, type ModelTable } from '../../src/lib/price-model.ts';

const COLUMNS = ['level', 'make', 'model', 'trim', 'body', 'training_rows', 'slope_level', 'slope_rows', 'intercept', 'b_age', 'b_odometer', 'b_condition', 'range_low', 'range_high'];
// Intercepts 1…5 tell the levels apart; the slopes are those of the 'all' line except where a segment has its own.
const TABLE: ModelTable = {
  columns: COLUMNS,
  rows: [
    ['trim', 'Ford', 'Fusion', 'SE', null, 40, 'trim', 40, 9.5, -0.1, -0.2, 0.15, -0.2, 0.25],
    ['model', 'Ford', 'Fusion', null, null, 90, 'model', 90, 9.4, -0.12, -0.18, 0.14, -0.3, 0.3],
    ['model', 'Ford', 'Edge', null, null, 4, 'make', 300, 9.9, -0.13, -0.1, 0.2, -0.4, 0.4],
    ['make', 'Ford', null, null, null, 300, 'make', 300, 9.3, -0.13, -0.1, 0.2, -0.4, 0.4],
    ['make', 'Acura', null, null, null, 5, 'all', 1000, 9.8, -0.128, -0.074, 0.275, -0.64, 0.69],
    ['body', null, null, null, 'SUV', 200, 'body', 200, 9.6, -0.11, -0.09, 0.16, -0.45, 0.44],
    ['all', null, null, null, null, 1000, 'all', 1000, 9.2, -0.128, -0.074, 0.275, -0.64, 0.69],
  ],
};
const model = priceModelFromTable(TABLE, 2015);
const car = (over: Partial<CarInput> = {}): CarInput => ({ year: 2012, make: 'Ford', model: 'Fusion', odometer: 45_000, condition: 3.5, ...over });

describe('the segment a car is estimated from', () => {
  it.each([
    ['its trim, when named and fitted', car({ trim: 'SE' }), 'trim', 9.5],
    ['its model, when no trim is named', car(), 'model', 9.4],
    ['its model, when the trim has no line', car({ trim: 'Titanium' }), 'model', 9.4],
    ['its make, when the model has no line', car({ model: 'Taurus' }), 'make', 9.3],
    ['its make, when the model is not given', car({ model: '' }), 'make', 9.3],
    ['its make before its body type', car({ model: 'Taurus', body: 'SUV' }), 'make', 9.3],
    ['its body type, when the make has no line', car({ make: 'Lada', model: 'Niva', body: 'SUV' }), 'body', 9.6],
    ['all cars, when neither make nor body has a line', car({ make: 'Lada', model: 'Niva', body: 'Estate' }), 'all', 9.2],
    ['all cars, when the make is unknown and no body is given', car({ make: 'Lada', model: 'Niva' }), 'all', 9.2],
    // A trim is looked up under its own make and model only.
    ['not a same-named trim of another model', car({ model: 'Edge', trim: 'SE' }), 'model', 9.9],
  ])('%s', (_, input, level, intercept) => {
    const segment = findSegment(model, input);
    expect(segment.level).toBe(level);
    expect(segment.intercept).toBe(intercept);
  });
});

describe('the estimate', () => {
  it('is exp of the line at age = sale year − model year, ln(1 + miles/1000) and the grade, with the range around it', () => {
    const got = estimatePrice(model, car({ trim: 'SE' }));
    const log = 9.5 - 0.1 * 3 - 0.2 * Math.log(1 + 45) + 0.15 * 3.5;
    expect(got.estimate).toBeCloseTo(Math.exp(log), 9);
    expect(got.low).toBeCloseTo(Math.exp(log - 0.2), 9);
    expect(got.high).toBeCloseTo(Math.exp(log + 0.25), 9);
    expect(got.low).toBeLessThan(got.estimate);
    expect(got.high).toBeGreaterThan(got.estimate);
  });

  it('falls with age and miles and rises with condition', () => {
    const base = estimatePrice(model, car()).estimate;
    expect(estimatePrice(model, car({ year: 2010 })).estimate).toBeLessThan(base);
    expect(estimatePrice(model, car({ odometer: 90_000 })).estimate).toBeLessThan(base);
    expect(estimatePrice(model, car({ condition: 4.5 })).estimate).toBeGreaterThan(base);
  });

  it.each([
    ['a fractional model year', { year: 2012.5 }, /model year/],
    ['a negative odometer', { odometer: -1 }, /odometer/],
    ['a missing odometer', { odometer: Number.NaN }, /odometer/],
    ['a condition under 1', { condition: 0.5 }, /condition/],
    ['a condition over 5', { condition: 41 }, /condition/],
  ])('refuses %s', (_, over, message) => {
    expect(() => estimatePrice(model, car(over))).toThrow(message);
  });

  it('needs the all-cars line to fall back to', () => {
    const partial = priceModelFromTable({ columns: COLUMNS, rows: TABLE.rows.filter((r) => r[0] !== 'all') }, 2015);
    expect(() => estimatePrice(partial, car({ make: 'Lada' }))).toThrow(/all cars/);
  });

  it('reads the table by column name, in any column order', () => {
    const reversed = { columns: [...COLUMNS].reverse(), rows: TABLE.rows.map((r) => [...r].reverse()) };
    expect(estimatePrice(priceModelFromTable(reversed, 2015), car({ trim: 'SE' }))).toEqual(estimatePrice(model, car({ trim: 'SE' })));
    expect(() => priceModelFromTable({ columns: COLUMNS.slice(1), rows: [] }, 2015)).toThrow(/level/);
  });
});

describe('what the page shows', () => {
  it('lists makes, the models of each make, the trims of each model and the body types, sorted', () => {
    expect(priceCatalog(model)).toEqual({
      makes: ['Acura', 'Ford'],
      models: { Ford: ['Edge', 'Fusion'] },
      trims: { Ford: { Fusion: ['SE'] } },
      bodies: ['SUV'],
    });
  });

  it.each([
    [car({ trim: 'SE' }), 'Ford › Fusion › SE (trim, 40 sales)'],
    [car({ make: 'Lada', body: 'SUV' }), 'SUV (body type, 200 sales)'],
    [car({ make: 'Lada' }), 'All cars (1,000 sales)'],
  ])('names the segment used', (input, text) => {
    expect(describeSegment(findSegment(model, input))).toBe(text);
  });

  it('rounds prices to the nearest $100', () => {
    expect([roundPrice(8_849.99), roundPrice(8_850), roundPrice(49)]).toEqual([8_800, 8_900, 0]);
  });
});
