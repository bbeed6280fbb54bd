/**
 * The Drivers page in the browser: for the filters, the measure and the comparison picked, each measure's growth and
 * the measure's change split by member, from the page's cells. The choices live in the URL beside the filters.
 */
import { waterfallOptions, waterfallSteps } from '../lib/charts/waterfall-chart.ts';
import { CHART_WIDTH } from '../lib/charts/plot-options.ts';
import { additiveMeasures, comparedSpans, contributions, parseCompare, ratioMeasures, serializeCompare, type CompareWith, type Comparison, type Contributions } from '../lib/contributions.ts';
import { breakdownCsv, breakdownNotes, breakdownTable, growthTable } from '../lib/drivers-table.ts';
import type { FactTable } from '../lib/fact-table.ts';
import { serializeState, type FilterState } from '../lib/filter-state.ts';
import { formatMeasure, formatMeasureChange, formatSpan } from '../lib/format.ts';
import { addView, cellsLoaded, viewChanged, type ClientSpec } from './dashboard.ts';
import { downloadText } from './download.ts';
import { redrawStatic } from './static-chart.ts';
import { fillTable } from './text-table.ts';

declare global {
  interface Window {
    /** The comparison last shown: tests compare it with the database. */
    drivers?: { spans: Comparison; measure: string; result: Contributions };
  }
}

export function startDrivers(): void {
  const form = document.querySelector<HTMLFormElement>('[data-compare]');
  const root = document.querySelector<HTMLElement>('[data-dashboard]');
  if (!form || !root) return;
  const spec = JSON.parse(root.dataset.spec!) as ClientSpec;
  const field = (name: string) => form.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`)!;
  const dates = [...form.querySelectorAll<HTMLElement>('[data-vs-dates]')];
  const summary = document.querySelector<HTMLElement>('[data-change-summary]')!;
  const growth = document.querySelector<HTMLTableElement>('[data-growth]')!;
  const sections = [...document.querySelectorAll<HTMLElement>('[data-by]')];
  const additive = additiveMeasures(spec.measures);
  const ratios = ratioMeasures(spec.measures);

  const defaults = { measure: spec.primaryMeasure, vs: 'year' as CompareWith };
  let choice = { ...defaults };
  const params = () => {
    const out = new URLSearchParams();
    if (choice.measure !== defaults.measure) out.set('measure', choice.measure);
    const vs = serializeCompare(choice.vs);
    if (vs) out.set('vs', vs);
    return out;
  };
  const showControls = () => {
    field('measure').value = choice.measure;
    field('vs').value = typeof choice.vs === 'string' ? choice.vs : 'custom';
    for (const label of dates) label.hidden = typeof choice.vs === 'string';
    if (typeof choice.vs !== 'string') [field('vs-from').value, field('vs-to').value] = [choice.vs.from, choice.vs.to];
  };

  // The comparison last computed, for the sections (which may draw later, off screen) and the downloads.
  let shown: { table: FactTable; state: FilterState; choice: typeof choice; spans: Comparison; result: Contributions } | undefined;
  const computed = (table: FactTable, state: FilterState) => {
    if (shown?.table !== table || shown.state !== state || shown.choice !== choice) {
      const spans = comparedSpans(state, table, spec.timeGrain ?? 'day', choice.vs);
      const columns = sections.filter((s) => s.dataset.inCells === 'true').map((s) => s.dataset.by!);
      shown = { table, state, choice, spans, result: contributions(table, spec, state, spans, columns) };
      window.drivers = { spans, measure: choice.measure, result: shown.result };
    }
    return shown;
  };
  const periodsOf = (spans: Comparison) => ({ before: formatSpan(spans.previous.from, spans.previous.to), after: formatSpan(spans.current.from, spans.current.to) });

  addView({
    params,
    atDefault: () => !params().toString(),
    restore(url) {
      const measure = url.get('measure');
      choice = { measure: additive.some((m) => m.name === measure) ? measure! : defaults.measure, vs: parseCompare(url.get('vs')) };
    },
    render(table, _rows, state) {
      showControls();
      const { spans, result } = computed(table, state);
      const measure = spec.measures.find((m) => m.name === choice.measure)!;
      const periods = periodsOf(spans);
      const [before, after, change] = result.totals[measure.name]!;
      const strong = Object.assign(document.createElement('strong'), { textContent: formatMeasureChange(measure, change) });
      strong.dataset.totalChange = '';
      summary.replaceChildren(`${measure.label} went from ${formatMeasure(measure, before)} in ${periods.before} to ${formatMeasure(measure, after)} in ${periods.after}: `, strong, '.');
      fillTable(growth, growthTable(result.totals, [...additive, ...ratios], periods));
    },
  });

  for (const section of sections) {
    // The column and its label, as the page heads its section.
    const { by: column, label: columnLabel } = section.dataset as { by: string; label: string };
    const body = section.querySelector<HTMLElement>('[data-by-body]')!;
    if (section.dataset.inCells !== 'true') {
      // The default comparison stays; any other is not shown from a default's figures.
      addView({ render: (_table, _rows, state) => void (body.hidden = !!(serializeState(state).toString() || params().toString())) });
      continue;
    }
    const table = section.querySelector<HTMLTableElement>('[data-contributions]')!;
    const notes = section.querySelector<HTMLElement>('[data-notes]')!;
    addView({
      element: section,
      render(cells, _rows, state) {
        const { spans, result } = computed(cells, state);
        const by = result.by.find((b) => b.column === column)!;
        const measure = spec.measures.find((m) => m.name === choice.measure)!;
        const periods = periodsOf(spans);
        const steps = waterfallSteps(by.members.map((m) => ({ member: m.member, change: m.values[measure.name]! })), result.totals[measure.name]!, periods);
        const label = `${measure.label} from ${periods.before} to ${periods.after}, by ${columnLabel.toLowerCase()}`;
        redrawStatic(section, CHART_WIDTH.wide, (width) => ({ ...waterfallOptions(steps, measure, width), ariaLabel: label }));
        fillTable(table, breakdownTable(by, measure, ratios, columnLabel, periods));
        notes.replaceChildren(...breakdownNotes(by, ratios).map((n) => Object.assign(document.createElement('p'), { className: 'hint', textContent: n })));
      },
    });
    section.querySelector('[data-download]')?.addEventListener('click', async () => {
      // The comparison on screen, computed from the cells (fetched first if the page still shows the build's).
      await cellsLoaded();
      if (!shown) return;
      const { toCsv } = await import('../lib/csv.ts');
      const { current, previous } = shown.spans;
      const { header, rows } = breakdownCsv(shown.result.by.find((b) => b.column === column)!, additive, columnLabel);
      downloadText(`${root.dataset.dashboard}-change-by-${column}-${current.from}-${current.to}-vs-${previous.from}-${previous.to}.csv`, toCsv(header, rows));
    });
  }

  form.addEventListener('change', (event) => {
    const vs = field('vs').value;
    let next: CompareWith = vs === 'custom' ? choice.vs : (vs as 'year' | 'before');
    if (vs === 'custom') {
      // Other dates start from the comparison on screen (the build's until the cells are loaded).
      if ((event.target as HTMLElement).getAttribute('name') === 'vs') {
        const previous = shown?.spans.previous ?? { from: form.dataset.previousFrom!, to: form.dataset.previousTo! };
        [field('vs-from').value, field('vs-to').value] = [previous.from, previous.to];
      }
      const [from, to] = [field('vs-from').value, field('vs-to').value];
      if (from && to && from <= to) next = { from, to };
    }
    choice = { measure: field('measure').value, vs: next };
    viewChanged();
  });
}
