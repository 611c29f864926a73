// The data viewer on a lazy dataset: each page, sort and filter is a DuckDB query over the view the
// data steps left (as Positron's data explorer does on Parquet), so the rows never all come into
// the language server. A filter is an `if` expression translated to SQL (runtime/lazy/exprSql.ts);
// a sort puts missing values last in either direction, ties in the data's order, as in memory.
import type { Expr } from '../../../grammar/src/ast';
import { parse } from '../../../grammar/src/index';
import { ident, lazyColumn, lazyRowCount, type LazyTable } from '../data/duck/lazyTable';
import type { DataTable } from '../data/table';
import { conditionSql } from '../runtime/lazy/exprSql';
import { readLazyRows } from '../runtime/lazy/describe';
import type { PanelSetting } from '../runtime/session';

export interface LazyPageRequest {
  filter: string;
  sort?: { column: string; descending: boolean };
  offset: number;
  limit: number;
}

export interface LazyPage {
  table: DataTable; // the page's rows
  total: number; // rows after the filter
  unfiltered: number;
}

/** The relation of the rows a filter keeps (the filter may use _n: computed in a subquery). */
export function filteredRelation(lazy: LazyTable, panel: PanelSetting | null, filter: string): string {
  if (!filter) return ident(lazy.relation);
  const f = parse(`keep if (${filter})\n`);
  const expr: Expr | undefined = f.statements[0]?.command.ifExpr;
  if (f.errors.length || f.statements.length !== 1 || !expr) throw new Error(`filter: ${f.errors[0]?.message ?? 'not an expression'}`);
  let cond: string;
  try {
    cond = conditionSql(expr, { table: lazy, panel });
  } catch (e) {
    throw new Error(`filter: ${(e as Error).message}`);
  }
  return `(SELECT * FROM (SELECT *, ${cond} AS __ps_filter FROM ${ident(lazy.relation)}) WHERE __ps_filter)`;
}

/** Counts of filtered rows, by filter text (a scrolled view asks for the count once). */
const counts = new WeakMap<LazyTable, Map<string, number>>();

export async function lazyPage(lazy: LazyTable, panel: PanelSetting | null, req: LazyPageRequest): Promise<LazyPage> {
  const from = filteredRelation(lazy, panel, req.filter);
  let known = counts.get(lazy);
  if (!known) counts.set(lazy, (known = new Map()));
  let total = known.get(req.filter);
  if (total === undefined) {
    const [r] = await lazy.duck.all(`SELECT count(*) AS n FROM ${from}`);
    total = Number(r.n);
    known.set(req.filter, total);
  }
  let order = lazy.order;
  if (req.sort) {
    const c = lazyColumn(lazy, req.sort.column);
    if (!c) throw new Error(`no column ${req.sort.column} to sort by`);
    const col = ident(c.name);
    // missing last in either direction: NULL for numbers, '' for strings
    const missingLast = c.kind === 'string' ? [`(${col} = '') ASC`] : [];
    order = [...missingLast, `${col} ${req.sort.descending ? 'DESC' : 'ASC'} NULLS LAST`, ...lazy.order];
  }
  const table = await readLazyRows(lazy, { from, order, limit: req.limit, offset: req.offset });
  return { table, total, unfiltered: await lazyRowCount(lazy) };
}

