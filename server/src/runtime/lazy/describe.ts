// summarize, tabstat and describe on a lazy dataset: aggregates in DuckDB, two passes for the
// standard deviation (the sum of squared deviations from the mean, as the in-memory
// describeValues computes it), then the same result objects as in memory. And `materialize`.
import { ident, lazyColumn, lazyRowCount, ROW_KEY, type LazyTable } from '../../data/duck/lazyTable';
import { DataTable, type Column } from '../../data/table';
import type { CommandContext } from '../context';
import { RunError } from '../errors';
import { Options, termText } from '../options';
import type { Describe } from '../stats';
import { expandVarlist, plainNames } from '../varlist';
import type { DescribeResult, SummaryResult, SummaryRow, TabstatRow, TabstatStatName } from '../../results/types';
import { bodyTerms, columnFromValue } from '../commands/common';
import { queryOptions, requireLazy, sampleSql } from './context';
import type { QueryOptions } from '../../data/duck/session';

type Moments = Describe;

/** count, sum, min, max, then the sum of squared deviations: per variable (and group), in two queries. */
async function moments(ctx: CommandContext, table: LazyTable, vars: string[], where: string | null, group?: string): Promise<Map<string, Map<string, Moments>>> {
  const src = `(SELECT ${group ? ident(group) : `''`} AS __ps_g, * FROM ${ident(table.relation)}${where ? ` WHERE ${where}` : ''})`;
  const first = await table.duck.all(
    `SELECT __ps_g, ${vars.map((v, j) => `count(${ident(v)}) AS n${j}, sum(${ident(v)}) AS s${j}, min(${ident(v)}) AS lo${j}, max(${ident(v)}) AS hi${j}`).join(', ')} FROM ${src} GROUP BY __ps_g`,
    queryOptions(ctx),
  );
  // squared deviations from each group's mean (the in-memory two-pass sd), the means joined back by group
  const meanRows = first.map((r) => `(${group ? groupLiteral(table, group, r.__ps_g) : `''`}, ${vars.map((_, j) => `'${Number(r[`n${j}`]) ? Number(r[`s${j}`]) / Number(r[`n${j}`]) : 0}'::DOUBLE`).join(', ')})`);
  const second = meanRows.length
    ? await table.duck.all(
        `SELECT d.__ps_g, ${vars.map((v, j) => `sum((d.${ident(v)} - mm.m${j}) * (d.${ident(v)} - mm.m${j})) AS ss${j}`).join(', ')} FROM ${src} d JOIN (VALUES ${meanRows.join(', ')}) AS mm(g, ${vars.map((_, j) => `m${j}`).join(', ')}) ON d.__ps_g IS NOT DISTINCT FROM mm.g GROUP BY d.__ps_g`,
        queryOptions(ctx),
      )
    : [];
  const ss = new Map(second.map((r) => [String(r.__ps_g), r]));
  const out = new Map<string, Map<string, Moments>>();
  for (const r of first) {
    const key = String(r.__ps_g);
    const per = new Map<string, Moments>();
    vars.forEach((v, j) => {
      const n = Number(r[`n${j}`]);
      const sum = n ? Number(r[`s${j}`]) : 0;
      const s2 = Number(ss.get(key)?.[`ss${j}`] ?? 0);
      per.set(v, { n, sum, mean: n ? sum / n : null, sd: n > 1 ? Math.sqrt(s2 / (n - 1)) : null, min: n ? Number(r[`lo${j}`]) : null, max: n ? Number(r[`hi${j}`]) : null });
    });
    out.set(key, per);
  }
  return out;
}

function groupLiteral(table: LazyTable, group: string, key: unknown): string {
  if (key === null || key === undefined) return 'NULL';
  return lazyColumn(table, group)?.kind === 'string' ? `'${String(key).replace(/'/g, "''")}'` : `'${Number(key)}'::DOUBLE`;
}

function varsOf(ctx: CommandContext, table: LazyTable): string[] {
  const terms = bodyTerms(ctx);
  return terms.length ? plainNames(expandVarlist(terms, ctx.session), ctx.canonical) : table.columns.filter((c) => c.kind === 'numeric').map((c) => c.name);
}

export async function lazySummarize(ctx: CommandContext): Promise<void> {
  const opts = new Options(ctx.command);
  if (opts.has('detail')) throw new RunError('summarize, detail does not run on lazy data yet: keep the rows you need and `materialize` first', ctx.command.range);
  if (opts.has('save') || ctx.command.weight) throw new RunError('summarize with weights or save() does not run on lazy data yet: `materialize` first', ctx.command.range);
  const table = requireLazy(ctx);
  const vars = varsOf(ctx, table);
  const numeric = vars.filter((v) => lazyColumn(table, v)?.kind === 'numeric');
  const m = numeric.length ? (await moments(ctx, table, numeric, await sampleSql(ctx, table))).get('') : undefined;
  const rows: SummaryRow[] = vars.map((name) => {
    const col = lazyColumn(table, name);
    const d = m?.get(name);
    const row: SummaryRow = d ? { var: name, n: d.n, mean: d.mean, sd: d.sd, min: d.min, max: d.max } : { var: name, n: 0, mean: null, sd: null, min: null, max: null };
    if (col?.label) row.label = col.label;
    return row;
  });
  const result: SummaryResult = { kind: 'summary', rows, seconds: 0 };
  ctx.emit(result);
}

const LAZY_TABSTAT: Record<string, (d: Moments) => number | null> = {
  n: (d) => d.n,
  count: (d) => d.n,
  mean: (d) => d.mean,
  sd: (d) => d.sd,
  min: (d) => d.min,
  max: (d) => d.max,
  sum: (d) => d.sum,
  variance: (d) => (d.sd === null ? null : d.sd * d.sd),
  range: (d) => (d.max === null || d.min === null ? null : d.max - d.min),
  cv: (d) => (d.sd === null || !d.mean ? null : d.sd / d.mean),
  semean: (d) => (d.sd === null ? null : d.sd / Math.sqrt(d.n)),
};

export async function lazyTabstat(ctx: CommandContext): Promise<void> {
  const opts = new Options(ctx.command);
  if (opts.has('save') || opts.has('vartype') || ctx.command.weight) throw new RunError('tabstat with weights, save() or vartype() does not run on lazy data yet: `materialize` first', ctx.command.range);
  const table = requireLazy(ctx);
  const stats = (opts.has('statistics') ? opts.terms('statistics').map((t) => termText(t).toLowerCase()) : ['mean']).map((s) => (s === 'var' ? 'variance' : s));
  for (const s of stats) if (!LAZY_TABSTAT[s]) throw new RunError(`tabstat statistic ${s} does not run on lazy data yet (n mean sd min max sum variance range cv semean do): \`materialize\` first`, opts.range('statistics'));
  const vars = varsOf(ctx, table);
  for (const v of vars) if (lazyColumn(table, v)?.kind !== 'numeric') throw new RunError(`tabstat: ${v} is not numeric`, ctx.command.range);
  const where = await sampleSql(ctx, table);
  let byName: string | null = null;
  const groups: { label: string | null; key: string; m: Map<string, Moments> }[] = [];
  if (opts.has('by')) {
    const names = plainNames(expandVarlist(opts.terms('by'), ctx.session), 'by()');
    if (names.length !== 1) throw new RunError('by() takes one variable', opts.range('by'));
    byName = names[0];
    const col = lazyColumn(table, byName);
    if (!col) throw new RunError(`variable ${byName} not found`, opts.range('by'));
    const missingBy = col.kind === 'string' ? `${ident(byName)} <> ''` : `${ident(byName)} IS NOT NULL`;
    const per = await moments(ctx, table, vars, where ? `(${where}) AND ${missingBy}` : missingBy, byName);
    const keys = [...per.keys()].sort((a, b) => (col.kind === 'numeric' ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
    for (const k of keys) groups.push({ label: col.kind === 'numeric' ? String(Number(k)) : k, key: k, m: per.get(k)! });
  }
  if (!opts.has('nototal')) groups.push({ label: byName ? 'Total' : null, key: '', m: (await moments(ctx, table, vars, where)).get('') ?? new Map() });
  const rows: TabstatRow[] = [];
  for (const g of groups)
    for (const v of vars) {
      const row: TabstatRow = { var: v };
      if (g.label !== null) row.group = g.label;
      const d = g.m.get(v) ?? { n: 0, mean: null, sd: null, min: null, max: null, sum: 0 };
      for (const s of stats) row[s as TabstatStatName] = LAZY_TABSTAT[s](d);
      rows.push(row);
    }
  ctx.emit({ kind: 'tabstat', statistics: stats as TabstatStatName[], by: byName, rows, ...(opts.has('symbols') ? { symbols: true } : {}) });
}

export async function lazyDescribe(ctx: CommandContext): Promise<void> {
  new Options(ctx.command);
  const session = ctx.session;
  const table = requireLazy(ctx);
  const terms = bodyTerms(ctx);
  const names = terms.length ? plainNames(expandVarlist(terms, session), 'describe') : table.columns.map((c) => c.name);
  const cols = names.map((n) => lazyColumn(table, n)!);
  const aggs = cols.map((c, j) =>
    c.kind === 'string'
      ? `count(*) FILTER (WHERE ${ident(c.name)} = '') AS m${j}, true AS i${j}`
      : `count(*) FILTER (WHERE ${ident(c.name)} IS NULL) AS m${j}, coalesce(bool_and(${ident(c.name)} = trunc(${ident(c.name)})), true) AS i${j}`,
  );
  const r = (await table.duck.all(`SELECT count(*) AS n${aggs.length ? `, ${aggs.join(', ')}` : ''} FROM ${ident(table.relation)}`, queryOptions(ctx)))[0];
  table.rows = Number(r.n);
  const variables = cols.map((c, j) => ({
    name: c.name,
    type: (c.kind === 'string' ? 'string' : r[`i${j}`] ? 'int' : 'double') as DescribeResult['variables'][number]['type'],
    label: c.label ?? null,
    missing: Number(r[`m${j}`]),
  }));
  let panel: DescribeResult['panel'] = null;
  const p = session.panel;
  if (p) {
    const u = ident(p.unit);
    const t = ident(p.time);
    const uKnown = lazyColumn(table, p.unit)?.kind === 'string' ? `${u} <> ''` : `${u} IS NOT NULL`;
    const per = await table.duck.all(
      `SELECT (SELECT count(DISTINCT ${u}) FROM ${ident(table.relation)} WHERE ${uKnown}) AS units, (SELECT count(DISTINCT ${t}) FROM ${ident(table.relation)}) AS periods, (SELECT min(${t}) FROM ${ident(table.relation)}) AS tmin, (SELECT max(${t}) FROM ${ident(table.relation)}) AS tmax, min(k) AS lo, max(k) AS hi FROM (SELECT count(*) AS k FROM ${ident(table.relation)} WHERE ${uKnown} GROUP BY ${u})`,
      queryOptions(ctx),
    );
    const q = per[0];
    const periods = Number(q.periods);
    panel = {
      unit: p.unit,
      time: p.time,
      units: Number(q.units),
      periods,
      time_min: q.tmin === null ? null : Number(q.tmin),
      time_max: q.tmax === null ? null : Number(q.tmax),
      balanced: q.lo === null || (Number(q.lo) === periods && Number(q.hi) === periods),
      min_obs_per_unit: q.lo === null ? 0 : Number(q.lo),
      max_obs_per_unit: q.hi === null ? 0 : Number(q.hi),
    };
  }
  ctx.emit({ kind: 'describe', rows: table.rows, columns: table.columns.length, file: session.dataFile, variables, panel });
}

/** The lazy table's rows, in its order, as an in-memory table (what `materialize` and the viewer's pages read). */
export async function readLazyRows(table: LazyTable, opts: { from?: string; limit?: number; offset?: number; order?: string[]; columns?: string[] } & QueryOptions = {}): Promise<DataTable> {
  const names = opts.columns ?? table.columns.map((c) => c.name);
  const sql = `SELECT ${names.map(ident).join(', ')}${names.length ? ', ' : ''}${ident(ROW_KEY)} FROM ${opts.from ?? ident(table.relation)} ORDER BY ${(opts.order ?? table.order).join(', ')}${opts.limit !== undefined ? ` LIMIT ${opts.limit}` : ''}${opts.offset ? ` OFFSET ${opts.offset}` : ''}`;
  const data = await table.duck.columns(sql, opts);
  const n = data[ROW_KEY]?.length ?? 0;
  const cols: Column[] = names.map((name) => {
    const c = lazyColumn(table, name)!;
    const raw = data[name] ?? [];
    const col: Column =
      c.kind === 'numeric'
        ? columnFromValue(name, { kind: 'num', v: Float64Array.from(raw, (x) => (x === null || x === undefined ? NaN : Number(x))) })
        : columnFromValue(name, { kind: 'str', v: raw.map((x) => (x === null || x === undefined ? '' : String(x))) });
    return c.label ? { ...col, label: c.label } : col;
  });
  return new DataTable(n, cols);
}

/** materialize: the lazy dataset, as it stands after its data steps, loaded into memory. */
export async function cmdMaterialize(ctx: CommandContext): Promise<void> {
  new Options(ctx.command);
  const table = ctx.session.lazy;
  if (!table) return; // already in memory
  const rows = await lazyRowCount(table, ctx.signal);
  const loaded = await readLazyRows(table, queryOptions(ctx));
  ctx.session.data = loaded;
  ctx.session.lazy = null;
  ctx.emit({ kind: 'data', file: ctx.session.dataFile ?? table.source, rows, columns: loaded.columns.length });
}
