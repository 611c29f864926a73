// Reading a regression command into the engine's RegressionInput: depvar, regressors, fixed
// effects (absorb()/fe(), a#b combined into one factor), clusters (vce(cluster ..), cluster(), cl()),
// robust, analytic weights and the `if` sample.
import type { Term } from '../../../../grammar/src/ast';
import type { Factor, NamedColumn, RegressionInput, VcovSpec } from '../../engine/types';
import type { CommandContext } from '../context';
import { ifMask } from '../context';
import { factorOf, numericValues, regressorColumns } from '../design';
import { RunError } from '../errors';
import { Options, termText } from '../options';
import { expandVarlist, itemName, type ListItem, type VarItem } from '../varlist';

/** Standard errors from vce(robust | cluster VARS), cluster(VARS)/cl(VARS), robust. */
export function vcovFrom(ctx: CommandContext, opts: Options, dflt: 'iid' = 'iid'): { spec: VcovSpec; clusterNames: string[] } {
  const session = ctx.session;
  let type: 'iid' | 'robust' | 'cluster' = dflt;
  let clusterTerms: Term[] = [];
  if (opts.has('vce')) {
    const t = opts.terms('vce');
    const head = t[0];
    const word = head && head.kind === 'var' ? head.name.toLowerCase() : '';
    if (['robust', 'r', 'rob', 'robu', 'robus', 'hc1', 'hetero', 'het'].includes(word)) type = 'robust';
    else if (['cluster', 'cl', 'clu', 'clus', 'clust', 'cluste'].includes(word)) {
      type = 'cluster';
      clusterTerms = t.slice(1);
      if (!clusterTerms.length) throw new RunError('vce(cluster VARLIST) needs a cluster variable', opts.range('vce'));
    } else if (['ols', 'unadjusted', 'iid', 'un', 'una'].includes(word)) type = 'iid';
    else throw new RunError(`vce(${t.map(termText).join(' ')}) not supported: use vce(robust) or vce(cluster VARLIST)`, opts.range('vce'));
  }
  if (opts.has('robust') && type === 'iid') type = 'robust';
  if (opts.has('cluster')) {
    if (clusterTerms.length) throw new RunError('give the cluster variables once: vce(cluster ...) or cluster(...)', opts.range('cluster'));
    clusterTerms = opts.terms('cluster');
    if (!clusterTerms.length) throw new RunError('cluster() needs a variable', opts.range('cluster'));
    type = 'cluster';
  }
  const items = clusterTerms.length ? expandVarlist(clusterTerms, session, { allowFactor: true }) : [];
  const clusters: Factor[] = items.map((it) => factorOf(session, it));
  return { spec: type === 'cluster' ? { type, clusters } : { type }, clusterNames: clusters.map((c) => c.name) };
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
    sample: ifMask(ctx),
    dropSingletons: fixedEffects.length > 0 && !opts.has('keepsingletons'),
  };
  const w = weightsFrom(ctx);
  if (w) input.weights = w;
  // demeaning controls (reghdfe's tolerance() and maxiter())
  const tol = opts.number('tolerance');
  if (tol !== undefined) {
    if (!(tol > 0 && tol < 1)) throw new RunError('tolerance() must lie between 0 and 1', opts.range('tolerance'));
    input.tolerance = tol;
  }
  const level = opts.number('level');
  if (level !== undefined) {
    // Stata's range for level(): 10 to 99.99
    if (!(level >= 10 && level < 100)) throw new RunError('level() must lie between 10 and 99.99 (a percentage, e.g. level(90))', opts.range('level'));
    input.level = level;
  }
  const maxit = opts.number('maxiter');
  if (maxit !== undefined) {
    if (!Number.isInteger(maxit) || maxit < 1) throw new RunError('maxiter() needs a positive whole number', opts.range('maxiter'));
    input.maxIterations = maxit;
  }
  return { input, clusterNames };
}

export { regressorColumns };
