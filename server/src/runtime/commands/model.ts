// Reading a regression command into the engine's RegressionInput: depvar, regressors, fixed
// effects (absorb()/fe(), a#b combined into one factor), clusters (vce(cluster ..), cluster(), cl()),
// robust, analytic weights and the `if` sample.
import type { Range, Term } from '../../../../grammar/src/ast';
import type { Factor, NamedColumn, RegressionInput, VcovSpec } from '../../engine/types';
import type { CommandContext } from '../context';
import { conditionMask } from '../context';
import { factorOf, numericValues, regressorColumns } from '../design';
import { RunError } from '../errors';
import type { Options } from '../options';
import { clusterTwiceProblem, dkraayConflictProblem } from '../../../../grammar/src/optionValues';
import { expandVarlist, itemName, type ListItem, type VarItem } from '../varlist';

/** The variance options as written: vce(robust | cluster VARS | dkraay L), cluster(VARS)/cl(VARS), robust, dkraay(L). */
export interface VceOptions {
  type: 'iid' | 'robust' | 'cluster';
  clusterTerms: Term[];
  dkLags: { lags: number; range: Range } | null;
}

/** Reads the variance options with the checker's rules (one estimator; cluster variables given once). */
export function vceOptions(opts: Options, dflt: 'iid' = 'iid'): VceOptions {
  let type: 'iid' | 'robust' | 'cluster' = dflt;
  let clusterTerms: Term[] = [];
  const v = opts.vce();
  // the checker's own rule (optionValues.ts): Driscoll-Kraay is the only variance estimator when given
  const conflict = dkraayConflictProblem(v, opts.get('dkraay'), [opts.get('cluster'), opts.get('robust')]);
  if (conflict) throw new RunError(conflict.message, conflict.range);
  let dkLags: { lags: number; range: Range } | null = null;
  if (opts.has('dkraay')) dkLags = { lags: opts.number('dkraay')!, range: opts.range('dkraay') };
  if (v?.type === 'robust') type = 'robust';
  else if (v?.type === 'cluster') {
    type = 'cluster';
    clusterTerms = v.vars;
  } else if (v?.type === 'dkraay') dkLags = { lags: v.lags, range: opts.range('vce') };
  if (opts.has('robust') && type === 'iid') type = 'robust';
  if (opts.has('cluster')) {
    const twice = clusterTwiceProblem(v, opts.get('cluster'));
    if (twice) throw new RunError(twice.message, twice.range);
    clusterTerms = opts.terms('cluster');
    if (!clusterTerms.length) throw new RunError('cluster() needs a variable', opts.range('cluster'));
    type = 'cluster';
  }
  return { type, clusterTerms, dkLags };
}

/** Standard errors from vce(robust | cluster VARS), cluster(VARS)/cl(VARS), robust. */
export function vcovFrom(ctx: CommandContext, opts: Options, dflt: 'iid' = 'iid'): { spec: VcovSpec; clusterNames: string[] } {
  const session = ctx.session;
  const { type, clusterTerms, dkLags } = vceOptions(opts, dflt);
  if (dkLags) {
    const panel = session.panel;
    if (!panel) throw new RunError('Driscoll-Kraay standard errors need the panel time variable: xtset UNIT TIME first', dkLags.range);
    return { spec: { type: 'dkraay', time: timeRankFactor(ctx, panel.time, dkLags.range), lags: dkLags.lags }, clusterNames: [] };
  }
  const items = clusterTerms.length ? expandVarlist(clusterTerms, session, { allowFactor: true }) : [];
  const clusters: Factor[] = items.map((it) => factorOf(session, it));
  return { spec: type === 'cluster' ? { type, clusters } : { type }, clusterNames: clusters.map((c) => c.name) };
}

/** The time variable coded by the rank of its value (0 = earliest period, -1 missing), for Driscoll-Kraay. */
function timeRankFactor(ctx: CommandContext, name: string, range: Range): Factor {
  const col = ctx.session.requireData().get(name);
  if (!col || col.kind !== 'numeric') throw new RunError(`the time variable ${name} must be numeric for Driscoll-Kraay standard errors`, range);
  const levels = [...new Set(col.values)].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const at = new Map(levels.map((v, i) => [v, i]));
  return { name, codes: Int32Array.from(col.values, (v) => (Number.isNaN(v) ? -1 : at.get(v)!)), nlevels: levels.length };
}

/** Fixed effects from absorb()/fe() terms. */
export function fixedEffectsFrom(ctx: CommandContext, terms: Term[]): Factor[] {
  const items = expandVarlist(terms, ctx.session, { allowFactor: true });
  return items.map((it) => {
    const inner: ListItem = it.kind === 'var' ? { ...it, factor: false } : it;
    return factorOf(ctx.session, inner);
  });
}

/** Analytic weights from `[aw=VAR]`. */
export function weightsFrom(ctx: CommandContext): Float64Array | undefined {
  const w = ctx.command.weight;
  if (!w) return undefined;
  if (w.type !== 'aw') throw new RunError(`only analytic weights [aw=VAR] are supported, not ${w.type}`, w.typeRange);
  const it: VarItem = { kind: 'var', name: w.expr.name, factor: false, continuous: false, range: w.expr.range };
  if (!ctx.session.requireData().has(it.name)) throw new RunError(`variable ${it.name} not found`, w.expr.range);
  return numericValues(ctx.session, it);
}

export function depvarFrom(ctx: CommandContext, item: ListItem | undefined): NamedColumn {
  if (!item) throw new RunError(`${ctx.command.name} needs a dependent variable`, ctx.command.nameRange);
  if (item.kind !== 'var' || item.factor) throw new RunError('the dependent variable must be a plain variable', item.range);
  return { name: itemName(item), values: numericValues(ctx.session, item) };
}

export interface ModelParts {
  input: RegressionInput;
  clusterNames: string[];
}

/** The common pieces of every regression command. */
export function baseInput(ctx: CommandContext, opts: Options, depvar: NamedColumn, regressors: NamedColumn[], fixedEffects: Factor[], constant: boolean): ModelParts {
  const { spec, clusterNames } = vcovFrom(ctx, opts);
  const input: RegressionInput = {
    depvar,
    regressors,
    fixedEffects,
    constant,
    vcov: spec,
    sample: conditionMask(ctx),
    dropSingletons: fixedEffects.length > 0 && !opts.has('keepsingletons'),
  };
  const w = weightsFrom(ctx);
  if (w) input.weights = w;
  // demeaning controls (reghdfe's tolerance() and maxiter())
  const tol = opts.number('tolerance');
  if (tol !== undefined) input.tolerance = tol;
  // the reader enforces level()'s range (10 to 99.99, the table's rule)
  const level = opts.number('level');
  if (level !== undefined) input.level = level;
  const maxit = opts.number('maxiter');
  if (maxit !== undefined) input.maxIterations = maxit;
  return { input, clusterNames };
}

export { regressorColumns };
