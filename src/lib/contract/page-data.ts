/**
 * A page's browser data (manifest.pages): the mart grouped into cells by the columns the page needs, at the finest
 * grain that keeps the page light, written as a file that the browser fetches when a filter first needs it (the
 * detail of a column, a file per member). Each cell has its row count (`__rows`), the sums of the page's summed columns, and per median column the
 * counts of its values by bin (`__hist_<column>`: none for a cell of one row whose sum the file has, the value being
 * that sum); a distinct-counted column is one of the cells' columns, or the
 * page cannot count it. The browser reads this part of the manifest from the page (types only: no zod there).
 */
import { z } from 'zod';

export const pageFile = z.object({
  path: z.string(),
  bytes: z.number(),
  /** Its size gzipped, as a static host serves it. */
  gzip: z.number(),
  /** The first and last day its cells cover. */
  from: z.string(),
  to: z.string(),
});

export const pageData = z.object({
  /** The page's path within its dataset: '' for the overview, 'explorer/' for the explorer. */
  page: z.string(),
  /** The grain of the cells' time column: a date range applies to whole weeks or months when coarser than a day. */
  timeGrain: z.enum(['day', 'week', 'month']),
  /** What the cells group by besides time. */
  columns: z.array(z.string()),
  /** Levels the page uses that its cells leave out, with their member counts: their charts come from slices. */
  leftOut: z.array(z.object({ column: z.string(), members: z.number() })),
  /** Per median column: exact (bins of its own precision), or estimated from quantile bins (≈, within the bin). */
  medians: z.record(z.string(), z.enum(['exact', 'binned'])),
  /** Distinct-counted columns the cells cannot count (not among their columns). */
  uncounted: z.array(z.string()),
  /**
   * Distinct-counted columns the cells leave out but count by first rows (see FactTable.exactBy), each with the
   * columns it is exact under: filters and breakdowns on other columns show no figure.
   */
  exactBy: z.record(z.string(), z.array(z.string())),
  rows: z.number(),
  cells: z.number(),
  /** The first and last day of the rows (the cells' dates may be the starts of weeks or months). */
  period: z.object({ from: z.string(), to: z.string() }),
  files: z.array(pageFile).min(1),
  /** Small enough to fetch as soon as the page has loaded: every filter is then answered at once. */
  prefetch: z.boolean(),
});

/**
 * Detail on demand for a filter column the pages' cells leave out: the mart's cells split by that column's members,
 * a file per member, fetched when a filter keeps those members. Shared by every page of the dataset: the cells
 * have every column a page wants that fits (at least the pages' own columns and this one), at the pages' time grain
 * and median bins.
 */
export const detailData = z.object({
  column: z.string(),
  timeGrain: pageData.shape.timeGrain,
  columns: z.array(z.string()),
  medians: pageData.shape.medians,
  /** As for a page, with `column` among the columns each is exact under (with one of its members loaded). */
  exactBy: pageData.shape.exactBy,
  /** Distinct-counted columns whose values span members of `column`: exact with one member loaded, not with more. */
  spans: z.array(z.string()),
  /** Distinct-counted columns exact here under a filter on one member, and not on the pages' cells (orders by product line). */
  counts: z.array(z.string()),
  /** Member → its file. */
  members: z.record(z.string(), pageFile),
  /**
   * The same cells grouped by the pages' columns and `column` only, when the detail has more (a product line's
   * product codes): a page that shows none of those fetches these, fewer, cells. First-row counts are exact under
   * the same columns, those it keeps.
   */
  lean: z.object({ columns: z.array(z.string()), members: z.record(z.string(), pageFile) }).optional(),
});

export type PageFile = z.infer<typeof pageFile>;
export type DetailData = z.infer<typeof detailData>;
export type PageData = z.infer<typeof pageData>;
