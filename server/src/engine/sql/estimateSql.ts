// OLS with absorbed fixed effects on data in a SQL database, exactly as estimate() would fit them in
// memory: the same EstimationCore (coefficients, VCOV, df, fit statistics), so that renderers, esttab
// and boottest need nothing new. Two routes:
//  - compress: when the distinct (regressors x FE x cluster) cells are few, GROUP BY them into
//    sufficient statistics (count, sum y, sum y^2, weights) and fit the cells in memory (compress.ts);
//  - sweep: otherwise sweep the largest FE out by GROUP BY sums and carry the small ones as dummies
//    (sweep.ts), then the cluster scores in one more aggregate pass.
import { EstimationError, type EstimationCore } from '../types';
import type { SqlRunner } from './runner';
import type { SqlRegressionSpec, SqlRoute } from './spec';
import { buildBase, dropTemps, type BaseRelation } from './base';
import { sweepEstimate, sweepPlan, type SweepPlan } from './sweep';
import { iterateEstimate } from './iterate';
import { compressEstimate } from './compress';

export interface SqlEstimate {
  core: EstimationCore;
  route: Exclude<SqlRoute, 'auto'>;
}

export interface SqlEstimateOptions {
  signal?: AbortSignal; // cancels the running query (DuckDB: interrupt) and the fit
  /** progress of the query running now, 0..1 (a fit runs several queries in turn) */
  onProgress?: (f: number) => void;
}

/** The runner with the fit's signal and progress callback on every query. */
export function withOptions(runner: SqlRunner, opts: SqlEstimateOptions): SqlRunner {
  if (!opts.signal && !opts.onProgress) return runner;
  return { all: (sql, o) => runner.all(sql, { signal: opts.signal, onProgress: opts.onProgress, ...o }) };
}

/** Defaults of the route choice (spec fields override them). */
export const SQL_DEFAULTS = { smallFeMax: 60, compressRatio: 0.2, compressMaxCells: 2_000_000 } as const;

/**
 * @param relation a FROM item: a table or view name, or a table function reading files (DuckDB's Parquet reader)
 */
export async function estimateSql(runner: SqlRunner, relation: string, spec: SqlRegressionSpec, opts: SqlEstimateOptions = {}): Promise<EstimationCore> {
  return (await estimateSqlRoute(runner, relation, spec, opts)).core;
}

/** The checks every route shares (the in-memory engine's messages). */
export function checkSpec(spec: SqlRegressionSpec): void {
  if (spec.vce.type === 'dkraay') throw new EstimationError('Driscoll-Kraay standard errors are not available for SQL-backed data');
  const constant = spec.constant ?? spec.absorb.length === 0;
  if (constant && spec.absorb.length) throw new EstimationError('SQL-backed data: a model with absorbed fixed effects does not report a constant');
  if (spec.regressors.length === 0 && spec.absorb.length === 0 && !constant) throw new EstimationError('nothing to estimate: no regressors, no constant and no fixed effects');
  const seen = new Set<string>();
  for (const r of spec.regressors) {
    if (seen.has(r)) throw new EstimationError(`regressor ${r} appears twice`);
    seen.add(r);
  }
}

export type RouteChoice = { route: 'compress' } | { route: 'sweep'; plan: SweepPlan } | { route: 'iterate' };

/** The route for a model on a base relation: compression when the cells are few, else the exact sweep when one FE is large, else iterations. */
export function chooseRoute(base: BaseRelation, spec: SqlRegressionSpec): RouteChoice {
  const route = spec.route ?? 'auto';
  const maxCells = spec.compressMaxCells ?? SQL_DEFAULTS.compressMaxCells;
  const compresses = base.approxCells <= Math.min(maxCells, (spec.compressRatio ?? SQL_DEFAULTS.compressRatio) * base.N);
  const plan = sweepPlan(base, spec.smallFeMax ?? SQL_DEFAULTS.smallFeMax);
  if (route === 'compress' || (route === 'auto' && compresses)) return { route: 'compress' };
  if ((route === 'sweep' || route === 'auto') && plan) return { route: 'sweep', plan };
  // sweepPlan always has a plan for fewer than two FEs: only a forced `iterate` gets here with them
  if (base.fes.length < 2) throw new EstimationError('the iterative route needs two or more fixed effects');
  return { route: 'iterate' };
}

export async function estimateSqlRoute(runner: SqlRunner, relation: string, spec: SqlRegressionSpec, opts: SqlEstimateOptions = {}): Promise<SqlEstimate> {
  checkSpec(spec);
  const base = await buildBase(withOptions(runner, opts), relation, spec, opts.signal);
  try {
    const choice = chooseRoute(base, spec);
    switch (choice.route) {
      case 'compress':
        return { core: await compressEstimate(base, spec, opts.signal), route: 'compress' };
      case 'sweep':
        return { core: (await sweepEstimate(base, spec, choice.plan, opts.signal)).core, route: 'sweep' };
      case 'iterate':
        return { core: await iterateEstimate(base, spec, opts.signal), route: 'iterate' };
    }
  } finally {
    await dropTemps(base);
  }
}
