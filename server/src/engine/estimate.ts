// OLS with any number of absorbed fixed effects: the engine's entry point.
import { EstimationError, type EstimationCore, type RegressionInput } from './types';
import type { FixedEffectInfo } from '../results/types';
import { prepareModel, dofK, weightedMean, type PreparedModel } from './model';
import { solveOls } from './ols';
import { computeVcov, meatFromSums, vcovWithRawConstant } from './vcov';
import { fitStats, coefRows, waldF } from './stats';
import { regressorDiagnostics } from './diagnostics';
import { releaseColumns } from './bufferpool';

export function estimate(input: RegressionInput): EstimationCore {
  const m = prepareModel(input);
  const core = estimatePrepared(m);
  // the demeaned columns die with m (the result holds none of them): recycle them for the next fit
  releaseColumns(m.demeaned.stored());
  return core;
}

/** Fits a prepared model (exported so that callers holding a PreparedModel skip the preparation). */
export function estimatePrepared(m: PreparedModel): EstimationCore {
  const { n, w } = m;
  const k = m.keep.length;
  const req = m.vcovRequest;
  // one-way clustering: the score sums come out of the residual pass (no second read of the columns)
  const oneWay = req.type === 'cluster' && req.clusters.length === 1 ? req.clusters[0] : null;
  const fit = solveOls(m.demeaned, m.keep, m.names.length, w, m.xtxKept, m.xtyKept, oneWay ? { codes: oneWay.codes, G: oneWay.nlevels, ones: m.reportConstant } : undefined);
  const K = dofK(m, k);
  const Kfull = k + m.kFeFull;
  if (n - K <= 0 || n - Kfull <= 0) {
    throw new EstimationError(`not enough observations: ${n} observations for ${Math.max(K, Kfull)} parameters`);
  }
  if (fit.ssr <= 1e-26 * m.tss) {
    throw new EstimationError(`perfect fit: the regressors${m.feFactors.length ? ' and fixed effects' : ''} explain ${m.input.depvar.name} exactly`);
  }

  // VCOV on [X~, 1]: the constant's column is orthogonal to X~ whenever it is reported (X~ has weighted
  // mean zero), so the bread is block-diagonal; then map to [X, 1] coordinates (b, _cons = ybar - b'xbar)
  const withCons = m.reportConstant;
  const kz = k + (withCons ? 1 : 0);
  const bread = new Float64Array(kz * kz);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) bread[a * kz + b] = fit.xtxInv[a * k + b];
  if (withCons) bread[kz * kz - 1] = 1 / m.sumW;
  let scores: { z: Float64Array[]; e: Float64Array; w: Float64Array | null } | null = null;
  if (req.type !== 'iid' && !fit.clusterSums) {
    // robust and multi-way scores need the regressors whole
    const zCols = m.keep.map((j) => m.demeaned.column(j));
    if (withCons) zCols.push(new Float64Array(n).fill(1));
    scores = { z: zCols, e: fit.residuals, w };
  }
  const meat = fit.clusterSums && oneWay ? meatFromSums(fit.clusterSums, oneWay.nlevels, kz) : undefined;
  const vc = computeVcov(req, bread, kz, scores, fit.ssr, n, K, meat);
  let V: Float64Array = vc.V;
  const beta = Array.from(fit.beta);
  const terms = m.keep.map((j) => m.names[j]);
  if (withCons) {
    const xbar = m.keep.map((j) => (m.xMeans ? m.xMeans[j] : weightedMean(m.xRaw[j], w, m.sumW)));
    let cons = m.yMean;
    for (let a = 0; a < k; a++) cons -= beta[a] * xbar[a];
    beta.push(cons);
    terms.push('_cons');
    V = vcovWithRawConstant(V, kz, xbar);
  }

  const stats = fitStats(fit.ssr, m.tss, m.tssWithin, n, Kfull, m.kFeFull, m.absorbsConstant);
  const coefficients = coefRows(terms, beta, V, vc.dfT, (m.input.level ?? 95) / 100);
  const slopeIdx = Array.from({ length: k }, (_, a) => a);
  const F = waldF(beta, V, kz, slopeIdx, vc.dfT);
  const warnings = m.warnings.slice();
  if (vc.psdFixed) warnings.push('the multi-way clustered VCOV was not positive semi-definite: negative eigenvalues set to zero');

  const diag = regressorDiagnostics(m.names, m.xtxAll, m.refSS, m.keep, m.xtxKept, fit.xtxInv);

  const fixed_effects: FixedEffectInfo[] = m.feFactors.map((f, q) => ({ name: f.name, levels: f.nlevels, nested: m.nested[q] }));
  const vcovRows: number[][] = [];
  for (let i = 0; i < kz; i++) vcovRows.push(Array.from(V.subarray(i * kz, (i + 1) * kz)));

  return {
    depvar: m.input.depvar.name,
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
    ssr: fit.ssr,
    tss: m.tss,
    f: F ? F.f : null,
    f_df: F ? F.df : [k, vc.dfT],
    f_p: F ? F.p : null,
    vcovType: m.input.vcov.type,
    clusters: m.clusterFactors.map((c) => c.name),
    n_clusters: vc.nClusters,
    fixed_effects,
    singletons_removed: m.selection.singletonsRemoved,
    missing_removed: m.selection.missingRemoved,
    coefficients,
    omitted: m.dropped.map((j) => ({ term: m.names[j], reason: 'collinear' })),
    vcov: vcovRows,
    iterations: m.iterations,
    converged: m.converged,
    warnings,
    sampleRows: m.rows,
    residuals: fit.residuals,
    ...(m.input.level !== undefined ? { level: m.input.level } : {}),
    vcov_scale: vc.scale,
    ...(req.type === 'dkraay' ? { dkraay: { lags: req.lags, time: req.periods.name, periods: req.periods.nlevels } } : {}),
    sum_weights: w ? m.sumWGiven : undefined,
    within_share: diag.within_share,
    vif: diag.vif,
    condition_number: diag.condition_number,
  };
}
