// What the editor knows about a loaded dataset: the data layer's catalog (one profile per column,
// computed once when the file is loaded) plus the table itself for panel-shape hovers.
import type { DataTable } from '../data/table';
import type { Catalog, ColumnProfile } from '../data/catalog';
export type { ColumnProfile, NumericProfile, StringProfile } from '../data/catalog';

export interface DatasetProfile {
  path: string; // absolute
  rows: number;
  columns: ColumnProfile[];
  byName: Map<string, ColumnProfile>;
  table?: DataTable;
}

export function fromCatalog(path: string, catalog: Catalog, table?: DataTable): DatasetProfile {
  return { path, rows: catalog.nrows, columns: catalog.columns, byName: catalog.byName, table };
}

const SPARK = '▁▂▃▄▅▆▇█';
/** A text sparkline of histogram counts (one block character per bin, blank for an empty bin). */
export function sparkline(counts: number[]): string {
  const max = Math.max(0, ...counts);
  if (!(max > 0)) return '';
  return counts.map((c) => (c === 0 ? ' ' : SPARK[Math.min(SPARK.length - 1, Math.round((c / max) * (SPARK.length - 1)))])).join('');
}
