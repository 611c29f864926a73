// A lazy dataset: the data stays in its files (or in DuckDB's spill space) and every data step is a
// new DuckDB view over the previous one. The runtime swaps its LazyTable only after the new view
// exists, so a step that fails or is cancelled leaves the dataset as it was.
import type { DuckSession } from './session';

export interface LazyColumn {
  name: string;
  kind: 'numeric' | 'string';
  label?: string;
}

export interface LazyTable {
  kind: 'lazy';
  duck: DuckSession;
  /** The view (or table) holding the current state: visible columns, then ROW_KEY. */
  relation: string;
  columns: LazyColumn[];
  /** The row order (SQL ORDER BY terms) that `_n`, `in` and ties of `sort` follow; ends with ROW_KEY. */
  order: string[];
  /** The file or glob it was opened from, as written. */
  source: string;
  /** Row count, once computed (a data step that may change it leaves it unset). */
  rows?: number;
}

/** The hidden column holding each row's position in the files (ties of a sort keep file order). */
export const ROW_KEY = '__ps_row';

/** A SQL identifier, quoted (names come from data files: anything may be in them). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function lazyColumn(t: LazyTable, name: string): LazyColumn | undefined {
  return t.columns.find((c) => c.name === name);
}

/** The SELECT list of all visible columns plus the row key. */
export function selectAll(t: LazyTable): string {
  return [...t.columns.map((c) => ident(c.name)), ident(ROW_KEY)].join(', ');
}

/** Creates a view for `select` and returns the table that reads it (nothing changes if it fails). */
export async function nextStep(t: LazyTable, select: string, change: Partial<Omit<LazyTable, 'kind' | 'duck' | 'relation'>>, signal?: AbortSignal): Promise<LazyTable> {
  const name = t.duck.freshName('ps_step');
  await t.duck.run(`CREATE TEMP VIEW ${ident(name)} AS ${select}`, { signal });
  return { ...t, rows: undefined, ...change, relation: name };
}

/** The number of rows (counted once per state). */
export async function lazyRowCount(t: LazyTable, signal?: AbortSignal, onProgress?: (f: number) => void): Promise<number> {
  if (t.rows !== undefined) return t.rows;
  const r = await t.duck.all(`SELECT count(*) AS n FROM ${ident(t.relation)}`, { signal, onProgress });
  t.rows = Number(r[0].n);
  return t.rows;
}
