// The back half of estimatePrepared (estimate.ts) from cross-product moments instead of columns: the
// SQL routes deliver X~'WX~, X~'Wy~, y~'Wy~ and the meat, and the result is the in-memory engine's
// EstimationCore, built with the same collinearity test, small-sample factors, statistics and diagnostics.
import { EstimationError, type EstimationCore } from '../types';
import type { FixedEffectInfo, VcovType } from '../../results/types';
import { findCollinear } from '../collinear';
import { cholesky, cholInverse, cholSolve } from '../linalg';
import { computeVcov, vcovWithRawConstant, type VcovRequest } from '../vcov';
import { fitStats, coefRows, waldF } from '../stats';
import { regressorDiagnostics } from '../diagnostics';
import type { SampleFactor } from '../factors';
import type { SqlRegressionSpec } from './spec';
import type { BaseRelation } from './base';

/** A model reduced to moments, all weighted sums on the in-memory engine's scale (weights summing to N). */
export interface MomentModel {
  depvar: string;
  names: string[];
  N: number;
  sumWGiven?: number; // with weights: their sum as given
  xtx: Float64Array; // p x p, demeaned regressors
  xty: Float64Array; // p
  yty: number; // demeaned outcome's sum of squares
  tss: number;
  tssWithin: number | null; // with FEs
  refSS: Float64Array; // per regressor: raw SS, centred when a constant or FE is absorbed
  xbar: Float64Array; // weighted means (for _cons)
  yMean: number;
  constant: boolean; // report _cons
  absorbsConstant: boolean;
  hasFE: boolean;
  fixedEffects: FixedEffectInfo[];
  kFeFull: number;
  kFeCluster: number;
  vcovType: VcovType;
  clusterNames: string[];
  singletonsRemoved: number;
  missingRemoved: number;
  level?: number;
  iterations: number;
  converged: boolean;
  warnings: string[];
}

/** The fields every route fills alike, from the spec and the base relation. */
export function specFields(spec: SqlRegressionSpec, b: BaseRelation): Pick<MomentModel, 'depvar' | 'names' | 'vcovType' | 'clusterNames' | 'missingRemoved' | 'level'> {
  return { depvar: spec.depvar, names: spec.regressors, vcovType: spec.vce.type, clusterNames: b.clusters.map((c) => c.name), missingRemoved: b.missingRemoved, level: spec.level };
}

/** X~'WX~, X~'Wy~ and y~'Wy~ from the (p+1) x (p+1) moments of [x~..., y~] (symmetrised). */
export function splitMoments(p: number, get: (a: number, c: number) => number): Pick<MomentModel, 'xtx' | 'xty' | 'yty'> {
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    for (let c = 0; c < p; c++) xtx[a * p + c] = 0.5 * (get(a, c) + get(c, a));
    xty[a] = get(a, p);
  }
  return { xtx, xty, yty: get(p, p) };
}

/** The coefficients the meat is asked for: beta over all p regressors (0 where dropped) and the kept indices. */
export interface FitForMeat {
  beta: Float64Array;
  keep: number[];
}

/** The meat on [X~ kept, 1 if _cons] (kz x kz) and, when clustered, the cluster counts per variable; null for iid. */
export interface MeatResult {
  meat: Float64Array;
  nClusters: number[];
}

export async function finishEstimate(m: MomentModel, meatOf: (fit: FitForMeat) => Promise<MeatResult | null>): Promise<EstimationCore> {
  const p = m.names.length;
  const col = findCollinear(m.xtx, p, m.refSS);
  if (p > 0 && col.keep.length === 0) {
    throw new EstimationError(`all regressors are collinear${m.absorbsConstant ? (m.hasFE ? ' with the fixed effects' : ' with the constant') : ''}: ${col.dropped.map((j) => m.names[j]).join(', ')}`);
  }
  const keep = col.keep;
  const k = keep.length;
  const xtxK = new Float64Array(k * k);
  const xtyK = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) xtxK[a * k + b] = m.xtx[keep[a] * p + keep[b]];
    xtyK[a] = m.xty[keep[a]];
  }
  // Cholesky of the unit-diagonal scaled matrix (as solveOls)
  const sc = new Float64Array(k);
  for (let a = 0; a < k; a++) sc[a] = 1 / Math.sqrt(xtxK[a * k + a]);
  const A = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) A[a * k + b] = xtxK[a * k + b] * sc[a] * sc[b];
  if (k > 0 && !cholesky(A, k)) throw new EstimationError('the regressors are collinear');
  const rhs = new Float64Array(k);
  for (let a = 0; a < k; a++) rhs[a] = xtyK[a] * sc[a];
  const bs = k > 0 ? cholSolve(A, k, rhs) : new Float64Array(0);
  const betaK = new Float64Array(k);
  for (let a = 0; a < k; a++) betaK[a] = bs[a] * sc[a];
  const invS = k > 0 ? cholInverse(A, k) : new Float64Array(0);
  const xtxInv = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) xtxInv[a * k + b] = invS[a * k + b] * sc[a] * sc[b];
  // SSR = y~'y~ - b'X~'y~ (the normal equations hold to rounding)
  let fitted = 0;
  for (let a = 0; a < k; a++) fitted += betaK[a] * xtyK[a];
  const ssr = Math.max(0, m.yty - fitted);

  const n = m.N;
  const K = k + (m.vcovType === 'cluster' ? m.kFeCluster : m.kFeFull);
  const Kfull = k + m.kFeFull;
  if (n - K <= 0 || n - Kfull <= 0) throw new EstimationError(`not enough observations: ${n} observations for ${Math.max(K, Kfull)} parameters`);
  if (ssr <= 1e-26 * m.tss) throw new EstimationError(`perfect fit: the regressors${m.hasFE ? ' and fixed effects' : ''} explain ${m.depvar} exactly`);

  const betaAll = new Float64Array(p);
  keep.forEach((j, a) => (betaAll[j] = betaK[a]));
  const withCons = m.constant;
  const kz = k + (withCons ? 1 : 0);
  const bread = new Float64Array(kz * kz);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) bread[a * kz + b] = xtxInv[a * k + b];
  if (withCons) bread[kz * kz - 1] = 1 / n;
  const mr = await meatOf({ beta: betaAll, keep });
  let req: VcovRequest;
  if (m.vcovType === 'cluster') {
    if (!mr) throw new RangeError('finishEstimate: a clustered VCOV needs its meat');
    const fake: SampleFactor[] = mr.nClusters.map((G, q) => ({ name: m.clusterNames[q], codes: new Int32Array(0), nlevels: G }));
    req = { type: 'cluster', clusters: fake };
  } else if (m.vcovType === 'robust') req = { type: 'robust' };
  else if (m.vcovType === 'iid') req = { type: 'iid' };
  else throw new EstimationError('Driscoll-Kraay standard errors are not available for SQL-backed data');
  const vc = computeVcov(req, bread, kz, null, ssr, n, K, mr?.meat);
  let V: Float64Array = vc.V;
  const beta = Array.from(betaK);
  const terms = keep.map((j) => m.names[j]);
  if (withCons) {
    const xbar = keep.map((j) => m.xbar[j]);
    let cons = m.yMean;
    for (let a = 0; a < k; a++) cons -= beta[a] * xbar[a];
    beta.push(cons);
    terms.push('_cons');
    V = vcovWithRawConstant(V, kz, xbar);
  }
  const stats = fitStats(ssr, m.tss, m.tssWithin, n, Kfull, m.kFeFull, m.absorbsConstant);
  const coefficients = coefRows(terms, beta, V, vc.dfT, (m.level ?? 95) / 100);
  const F = waldF(beta, V, kz, Array.from({ length: k }, (_, a) => a), vc.dfT);
  const warnings = m.warnings.slice();
  if (vc.psdFixed) warnings.push('the multi-way clustered VCOV was not positive semi-definite: negative eigenvalues set to zero');
  const diag = regressorDiagnostics(m.names, m.xtx, m.refSS, keep, xtxK, xtxInv);
  const vcovRows: number[][] = [];
  for (let i = 0; i < kz; i++) vcovRows.push(Array.from(V.subarray(i * kz, (i + 1) * kz)));
  return {
    depvar: m.depvar,
    nobs: n,
    df_resid: n - K,
    df_t: vc.dfT,
    df_k: K,
    r2: stats.r2,
    adj_r2: stats.adj_r2,
    r2_within: stats.r2_within,
    adj_r2_within: stats.adj_r2_within,
    rmse: stats.rmse,
    sigma: stats.sigma,
    ssr,
    tss: m.tss,
    f: F ? F.f : null,
    f_df: F ? F.df : [k, vc.dfT],
    f_p: F ? F.p : null,
    vcovType: m.vcovType,
    clusters: m.vcovType === 'cluster' ? m.clusterNames : [],
    n_clusters: vc.nClusters,
    fixed_effects: m.fixedEffects,
    singletons_removed: m.singletonsRemoved,
    missing_removed: m.missingRemoved,
    coefficients,
    omitted: col.dropped.map((j) => ({ term: m.names[j], reason: 'collinear' })),
    vcov: vcovRows,
    iterations: m.iterations,
    converged: m.converged,
    warnings,
    // the rows stay in the database: no row indices or residuals come back
    sampleRows: new Int32Array(0),
    ...(m.level !== undefined ? { level: m.level } : {}),
    vcov_scale: vc.scale,
    sum_weights: m.sumWGiven,
    within_share: diag.within_share,
    vif: diag.vif,
    condition_number: diag.condition_number,
  };
}
