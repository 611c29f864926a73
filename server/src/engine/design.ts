// Re-estimation with one column replaced (the placebo test's 500 draws): the sample, the absorbed FEs,
// the demeaned controls and the cluster structure are computed once; each refit demeans only the new
// column and gets its coefficient by Frisch-Waugh-Lovell, with the exact SE of the full regression.
import { EstimationError, type EstimationCore, type RegressionInput } from './types';
import { prepareModel, dofK, sampleColumn, type PreparedModel } from './model';
import { estimatePrepared } from './estimate';
import { Residualizer } from './ols';
import { computeVcov, clusterTerms, type VcovRequest } from './vcov';
import { cholesky, cholInverse, crossProducts } from './linalg';
import { tQuantile, tTwoSidedP } from './dist';
import { DEFAULT_COLLINEAR_TOLERANCE } from './collinear';

export interface RefitResult {
  estimate: number; // NaN when the new column is collinear with the FEs and controls
  se: number;
  t: number;
  p: number;
  ci_low: number;
  ci_high: number;
  collinear: boolean;
  iterations: number;
  converged: boolean;
}

export interface PreparedDesign {
  readonly nobs: number;
  readonly sampleRows: Int32Array; // dataset rows of the estimation sample
  readonly treatment: string;
  readonly df_t: number;
  readonly df_k: number;
  /** The model as given (original treatment column). */
  readonly full: EstimationCore;
  /** Refit with new values of the treatment column: full dataset length, indexed like the input columns. */
  refit(treatmentValues: Float64Array): RefitResult;
}

/**
 * @param treatment name or index (into input.regressors) of the column that refits replace
 * The sample is fixed by the input (including the original treatment's missing values); a new
 * treatment column must be non-missing on every sample row.
 */
export function prepareDesign(input: RegressionInput, treatment: string | number = 0): PreparedDesign {
  const ti = typeof treatment === 'number' ? treatment : input.regressors.findIndex((r) => r.name === treatment);
  if (ti < 0 || ti >= input.regressors.length) throw new EstimationError(`the treatment ${String(treatment)} is not among the regressors`);
  const m: PreparedModel = prepareModel(input);
  const full = estimatePrepared(m);
  const controls = m.keep.filter((j) => j !== ti);
  const w = m.w;
  const res = new Residualizer(
    controls.map((j) => m.xTilde[j]),
    w,
  );
  const ey = res.residualize(m.yTilde);
  const n = m.n;
  const K = dofK(m, controls.length + 1);
  const req: VcovRequest = m.vcovRequest.type === 'cluster' ? { ...m.vcovRequest, terms: m.clusterFactors.length > 1 ? clusterTerms(m.clusterFactors) : undefined } : m.vcovRequest;
  const opts = { tolerance: input.tolerance, maxIterations: input.maxIterations };
  const name = input.regressors[ti].name;
  const sumW = m.sumW;
  const score = new Float64Array(n);
  const e = new Float64Array(n);
  let dfT = full.df_t;
  let q975 = tQuantile(0.975, dfT);

  const multiway = req.type === 'cluster' && req.clusters.length > 1;
  const cs = controls.map((j) => m.xTilde[j]);
  const ctc = crossProducts(cs, cs, w);

  function fullVcov(dTilde: Float64Array, resid: Float64Array, ssr: number) {
    const cols = [dTilde, ...cs];
    const k = cols.length;
    const dc = crossProducts([dTilde], cols, w);
    const xtx = new Float64Array(k * k);
    for (let a = 0; a < k; a++) {
      xtx[a] = xtx[a * k] = dc[a];
      for (let b = 1; b < k; b++) if (a > 0) xtx[a * k + b] = ctc[(a - 1) * (k - 1) + (b - 1)];
    }
    const sc = new Float64Array(k);
    for (let a = 0; a < k; a++) sc[a] = 1 / Math.sqrt(xtx[a * k + a]);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) xtx[a * k + b] *= sc[a] * sc[b];
    if (!cholesky(xtx, k)) throw new EstimationError('the placebo treatment is collinear with the controls');
    const bread = cholInverse(xtx, k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) bread[a * k + b] *= sc[a] * sc[b];
    return computeVcov(req, bread, k, { z: cols, e: resid, w }, ssr, n, K);
  }

  function refit(values: Float64Array): RefitResult {
    if (values.length !== input.depvar.values.length) {
      throw new EstimationError(`placebo treatment has ${values.length} rows, the data have ${input.depvar.values.length}`);
    }
    const d = sampleColumn(values, m.rows);
    // variation of the new column (shifted one-pass sums): the yardstick for collinearity with the FEs
    const c0 = n ? d[0] : 0;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = d[i];
      if (v - v !== 0) throw new EstimationError(`placebo treatment is missing or infinite in row ${m.rows[i] + 1}`);
      const wi = w ? w[i] : 1;
      const dv = v - c0;
      s1 += wi * dv;
      s2 += wi * dv * dv;
    }
    const ref = s2 - (s1 * s1) / sumW;
    const dm = m.fe.demean(d, opts);
    const dh = res.residualize(dm.values);
    const dd = m.fe.dot(dh, dh);
    if (!(dd > DEFAULT_COLLINEAR_TOLERANCE * ref) || !(ref > 0)) {
      return { estimate: NaN, se: NaN, t: NaN, p: NaN, ci_low: NaN, ci_high: NaN, collinear: true, iterations: dm.iterations, converged: dm.converged };
    }
    const b = m.fe.dot(dh, ey) / dd;
    let ssr = 0;
    for (let i = 0; i < n; i++) {
      const r = ey[i] - b * dh[i];
      e[i] = r;
      const wi = w ? w[i] : 1;
      ssr += wi * r * r;
      score[i] = wi * r * dh[i];
    }
    // one-way clustered, robust and iid: the FWL scalar sandwich is exact. Multi-way: the full model's
    // VCOV may need the eigenvalue fix, which mixes coefficients, so build the whole matrix
    const vc = multiway
      ? fullVcov(dm.values, e, ssr)
      : computeVcov(req, new Float64Array([1 / dd]), 1, req.type === 'iid' ? null : [score], ssr, n, K);
    if (vc.dfT !== dfT) {
      dfT = vc.dfT;
      q975 = tQuantile(0.975, dfT);
    }
    const se = Math.sqrt(Math.max(0, vc.V[0]));
    const t = b / se;
    return { estimate: b, se, t, p: tTwoSidedP(t, dfT), ci_low: b - q975 * se, ci_high: b + q975 * se, collinear: false, iterations: dm.iterations, converged: dm.converged };
  }

  return { nobs: n, sampleRows: m.rows, treatment: name, df_t: full.df_t, df_k: K, full, refit };
}
