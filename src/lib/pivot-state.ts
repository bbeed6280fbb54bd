/** The explorer's choices in the URL, beside the filters: ?measure=revenue&rows=geography.country&cols=time.year… */
import type { EngineSpec } from './query.ts';
import type { Axis, PivotChartKind, PivotSpec } from './pivot.ts';

export interface ExplorerState {
  pivot: PivotSpec;
  /** null: the chart that suits the choice (see defaultChart). */
  chart: PivotChartKind | null;
}

const CHARTS: PivotChartKind[] = ['bar', 'line', 'heatmap'];

export function axisName(spec: EngineSpec, axis: Axis): string {
  const dimension = spec.dimensions.find((d) => d.name === axis.dimension)!;
  return `${dimension.name}.${dimension.levels[axis.level]!.name}`;
}

export function parseAxis(spec: EngineSpec, value: string | null): Axis | undefined {
  if (!value) return undefined;
  const [dimensionName, levelName] = value.split('.');
  const dimension = spec.dimensions.find((d) => d.name === dimensionName);
  const level = dimension?.levels.findIndex((l) => l.name === levelName) ?? -1;
  return dimension && level >= 0 ? { dimension: dimension.name, level } : undefined;
}

export function defaultExplorer(spec: EngineSpec, primaryMeasure: string): ExplorerState {
  const rows = spec.dimensions.find((d) => d.name === spec.timeDimension) ?? spec.dimensions[0]!;
  return {
    pivot: { measure: primaryMeasure, rows: { dimension: rows.name, level: 0 }, expanded: [], sort: { by: 'label', column: '', descending: false } },
    chart: null,
  };
}

/** Reads the explorer's state; anything unknown or malformed falls back to the default. */
export function parseExplorer(params: URLSearchParams, spec: EngineSpec, primaryMeasure: string): ExplorerState {
  const fallback = defaultExplorer(spec, primaryMeasure);
  const measure = params.get('measure');
  const rows = parseAxis(spec, params.get('rows')) ?? fallback.pivot.rows;
  const columns = parseAxis(spec, params.get('cols'));
  const expanded = params.getAll('expand').flatMap((e) => {
    try {
      const path = JSON.parse(e) as unknown;
      return Array.isArray(path) && path.every((m) => typeof m === 'string') ? [path as string[]] : [];
    } catch {
      return [];
    }
  });
  const by = params.get('sort') === 'value' ? 'value' : params.get('sort') === 'label' ? 'label' : fallback.pivot.sort.by;
  const chart = params.get('chart') as PivotChartKind | null;
  return {
    pivot: {
      measure: spec.measures.some((m) => m.name === measure) ? measure! : fallback.pivot.measure,
      rows,
      columns: columns && columns.dimension !== rows.dimension ? columns : undefined,
      expanded,
      sort: { by, column: params.get('sortcol') ?? '', descending: params.get('desc') === '1' },
    },
    chart: chart && CHARTS.includes(chart) ? chart : null,
  };
}

export function serializeExplorer(state: ExplorerState, spec: EngineSpec): URLSearchParams {
  const { pivot } = state;
  const params = new URLSearchParams({ measure: pivot.measure, rows: axisName(spec, pivot.rows) });
  if (pivot.columns) params.set('cols', axisName(spec, pivot.columns));
  for (const path of pivot.expanded) params.append('expand', JSON.stringify(path));
  params.set('sort', pivot.sort.by);
  if (pivot.sort.column) params.set('sortcol', pivot.sort.column);
  if (pivot.sort.descending) params.set('desc', '1');
  if (state.chart) params.set('chart', state.chart);
  return params;
}
