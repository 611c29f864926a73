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
import { buildBase, dropTemps } from './base';
import { sweepEstimate, sweepPlan } from './sweep';
import { compressEstimate } from './compress';

export interface SqlEstimate {
  core: EstimationCore;
  route: Exclude<SqlRoute, 'auto'>;
}

export interface SqlEstimateOptions {
  signal?: AbortSignal;
}

/** Defaults of the route choice (spec fields override them). */
export const SQL_DEFAULTS = { smallFeMax: 60, compressRatio: 0.2, compressMaxCells: 2_000_000 } as const;

/**
 * @param relation a FROM item: a table or view name, or a table function such as read_parquet('...')
 */
export async function estimateSql(runner: SqlRunner, relation: string, spec: SqlRegressionSpec, opts: SqlEstimateOptions = {}): Promise<EstimationCore> {
  return (await estimateSqlRoute(runner, relation, spec, opts)).core;
}

export async function estimateSqlRoute(runner: SqlRunner, relation: string, spec: SqlRegressionSpec, opts: SqlEstimateOptions = {}): Promise<SqlEstimate> {
  if (spec.vce.type === 'dkraay') throw new EstimationError('Driscoll-Kraay standard errors are not available for SQL-backed data');
  const constant = spec.constant ?? spec.absorb.length === 0;
  if (spec.regressors.length === 0 && spec.absorb.length === 0 && !constant) throw new EstimationError('nothing to estimate: no regressors, no constant and no fixed effects');
  const seen = new Set<string>();
  for (const r of spec.regressors) {
    if (seen.has(r)) throw new EstimationError(`regressor ${r} appears twice`);
    seen.add(r);
  }
  const base = await buildBase(runner, relation, spec, opts.signal);
  try {
    const route = spec.route ?? 'auto';
    const maxCells = spec.compressMaxCells ?? SQL_DEFAULTS.compressMaxCells;
    const compresses = base.approxCells <= Math.min(maxCells, (spec.compressRatio ?? SQL_DEFAULTS.compressRatio) * base.N);
    const plan = sweepPlan(base, spec.smallFeMax ?? SQL_DEFAULTS.smallFeMax);
    if (route === 'compress' || (route === 'auto' && (compresses || !plan))) {
      if (route === 'auto' && !compresses && base.approxCells > maxCells) {
        throw new EstimationError(
          `this model has more than one large fixed effect (${spec.absorb.join(', ')}) and ${base.approxCells} distinct cells: SQL-backed data support one large FE with small others, or models that compress to at most ${maxCells} cells`,
        );
      }
      return { core: await compressEstimate(base, spec, opts.signal), route: 'compress' };
    }
    if (!plan) throw new EstimationError(`the sweep route needs at most one fixed effect with more than ${spec.smallFeMax ?? SQL_DEFAULTS.smallFeMax} levels`);
    return { core: (await sweepEstimate(base, spec, plan, opts.signal)).core, route: 'sweep' };
  } finally {
    await dropTemps(base);
  }
}
