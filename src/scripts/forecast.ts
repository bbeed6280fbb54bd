/**
 * The Forecast page in the browser: for a filter, the primary measure month by month over the rows it keeps,
 * forecast, backtested and indexed by month of year with the functions that wrote forecast.json and
 * seasonality.json for the default filter. What stays the default filter's (the calendar of days, the forecasts per
 * member) says so while another filter is on.
 */
import { forecastOptions } from '../lib/charts/forecast-chart.ts';
import { CHART_WIDTH } from '../lib/charts/plot-options.ts';
import { seasonOptions } from '../lib/charts/season-chart.ts';
import type { ForecastFile, SeasonalityFile } from '../lib/contract/analysis.ts';
import { forecastEntry } from '../lib/forecast.ts';
import { backtestTable, forecastTable, METHOD_LABELS, monthlyGrowthTable } from '../lib/forecast-tables.ts';
import { serializeState, type FilterState } from '../lib/filter-state.ts';
import { monthlySparks } from '../lib/kpi-tiles.ts';
import { matchingRows, withParts } from '../lib/query.ts';
import { seasonSummary } from '../lib/seasonality.ts';
import { addView, type ClientSpec } from './dashboard.ts';
import { redrawStatic } from './static-chart.ts';
import { fillTable } from './text-table.ts';

type Months = Pick<ForecastFile, 'months' | 'latest' | 'future' | 'nonNegative'> & { monthColumn: string };

declare global {
  interface Window {
    /** The series and seasons last shown for a filter: tests compare them with the database. */
    forecast?: { state: FilterState; series: ForecastFile['series'][number]; seasons: Pick<SeasonalityFile, 'fullYears' | 'monthOfYear' | 'growth'> };
  }
}

/** No filter but the period one, which this page does not apply. */
const isDefault = (state: FilterState) => !serializeState({ ...state, from: null, to: null }).toString();

export function startForecast(): void {
  const grid = document.querySelector<HTMLElement>('[data-forecast]');
  const root = document.querySelector<HTMLElement>('[data-dashboard]');
  if (!grid || !root) return;
  const spec = JSON.parse(root.dataset.spec!) as ClientSpec;
  const months = JSON.parse(grid.dataset.forecast!) as Months;
  const measure = spec.measures.find((m) => m.name === spec.primaryMeasure)!;
  const $ = <T extends Element = HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

  addView({
    render(table, _rows, state) {
      // The period filter does not apply: a forecast spans every month.
      const rows = matchingRows(table, spec, { ...state, from: null, to: null });
      const points = monthlySparks(table, rows, withParts(spec.measures, [measure.name]), months.monthColumn)[measure.name] ?? [];
      const byMonth = new Map(points.map((p) => [p.key, p.value ?? 0]));
      const history = months.months.map((m) => byMonth.get(m) ?? 0);
      const series = { column: null, member: null, ...forecastEntry(history, byMonth.get(months.latest.month) ?? 0, months.future.length, { nonNegative: months.nonNegative, format: measure.format }) };
      const seasons = seasonSummary(months.months, history, measure.format);
      window.forecast = { state, series, seasons };

      const trust = $('[data-trust]');
      trust.className = `trust ${series.trusted ? 'pass' : 'fail'}`;
      trust.dataset.trust = series.trusted ? 'trusted' : 'untrusted';
      trust.textContent = `${series.trusted ? '✓ ' : '⚠ '}${series.note}.`;
      $('[data-overall]').hidden = !series.method;
      $('[data-no-forecast]').hidden = !!series.method;
      $('[data-no-forecast]').textContent = `No forecast: ${series.note}.`;
      if (series.method) {
        redrawStatic($('[data-overall]'), CHART_WIDTH.wide, (width) => forecastOptions(months, series, measure, width));
        $('[data-method-hint]').textContent = `Solid: the full months. Dashed: the forecast (${METHOD_LABELS[series.method]}). Bands: 80% and 95% prediction intervals. Open dot: the latest month so far.`;
        fillTable($<HTMLTableElement>('[data-forecast-table]'), forecastTable(months, series, measure));
      }
      $('[data-backtest-panel]').hidden = !series.backtest;
      if (series.backtest) {
        $('[data-backtest-text]').textContent = `From each of the last ${series.backtest.origins.length} full months, each method was fitted to the months before and forecast up to ${months.future.length} months ahead: ${series.backtest.errors} forecasts compared with what happened.`;
        fillTable($<HTMLTableElement>('[data-backtest]'), backtestTable(series));
      }
      $('[data-seasons]').hidden = !seasons.fullYears.length;
      $('[data-no-seasons]').hidden = !!seasons.fullYears.length;
      if (seasons.fullYears.length) {
        redrawStatic($('[data-seasons]'), CHART_WIDTH.normal, (width) => ({ ...seasonOptions(seasons, width), ariaLabel: `Each month's ${measure.label.toLowerCase()} against its year's average month` }));
        $('[data-years]').textContent = `Each month's value ÷ its year's average month, averaged over the full years ${seasons.fullYears.join(', ')}: above 1 is a busier month than average.`;
      }
      fillTable($<HTMLTableElement>('[data-growth]'), monthlyGrowthTable(seasons.growth, measure));
      for (const section of document.querySelectorAll<HTMLElement>('[data-default-only]')) {
        section.querySelector<HTMLElement>('[data-default-note]')!.hidden = isDefault(state);
      }
    },
  });
}
