// reghdfe and regress on a lazy dataset: the model is read into a SqlRegressionSpec (column names,
// not columns) and fitted by the SQL estimator (engine/sql) on the current view, so the rows never
// leave DuckDB. The result is the same estimation result as in memory (esttab, coefplot, hovers).
// Regressors are plain numeric variables here: i./L./# terms are `gen`erated first, or `materialize`d.
import { ident, lazyColumn, type LazyTable } from '../../data/duck/lazyTable';
import { estimateSql } from '../../engine/sql/estimateSql';
import type { SqlRunner } from '../../engine/sql/runner';
import type { SqlRegressionSpec, SqlVcovSpec } from '../../engine/sql/spec';
import { EstimationError } from '../../engine/types';
import type { EstimationResult } from '../../results/types';
import type { Term } from '../../../../grammar/src/ast';
import type { CommandContext } from '../context';
import { RunError } from '../errors';
import { Options } from '../options';
import { expandVarlist, type ListItem } from '../varlist';
import { bodyTerms } from '../commands/common';
import { modelName, toResult } from '../commands/estimation';
import { vceOptions } from '../commands/model';
import { queryOptions, requireLazy, sampleSql } from './context';

/** A plain numeric variable of the lazy table (depvar, regressor, weight). */
function numericName(ctx: CommandContext, table: LazyTable, item: ListItem, role: string): string {
  if (item.kind !== 'var' || item.factor || item.ts || item.continuous) {
    throw new RunError(`on lazy data a ${role} must be a plain variable (no i., c., L./F./D. or #): \`gen\` it first, or \`materialize\``, item.range);
  }
  const col = lazyColumn(table, item.name);
  if (!col) throw new RunError(`variable ${item.name} not found`, item.range);
  if (col.kind !== 'numeric') throw new RunError(`${item.name} is a string variable: a ${role} must be numeric`, item.range);
  return item.name;
}

/** A fixed effect or cluster: a variable (i.x too) or an interaction a#b of plain variables. */
function factorName(item: ListItem): string {
  const parts = item.kind === 'var' ? [item] : item.parts;
  for (const p of parts) {
    if (p.ts || p.continuous) throw new RunError('on lazy data a fixed effect or cluster is a variable or a#b (no L./F./D. or c.)', item.range);
  }
  return parts.map((p) => p.name).join('#');
}

function factorNames(ctx: CommandContext, terms: Term[]): string[] {
  return expandVarlist(terms, ctx.session, { allowFactor: true }).map(factorName);
}

/** vce(robust | cluster VARS), cluster(VARS), robust: read as in memory (model.ts vceOptions). */
function vceFrom(ctx: CommandContext, opts: Options): SqlVcovSpec {
  const { type, clusterTerms, dkLags } = vceOptions(opts);
  if (dkLags) throw new RunError('Driscoll-Kraay standard errors are not available on lazy data: `materialize` first', dkLags.range);
  return type === 'cluster' ? { type, clusters: factorNames(ctx, clusterTerms) } : { type };
}

/**
 * `reghdfe` (absorb() or fe() required, unless noabsorb), `regress` (absorb() optional, no singletons
 * dropped) and `did` (DEPVAR TREAT [controls], fe() or the xtset unit and time: reghdfe's model).
 */
export async function lazyRegression(ctx: CommandContext, command: 'reghdfe' | 'regress' | 'did'): Promise<void> {
  const table = requireLazy(ctx);
  const opts = new Options(ctx.command);
  const items = expandVarlist(bodyTerms(ctx), ctx.session, { allowFactor: true });
  if (!items.length) throw new RunError(`${ctx.command.name} needs a dependent variable`, ctx.command.nameRange);
  const depvar = numericName(ctx, table, items[0], 'dependent variable');
  const regressors = items.slice(1).map((it) => numericName(ctx, table, it, 'regressor'));
  const feTerms = opts.has('absorb') ? opts.terms('absorb') : opts.has('fe') ? opts.terms('fe') : [];
  if (command === 'reghdfe' && !feTerms.length && !opts.has('noabsorb')) throw new RunError('reghdfe needs absorb(VARLIST) (or noabsorb)', ctx.command.nameRange);
  let absorb = factorNames(ctx, feTerms);
  if (command === 'did') {
    if (!regressors.length) throw new RunError('did needs a treatment variable after the outcome', ctx.command.nameRange);
    if (!absorb.length) {
      // as in memory: without fe(), the xtset unit and time are the two-way fixed effects
      const p = ctx.session.panel;
      if (!p) throw new RunError('did needs fe(VARLIST), or xtset UNIT TIME for unit and time fixed effects', ctx.command.nameRange);
      absorb = [p.unit, p.time];
    }
  }
  const spec: SqlRegressionSpec = {
    depvar,
    regressors,
    absorb,
    vce: vceFrom(ctx, opts),
    constant: command === 'regress' ? absorb.length === 0 && !opts.has('noconstant') : absorb.length === 0,
    dropSingletons: command !== 'regress' && absorb.length > 0 && !opts.has('keepsingletons'),
  };
  const level = opts.number('level');
  if (level !== undefined) spec.level = level;
  const w = ctx.command.weight;
  if (w) {
    if (w.type !== 'aw') throw new RunError(`only analytic weights [aw=VAR] are supported, not ${w.type}`, w.typeRange);
    spec.weights = numericName(ctx, table, { kind: 'var', name: w.expr.name, factor: false, continuous: false, range: w.expr.range }, 'weight');
  }
  // the [if] [in] sample (it may use window functions, so it is a column first, then the filter)
  const cond = await sampleSql(ctx, table);
  const relation = cond
    ? `(SELECT * FROM (SELECT *, (${cond}) AS __ps_sample FROM ${ident(table.relation)}) AS s WHERE __ps_sample)`
    : ident(table.relation);
  const runner: SqlRunner = { all: (sql, o) => table.duck.all(sql, { ...queryOptions(ctx), signal: o?.signal ?? ctx.signal }) };
  let core;
  try {
    core = await estimateSql(runner, relation, spec, { signal: ctx.signal });
  } catch (e) {
    if (e instanceof EstimationError) throw new RunError(e.message, ctx.command.nameRange, 'estimation');
    throw e;
  }
  const name = modelName(ctx);
  const result: EstimationResult = toResult(core, ctx.canonical, name, ctx.line);
  const labels: Record<string, string> = {};
  for (const t of [result.depvar, ...result.coefficients.map((c) => c.term), ...result.fixed_effects.map((f) => f.name)]) {
    const l = lazyColumn(table, t)?.label;
    if (l) labels[t] = l;
  }
  if (Object.keys(labels).length) result.labels = labels;
  const recorded = ctx.emit(result);
  ctx.session.storeModel(recorded, name);
  ctx.session.lazyModels.set(recorded, { duck: table.duck, relation, spec });
}
