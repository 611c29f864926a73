// What the lazy (DuckDB) command handlers share: the lazy table of the session, the SQL of a
// command's `if`/`in` sample, the `bysort` prefix as an order and partition, and the query options
// that carry the run's cancel signal and progress.
import type { Range } from '../../../../grammar/src/ast';
import { isValidName } from '../../data/names';
import { ident, lazyColumn, lazyRowCount, ROW_KEY, type LazyTable } from '../../data/duck/lazyTable';
import type { QueryOptions } from '../../data/duck/session';
import type { CommandContext } from '../context';
import { RunError } from '../errors';
import { expandStringGlobals } from '../globals';
import { inRows } from '../inRange';
import { parseExprText } from '../reparse';
import { conditionSql, type SqlExprContext } from './exprSql';

export function requireLazy(ctx: CommandContext): LazyTable {
  const t = ctx.session.lazy;
  if (!t) throw new RunError('no lazy data: run `use "FILE", lazy` first');
  return t;
}

/** Cancel and progress of the running command, for DuckDB queries. */
export function queryOptions(ctx: CommandContext): QueryOptions {
  return {
    signal: ctx.signal,
    onProgress: (f) => {
      try {
        ctx.progress('DuckDB', f);
      } catch {
        /* a cancel arrives through the signal, which interrupts the query */
      }
    },
  };
}

export function sqlContext(ctx: CommandContext, table: LazyTable, by?: string[]): SqlExprContext {
  const session = ctx.session;
  return {
    table,
    panel: session.panel,
    by,
    expandGlobal: (name, range) => {
      const g = session.globals.get(name);
      if (!g) throw new RunError(`global $${name} is not defined`, range);
      return parseExprText(g.text, range, name);
    },
    expandString: (text, range) => expandStringGlobals(text, session, range),
  };
}

/** SQL sort terms of variables (missing last, as the in-memory sort). */
export function sortTerms(table: LazyTable, names: string[], at?: Range): string[] {
  return names.map((n) => {
    if (!lazyColumn(table, n)) throw new RunError(`variable ${n} not found`, at);
    return `${ident(n)} ASC NULLS LAST`;
  });
}

/** A table ordered by `keys` first; ties keep the current order (a stable sort, as in memory). */
export function sortedBy(table: LazyTable, keys: string[], at?: Range): LazyTable {
  return { ...table, order: [...sortTerms(table, keys, at), ...table.order.filter((o) => !keys.some((k) => o.startsWith(`${ident(k)} `)))] };
}

/**
 * The `bysort VARS (WITHIN):` prefix: the data are sorted (kept in the session, as Stata sorts
 * them) and the groups returned as the partition of `_n`, `_N` and egen.
 */
export function applyLazyBy(ctx: CommandContext): { table: LazyTable; by?: string[] } {
  const table = requireLazy(ctx);
  if (!ctx.by) return { table };
  const keys = [...ctx.by.vars, ...ctx.by.sortWithin];
  const sorted = sortedBy(table, keys, ctx.by.range);
  ctx.session.lazy = sorted;
  ctx.session.sortedBy = keys;
  return { table: sorted, by: ctx.by.vars };
}

/** The `[if] [in]` sample as a SQL boolean (window functions allowed), or null for every row. */
export async function sampleSql(ctx: CommandContext, table: LazyTable, by?: string[]): Promise<string | null> {
  const parts: string[] = [];
  if (ctx.command.ifExpr) parts.push(conditionSql(ctx.command.ifExpr, sqlContext(ctx, table, by)));
  if (ctx.command.inRange) {
    const n = await lazyRowCount(table, ctx.signal);
    const [lo, hi] = inRows(ctx.command.inRange, n);
    parts.push(`(row_number() OVER (ORDER BY ${table.order.join(', ')}) BETWEEN ${lo + 1} AND ${hi + 1})`);
  }
  return parts.length ? parts.map((p) => `(${p})`).join(' AND ') : null;
}

/** Stata's rule for a new variable's name, on the lazy table's columns. */
export function checkNewLazyName(name: string, table: LazyTable, range: Range): void {
  if (!isValidName(name)) throw new RunError(`${name} is not a valid variable name`, range);
  if (name === '_n' || name === '_N' || name === '_cons' || name === ROW_KEY) throw new RunError(`${name} is a reserved name`, range);
  if (lazyColumn(table, name)) throw new RunError(`variable ${name} already defined`, range);
}

/** The select list of the table's columns with some replaced (`over`: name -> SQL), then the row key. */
export function selectList(table: LazyTable, over: ReadonlyMap<string, string> = new Map(), extra: string[] = []): string {
  const cols = table.columns.map((c) => (over.has(c.name) ? `${over.get(c.name)} AS ${ident(c.name)}` : ident(c.name)));
  return [...cols, ...extra, ident(ROW_KEY)].join(', ');
}
