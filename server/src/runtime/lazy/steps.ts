// Data steps on a lazy dataset, each one new DuckDB view over the previous state: gen, replace,
// keep/drop (variables or rows), egen, sort, rename, label, xtset's checks. The session takes the
// new state only once its view exists: a step that fails or is cancelled changes nothing.
import { ident, lazyColumn, nextStep, ROW_KEY, type LazyColumn, type LazyTable } from '../../data/duck/lazyTable';
import type { CommandContext } from '../context';
import { RunError } from '../errors';
import { Options, termText } from '../options';
import { parseExprText } from '../reparse';
import { expandVarlist, plainNames } from '../varlist';
import { bodyTerms } from '../commands/common';
import { toSql } from './exprSql';
import { applyLazyBy, checkNewLazyName, queryOptions, requireLazy, sampleSql, selectList, sortedBy, sqlContext } from './context';

async function commit(ctx: CommandContext, select: string, change: Partial<LazyTable>): Promise<void> {
  const next = await nextStep(requireLazy(ctx), select, change, ctx.signal);
  ctx.session.lazy = next;
  ctx.dataChanged();
}

export async function lazyGenerate(ctx: CommandContext, isReplace: boolean): Promise<void> {
  new Options(ctx.command);
  const b = ctx.command.body;
  if (b.kind !== 'gen') throw new RunError(`${ctx.command.name} NAME = EXPRESSION`, ctx.command.range);
  const { table, by } = applyLazyBy(ctx);
  const name = b.target.name;
  const existing = lazyColumn(table, name);
  if (isReplace) {
    if (!existing) throw new RunError(`variable ${name} not found`, b.target.range);
  } else checkNewLazyName(name, table, b.target.range);
  const value = toSql(b.expr, sqlContext(ctx, table, by));
  const cond = await sampleSql(ctx, table, by);
  const from = `FROM ${ident(table.relation)}`;
  if (!isReplace) {
    if (b.type?.startsWith('str') && value.kind !== 'str') throw new RunError('type mismatch: a str variable needs a string expression', b.expr.range);
    const miss = value.kind === 'str' ? "''" : 'NULL::DOUBLE';
    const expr = cond ? `CASE WHEN ${cond} THEN ${value.sql} ELSE ${miss} END` : value.sql;
    const col: LazyColumn = { name, kind: value.kind === 'str' ? 'string' : 'numeric' };
    await commit(ctx, `SELECT ${selectList(table, new Map(), [`${expr} AS ${ident(name)}`])} ${from}`, { columns: [...table.columns, col] });
    return;
  }
  const col = existing as LazyColumn;
  if (col.kind === 'numeric' && value.kind !== 'num') throw new RunError(`type mismatch: ${name} is numeric`, b.expr.range);
  if (col.kind === 'string' && value.kind !== 'str') throw new RunError(`type mismatch: ${name} is a string variable`, b.expr.range);
  const expr = cond ? `CASE WHEN ${cond} THEN ${value.sql} ELSE ${ident(name)} END` : value.sql;
  await commit(ctx, `SELECT ${selectList(table, new Map([[name, expr]]))} ${from}`, {});
}

export async function lazyKeepDrop(ctx: CommandContext, keep: boolean): Promise<void> {
  new Options(ctx.command);
  const session = ctx.session;
  const terms = bodyTerms(ctx);
  const what = keep ? 'keep' : 'drop';
  if (terms.length) {
    const table = requireLazy(ctx);
    if (ctx.command.ifExpr || ctx.command.inRange) throw new RunError(`${what}: give either a variable list or if/in, not both`, ctx.command.range);
    const set = new Set(plainNames(expandVarlist(terms, session), what));
    const columns = table.columns.filter((c) => set.has(c.name) === keep);
    const narrowed = { ...table, columns };
    const dropped = table.columns.filter((c) => !columns.includes(c));
    if (table.order.some((o) => dropped.some((c) => o.startsWith(`${ident(c.name)} `)))) {
      // the data are sorted by a variable that goes: the row order is frozen into the row key first
      const cols = columns.map((c) => ident(c.name)).join(', ');
      await commit(ctx, `SELECT ${cols}${cols ? ', ' : ''}row_number() OVER (ORDER BY ${table.order.join(', ')}) AS ${ident(ROW_KEY)} FROM ${ident(table.relation)}`, { columns, order: [ident(ROW_KEY)], rows: table.rows });
    } else await commit(ctx, `SELECT ${selectList(narrowed)} FROM ${ident(table.relation)}`, { columns, rows: table.rows });
    if (session.panel && (!columns.some((c) => c.name === session.panel!.unit) || !columns.some((c) => c.name === session.panel!.time))) session.panel = null;
    return;
  }
  if (!ctx.command.ifExpr && !ctx.command.inRange) throw new RunError(`${what} needs a variable list, an if condition or an in range`, ctx.command.range);
  const { table, by } = applyLazyBy(ctx);
  const cond = (await sampleSql(ctx, table, by)) as string;
  const flag = '__ps_keep';
  // the condition may hold window functions (_n, x[_n-1]): computed in a subquery, filtered outside
  await commit(ctx, `SELECT ${selectList(table)} FROM (SELECT *, ${cond} AS ${flag} FROM ${ident(table.relation)}) WHERE ${keep ? flag : `NOT ${flag}`}`, {});
}

export function lazySort(ctx: CommandContext): void {
  new Options(ctx.command);
  const names = plainNames(expandVarlist(bodyTerms(ctx), ctx.session), 'sort');
  if (!names.length) throw new RunError('sort needs a variable list', ctx.command.range);
  ctx.session.lazy = sortedBy(requireLazy(ctx), names, ctx.command.range);
  ctx.session.sortedBy = names;
}

export async function lazyRename(ctx: CommandContext): Promise<void> {
  const terms = bodyTerms(ctx);
  if (terms.length !== 2 || terms[0].kind !== 'var' || terms[1].kind !== 'var') throw new RunError('rename OLD NEW', ctx.command.range);
  const table = requireLazy(ctx);
  const from = terms[0].name;
  const to = terms[1].name;
  const col = lazyColumn(table, from);
  if (!col) throw new RunError(`variable ${from} not found`, terms[0].range);
  checkNewLazyName(to, table, terms[1].range);
  const cols = table.columns.map((c) => (c.name === from ? `${ident(from)} AS ${ident(to)}` : ident(c.name)));
  const order = table.order.map((o) => (o.startsWith(`${ident(from)} `) ? `${ident(to)}${o.slice(ident(from).length)}` : o));
  await commit(ctx, `SELECT ${[...cols, ident(ROW_KEY)].join(', ')} FROM ${ident(table.relation)}`, {
    columns: table.columns.map((c) => (c.name === from ? { ...c, name: to } : c)),
    order,
    rows: table.rows,
  });
  const p = ctx.session.panel;
  if (p) ctx.session.panel = { ...p, unit: p.unit === from ? to : p.unit, time: p.time === from ? to : p.time };
}

/** label var NAME "TEXT": a label is metadata, no query. */
export function lazyLabel(ctx: CommandContext): void {
  const terms = bodyTerms(ctx);
  const sub = terms[0];
  if (!sub || sub.kind !== 'var' || !/^var(iable|iabl|iab|ia|i)?$/.test(sub.name)) throw new RunError('only `label var NAME "TEXT"` is supported', ctx.command.range);
  const v = terms[1];
  const txt = terms[2];
  if (!v || v.kind !== 'var') throw new RunError('label var: variable name missing', ctx.command.range);
  const table = requireLazy(ctx);
  if (!lazyColumn(table, v.name)) throw new RunError(`variable ${v.name} not found`, v.range);
  const label = txt ? (txt.kind === 'str' ? txt.value : termText(txt)) : '';
  ctx.session.lazy = { ...table, columns: table.columns.map((c) => (c.name === v.name ? { ...c, label } : c)) };
}

/** xtset UNIT TIME on lazy data: the time must be numeric and (unit, time) pairs unique, as in memory. */
export async function lazyXtset(ctx: CommandContext): Promise<void> {
  const opts = new Options(ctx.command);
  const names = plainNames(expandVarlist(bodyTerms(ctx), ctx.session), 'xtset');
  if (names.length !== 2) throw new RunError('xtset needs a unit and a time variable: xtset UNIT TIME', ctx.command.range);
  const table = requireLazy(ctx);
  const time = lazyColumn(table, names[1]);
  if (time?.kind !== 'numeric') throw new RunError(`time variable ${names[1]} must be numeric`, ctx.command.range);
  const unit = lazyColumn(table, names[0]);
  if (!unit) throw new RunError(`variable ${names[0]} not found`, ctx.command.range);
  const delta = opts.number('delta', 1) as number;
  const u = ident(unit.name);
  const t = ident(time.name);
  const known = unit.kind === 'string' ? `${u} <> '' AND ${t} IS NOT NULL` : `${u} IS NOT NULL AND ${t} IS NOT NULL`;
  // the first row (in the data's order) that repeats an earlier (unit, time) pair, as the in-memory check reports it
  const rows = await table.duck.all(
    `SELECT ${u} AS u, ${t} AS t FROM (SELECT ${u}, ${t}, row_number() OVER (ORDER BY ${table.order.join(', ')}) AS pos, row_number() OVER (PARTITION BY ${u}, ${t} ORDER BY ${table.order.join(', ')}) AS k FROM ${ident(table.relation)} WHERE ${known}) WHERE k = 2 ORDER BY pos LIMIT 1`,
    queryOptions(ctx),
  );
  ctx.session.panel = { unit: names[0], time: names[1], delta };
  if (rows.length) {
    ctx.session.panel = null;
    throw new RunError(`repeated time values within panel (${names[0]} = ${String(rows[0].u)}, ${names[1]} = ${String(rows[0].t)})`, ctx.command.range, 'data');
  }
}

/** Group statistics as window aggregates over `w` (an OVER clause). */
const GROUP_SQL: Record<string, (x: string, w: string) => string> = {
  mean: (x, w) => `avg(${x}) OVER ${w}`,
  sd: (x, w) => `stddev_samp(${x}) OVER ${w}`,
  min: (x, w) => `min(${x}) OVER ${w}`,
  max: (x, w) => `max(${x}) OVER ${w}`,
  total: (x, w) => `coalesce(sum(${x}) OVER ${w}, 0)`,
  sum: (x, w) => `coalesce(sum(${x}) OVER ${w}, 0)`,
  count: (x, w) => `CAST(count(${x}) OVER ${w} AS DOUBLE)`,
  median: (x, w) => `median(${x}) OVER ${w}`,
};
const ROW_SQL: Record<string, (xs: string[]) => string> = {
  rowtotal: (xs) => `(${xs.map((x) => `coalesce(${x}, 0)`).join(' + ')})`,
  rownonmiss: (xs) => `CAST(${xs.map((x) => `(${x} IS NOT NULL)::INT`).join(' + ')} AS DOUBLE)`,
  rowmiss: (xs) => `CAST(${xs.map((x) => `(${x} IS NULL)::INT`).join(' + ')} AS DOUBLE)`,
  rowmin: (xs) => `least(${xs.join(', ')})`,
  rowmax: (xs) => `greatest(${xs.join(', ')})`,
  rowmean: (xs) => `(CASE WHEN ${xs.map((x) => `${x} IS NOT NULL`).join(' OR ')} THEN (${xs.map((x) => `coalesce(${x}, 0)`).join(' + ')}) / (${xs.map((x) => `(${x} IS NOT NULL)::INT`).join(' + ')}) END)`,
};

/** egen NEW = FUNC(ARGS) [if], by(): window aggregates over the by-groups. */
export async function lazyEgen(ctx: CommandContext): Promise<void> {
  const b = ctx.command.body;
  if (b.kind !== 'egen') throw new RunError('egen NEW = FUNCTION(ARGUMENTS)', ctx.command.range);
  const opts = new Options(ctx.command);
  const fn = b.func;
  const group = GROUP_SQL[fn];
  const row = ROW_SQL[fn];
  if (!group && !row && fn !== 'group') throw new RunError(`egen ${fn}() does not run on lazy data yet: keep the rows you need and \`materialize\` first`, b.funcRange);
  if (opts.has('by') && ctx.by) throw new RunError('give by() or a bysort prefix, not both', opts.range('by'));
  const { table, by: byPrefix } = applyLazyBy(ctx);
  checkNewLazyName(b.target.name, table, b.target.range);
  if (!b.args.length) throw new RunError(`${fn}() needs a variable`, b.argsRange);
  const simple = b.args.every((t) => t.kind === 'var' || t.kind === 'varrange' || t.kind === 'global');
  if (!simple && !group) throw new RunError(`${fn}() takes a variable list`, b.argsRange);
  const sctx = sqlContext(ctx, table, byPrefix);
  const cond = (await sampleSql(ctx, table, byPrefix)) ?? 'true';
  const byNames = opts.has('by') ? plainNames(expandVarlist(opts.terms('by'), ctx.session), 'by()') : (byPrefix ?? []);
  for (const v of byNames) if (!lazyColumn(table, v)) throw new RunError(`variable ${v} not found`, opts.has('by') ? opts.range('by') : ctx.command.range);
  const missing = (v: string) => (lazyColumn(table, v)!.kind === 'string' ? `${ident(v)} = ''` : `${ident(v)} IS NULL`);
  // rows with any by-variable missing form one group together, as in memory
  const anyMissing = byNames.length ? `(${byNames.map(missing).join(' OR ')})` : 'false';
  const partition = ['__ps_in', ...(opts.has('by') ? [anyMissing, ...byNames.map((v) => `CASE WHEN ${anyMissing} THEN NULL ELSE ${ident(v)} END`)] : byNames.map(ident))];
  const numericArg = (): string => {
    if (simple) {
      const items = plainNames(expandVarlist(b.args, ctx.session), `${fn}()`);
      if (items.length !== 1) throw new RunError(`${fn}() takes one variable or expression`, b.argsRange);
      const c = lazyColumn(table, items[0])!;
      if (c.kind !== 'numeric') throw new RunError(`${fn}() needs a numeric variable`, b.argsRange);
      return ident(c.name);
    }
    const v = toSql(parseExprText(b.args.map(termText).join(' '), b.argsRange, `${fn}()`), sctx);
    if (v.kind !== 'num') throw new RunError(`${fn}() needs a numeric expression`, b.argsRange);
    return v.sql;
  };
  let value: string;
  if (group) value = group(numericArg(), `(PARTITION BY ${partition.join(', ')})`);
  else {
    const names = plainNames(expandVarlist(b.args, ctx.session), `${fn}()`);
    for (const n of names) if (fn !== 'group' && lazyColumn(table, n)?.kind !== 'numeric') throw new RunError(`${fn}(): ${n} is not numeric`, b.argsRange);
    if (row) value = row(names.map(ident));
    else {
      // group(): 1, 2, ... over the sorted distinct combinations; missing when any is missing
      const miss = `(${names.map(missing).join(' OR ')})`;
      value = `CASE WHEN ${miss} THEN NULL ELSE CAST(dense_rank() OVER (PARTITION BY ${miss} ORDER BY ${names.map((n) => `${ident(n)} ASC`).join(', ')}) AS DOUBLE) END`;
    }
  }
  const out = `CASE WHEN __ps_in THEN ${value} END`;
  const col: LazyColumn = { name: b.target.name, kind: 'numeric' };
  await commit(
    ctx,
    `SELECT ${selectList(table, new Map(), [`${out} AS ${ident(b.target.name)}`])} FROM (SELECT *, ${cond} AS __ps_in FROM ${ident(table.relation)})`,
    { columns: [...table.columns, col], rows: table.rows },
  );
}
