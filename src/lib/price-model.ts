/**
 * The cars price check: applies the model the pipeline fits (models/price_model.sql, exported as
 * api/cars/price-model.json) to one car. Pure, so the page's script, the page's build and the tests that
 * reproduce the held-out accuracy (models/price_model_eval.sql) all run this same code.
 */

export type SegmentLevel = 'trim' | 'model' | 'make' | 'body' | 'all';

/** One fitted segment: log(price) = intercept + bAge·age + bOdometer·ln(1 + miles/1000) + bCondition·grade. */
export interface PriceSegment {
  level: SegmentLevel;
  make: string | null;
  model: string | null;
  trim: string | null;
  body: string | null;
  trainingRows: number;
  /** The segment whose least-squares slopes this one uses: itself or a parent with enough sales. */
  slopeLevel: SegmentLevel;
  slopeRows: number;
  intercept: number;
  bAge: number;
  bOdometer: number;
  bCondition: number;
  /** Residual percentiles (log scale) that give the range: 10th and 90th. */
  rangeLow: number;
  rangeHigh: number;
}

export interface PriceModel {
  /** Sales year the estimates are for: a car's age is this year minus its model year. */
  saleYear: number;
  segments: Map<string, PriceSegment>;
}

export interface CarInput {
  year: number;
  make: string;
  model: string;
  odometer: number;
  /** Condition grade, 1 (poor) to 5 (excellent). */
  condition: number;
  trim?: string;
  body?: string;
}

export interface PriceEstimate {
  estimate: number;
  low: number;
  high: number;
  /** The most specific segment the car is in, whose line gave the estimate. */
  segment: PriceSegment;
}

/** The API's table form: column names, then one array of values per row. */
export interface ModelTable {
  columns: string[];
  rows: unknown[][];
}

// Fallback order: most specific first. Body comes after make: a make says more about price than a body type.
const CHAIN: SegmentLevel[] = ['trim', 'model', 'make', 'body', 'all'];

const keyOf = (level: SegmentLevel, make: string | null, model: string | null, trim: string | null, body: string | null) =>
  JSON.stringify([level, make, model, trim, body]);

/** Reads api/cars/price-model.json into segments keyed for lookup. */
export function priceModelFromTable(table: ModelTable, saleYear: number): PriceModel {
  const at = (name: string) => {
    const i = table.columns.indexOf(name);
    if (i < 0) throw new Error(`price model table has no column ${name}`);
    return i;
  };
  const col = {
    level: at('level'), make: at('make'), model: at('model'), trim: at('trim'), body: at('body'), trainingRows: at('training_rows'),
    slopeLevel: at('slope_level'), slopeRows: at('slope_rows'), intercept: at('intercept'), bAge: at('b_age'),
    bOdometer: at('b_odometer'), bCondition: at('b_condition'), rangeLow: at('range_low'), rangeHigh: at('range_high'),
  };
  const segments = new Map<string, PriceSegment>();
  for (const row of table.rows) {
    const segment = Object.fromEntries(Object.entries(col).map(([name, i]) => [name, row[i]])) as unknown as PriceSegment;
    segments.set(keyOf(segment.level, segment.make, segment.model, segment.trim, segment.body), segment);
  }
  return { saleYear, segments };
}

/** The model's inputs for a car, exactly as models/price_sample.sql computes them. */
export function priceFeatures(age: number, odometer: number, condition: number) {
  return { age, odometer: Math.log(1 + odometer / 1000), condition };
}

/** The most specific fitted segment of a car: its trim, model, make, body type, or all cars. */
export function findSegment(model: PriceModel, car: Pick<CarInput, 'make' | 'model' | 'trim' | 'body'>): PriceSegment {
  const candidates: Record<SegmentLevel, string | undefined> = {
    trim: car.trim ? keyOf('trim', car.make, car.model, car.trim, null) : undefined,
    model: keyOf('model', car.make, car.model, null, null),
    make: keyOf('make', car.make, null, null, null),
    body: car.body ? keyOf('body', null, null, null, car.body) : undefined,
    all: keyOf('all', null, null, null, null),
  };
  for (const level of CHAIN) {
    const segment = candidates[level] && model.segments.get(candidates[level]);
    if (segment) return segment;
  }
  throw new Error('price model has no segment for all cars');
}

/** Estimate on the log scale for a car of the given age (years at sale); shared with the held-out evaluation. */
export function logEstimate(segment: PriceSegment, age: number, odometer: number, condition: number): number {
  const x = priceFeatures(age, odometer, condition);
  return segment.intercept + segment.bAge * x.age + segment.bOdometer * x.odometer + segment.bCondition * x.condition;
}

/** Estimated auction price of a car, with its 10th–90th percentile range and the segment used. */
export function estimatePrice(model: PriceModel, car: CarInput): PriceEstimate {
  const invalid = invalidInput(car);
  if (invalid) throw new RangeError(invalid);
  const segment = findSegment(model, car);
  const log = logEstimate(segment, model.saleYear - car.year, car.odometer, car.condition);
  return { estimate: Math.exp(log), low: Math.exp(log + segment.rangeLow), high: Math.exp(log + segment.rangeHigh), segment };
}

/** Why a car's numbers cannot be estimated, or null when they can. */
export function invalidInput(car: Pick<CarInput, 'year' | 'odometer' | 'condition'>): string | null {
  if (!Number.isInteger(car.year)) return 'the model year must be a whole number';
  if (!Number.isFinite(car.odometer) || car.odometer < 0) return 'the odometer must be a number of miles, 0 or more';
  if (!Number.isFinite(car.condition) || car.condition < 1 || car.condition > 5) return 'the condition must be between 1 and 5';
  return null;
}

/** What the form offers: makes, each make's models, each model's trims, and body types, as the model knows them. */
export interface PriceCatalog {
  makes: string[];
  models: Record<string, string[]>;
  trims: Record<string, Record<string, string[]>>;
  bodies: string[];
}

export function priceCatalog(model: PriceModel): PriceCatalog {
  const byName = (a: string, b: string) => a.localeCompare(b, 'en');
  const segments = [...model.segments.values()];
  const makes = new Set<string>();
  const models: Record<string, Set<string>> = {};
  const trims: Record<string, Record<string, Set<string>>> = {};
  for (const s of segments) {
    if (s.make === null) continue;
    makes.add(s.make);
    if (s.model === null) continue;
    (models[s.make] ??= new Set()).add(s.model);
    if (s.trim !== null) ((trims[s.make] ??= {})[s.model] ??= new Set()).add(s.trim);
  }
  const sorted = (set: Set<string> | undefined) => [...(set ?? [])].sort(byName);
  return {
    makes: sorted(makes),
    models: Object.fromEntries(Object.entries(models).map(([make, set]) => [make, sorted(set)])),
    trims: Object.fromEntries(Object.entries(trims).map(([make, byModel]) => [make, Object.fromEntries(Object.entries(byModel).map(([m, set]) => [m, sorted(set)]))])),
    bodies: sorted(new Set(segments.flatMap((s) => (s.body === null ? [] : [s.body])))),
  };
}

const LEVEL_NAMES: Record<SegmentLevel, string> = { trim: 'trim', model: 'model', make: 'make', body: 'body type', all: '' };

/** The segment in words, e.g. "Ford › Fusion › SE (trim, 41 sales)". */
export function describeSegment(s: PriceSegment): string {
  const name = s.level === 'all' ? 'All cars' : s.level === 'body' ? s.body! : [s.make, s.model, s.trim].filter((p) => p !== null).join(' › ');
  const sales = `${s.trainingRows.toLocaleString('en-US')} sales`;
  return s.level === 'all' ? `${name} (${sales})` : `${name} (${LEVEL_NAMES[s.level]}, ${sales})`;
}

/** Prices are shown to the nearest $100: the model is nowhere near accurate to the dollar. */
export const roundPrice = (v: number) => Math.round(v / 100) * 100;
