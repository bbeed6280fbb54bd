import type { DatasetInput } from '../../../src/lib/dataset-spec.ts';

type Column = DatasetInput['columns'][number];
const text = (name: string, description: string, extra: Partial<Column> = {}): Column => ({ name, source: name, type: 'string', description, ...extra });
const level = (name: string, label: string, column = name) => ({ name, label, column });

export const cars: DatasetInput = {
  name: 'cars',
  title: 'Used car auctions',
  description: 'Wholesale used-car auction sales in the US and Canada, 2014–2015, with the Manheim market estimate of each car.',
  provenance:
    'Kaggle "Used Car Auction Prices" (car_prices.csv); the bundled data/car_prices.csv is the first 19,999 rows of the 558,837-row public file, unchanged.',
  inputs: ['data/car_prices.csv'],
  // '—' (em dash) is how the source writes a missing color or interior.
  missing: ['—'],
  columns: [
    { name: 'year', source: 'year', type: 'integer', description: 'Model year of the car', required: true, min: 1900, max: 2100 },
    text('make', 'Make, as written (spelled one way in the models)'),
    text('model', 'Model, as written'),
    text('trim', 'Trim level, as written'),
    text('body', 'Body type, as written (e.g. SUV, Sedan)'),
    // Checked case-insensitively by the rule below and lower-cased in the models; a body type here means shifted columns.
    text('transmission', 'Transmission: automatic or manual'),
    // A row whose columns are shifted (a known fault of the full file) has 'automatic' here: rejected first, on this column.
    text('vin', 'Vehicle identification number (17 characters)', { required: true, pattern: '[A-Za-z0-9]{17}', patternReason: 'not a 17-character VIN' }),
    text('state', 'Code of the US state or Canadian province of the sale, as written (often lowercase)', {
      required: true,
      pattern: '[A-Za-z]{2}',
      patternReason: 'not a two-letter state or province code',
    }),
    // Two scales in the source (1–5 and 10–49); the models bring both to 1–5.
    { name: 'condition', source: 'condition', type: 'decimal', scale: 1, description: 'Condition grade as written: 1–5, or 10–50 on a ten-times scale', min: 1, max: 50 },
    { name: 'odometer', source: 'odometer', type: 'integer', description: 'Odometer reading, miles', min: 0 },
    text('color', 'Exterior color'),
    text('interior', 'Interior color'),
    text('seller', 'Selling company, as written (doubled spaces collapsed in the models)', { required: true }),
    // Required so that every sale has a spread (price − MMR) and the average spread is over all units.
    { name: 'mmr', source: 'mmr', type: 'decimal', description: 'Manheim Market Report value: the market estimate of the car, USD', required: true, min: 100 },
    // A price of 1 (or anything under 100 dollars) is a placeholder, not a sale.
    { name: 'sellingprice', source: 'sellingprice', type: 'decimal', description: 'Price the car sold for, USD', required: true, min: 100 },
    { name: 'saledate', source: 'saledate', type: 'date', description: 'Day of the sale, as written locally (e.g. Tue Dec 16 2014 12:30:00 GMT-0800 (PST))', required: true },
  ],
  // A VIN identifies a car, not a sale: the same car auctioned again on another day is a second sale, so the key is
  // the VIN together with the sale date. Two rows of one car on the same day with other values are a conflict.
  key: ['vin', 'saledate'],
  rules: [
    {
      name: 'transmission_known',
      check: "transmission is null or lower(transmission) in ('automatic', 'manual')",
      column: 'transmission',
      reason: 'not an accepted value (expected automatic or manual, in any case)',
    },
  ],
  models: ['ref_state', 'dim_date', 'dim_vehicle', 'dim_state', 'dim_seller', 'fct_sales', 'mart_sales'],
  mart: 'mart_sales',
  timeColumn: 'sale_date',
  dimensions: [
    { name: 'time', label: 'Time', levels: [level('year', 'Year'), level('quarter', 'Quarter'), level('month', 'Month')] },
    { name: 'vehicle', label: 'Vehicle', levels: [level('make', 'Make'), level('model', 'Model'), level('trim', 'Trim')] },
    { name: 'body', label: 'Body', levels: [level('body', 'Body')] },
    { name: 'state', label: 'State', levels: [level('region', 'Region'), level('state', 'State', 'state_name')] },
    { name: 'seller', label: 'Seller', levels: [level('seller', 'Seller')] },
  ],
  timeDimension: 'time',
  measures: [
    { name: 'units', label: 'Cars sold', format: 'integer', agg: 'count' },
    { name: 'revenue', label: 'Revenue', format: 'currency', agg: 'sum', column: 'selling_price' },
    { name: 'avg_price', label: 'Average price', format: 'currency', agg: 'ratio', numerator: 'revenue', denominator: 'units' },
    { name: 'mmr_total', label: 'MMR total', format: 'currency', agg: 'sum', column: 'mmr' },
    { name: 'spread_total', label: 'Price − MMR', format: 'currency', agg: 'sum', column: 'spread' },
    { name: 'avg_spread', label: 'Average price − MMR', format: 'currency', agg: 'ratio', numerator: 'spread_total', denominator: 'units' },
  ],
  primaryMeasure: 'revenue',
  filters: ['make', 'body', 'region', 'transmission'],
  endpoints: [
    { file: 'sales-over-time-monthly.json', groupBy: ['year', 'quarter', 'month'], orderBy: 'member' },
    { file: 'sales-by-make.json', groupBy: ['make'] },
    { file: 'sales-by-state.json', groupBy: ['region', 'state_name'] },
    { file: 'top-sellers.json', groupBy: ['seller'], limit: 20 },
  ],
  // The bundled 19,999 rows are well within what the browser filters; the full 558,837-row file is not (yet).
  browserRows: 250_000,
  dictionary: {
    file_id: 'Which input file the row came from (see the quality report)',
    line: 'Line of the row in its input file',
    date_key: 'Date as YYYYMMDD, key into dim_date',
    date: 'Calendar date',
    sale_date: 'Day of the sale (the local date as written)',
    year: 'Calendar year of the sale',
    quarter: 'Year and quarter, e.g. 2014-Q4',
    quarter_of_year: 'Quarter number, 1–4',
    month: 'Year and month, e.g. 2014-12',
    month_of_year: 'Month number, 1–12',
    month_name: 'Month name',
    week: 'ISO week, e.g. 2014-W51',
    week_start: 'Monday of the ISO week',
    day_of_week: 'ISO day of week, 1 = Monday',
    vehicle_key: 'Surrogate key of the vehicle (make, model, trim, body)',
    make_match: 'Lower-cased make, to match spellings',
    model_match: 'Lower-cased model, to match spellings',
    trim_match: 'Lower-cased trim, to match spellings',
    body_match: 'Lower-cased body, to match spellings',
    state_code: 'State or province code, upper case',
    state_name: 'State or province name (the code when unknown)',
    region: 'US Census region, Canada, or Other',
    country: 'Country of the state or province',
    seller_key: 'Surrogate key of the seller',
    model_year: 'Model year of the car',
    age_years: 'Age at sale: sale year − model year',
    condition_grade: 'Condition on one 1–5 scale (values of 10 and over divided by 10)',
    selling_price: 'Price the car sold for, USD',
    spread: 'Selling price − MMR, USD',
    depth: 'Hierarchy levels grouped by: 0 is the grand total',
    depth_time: 'Time levels grouped by (0 = all periods)',
    depth_vehicle: 'Vehicle levels grouped by (0 = all vehicles)',
    depth_body: 'Body level grouped by (0 = all bodies)',
    depth_state: 'State levels grouped by (0 = all places)',
    depth_seller: 'Seller level grouped by (0 = all sellers)',
    units: 'Cars sold (rows)',
    revenue: 'Sum of selling prices',
    avg_price: 'Average price: revenue ÷ cars sold',
    mmr_total: 'Sum of MMR values',
    spread_total: 'Sum of selling price − MMR',
    avg_spread: 'Average selling price − MMR: spread total ÷ cars sold',
  },
  thresholds: { maxRejectedPct: 5 },
};
