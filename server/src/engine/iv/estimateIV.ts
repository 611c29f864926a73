// Two-stage least squares with absorbed fixed effects (ivreghdfe / fixest `y ~ w | fe | x ~ z`).
//
// FWL: FEs are partialled out of y, the exogenous regressors W, the endogenous X and the excluded
// instruments Z; then X̂ = [Z W] Π̂ (first stage) and b = OLS of y on [X̂ W]. The residuals of the
// variance use the ORIGINAL X (e = y - [X W] b), the bread is ([X̂ W]'[X̂ W])⁻¹, and the
// small-sample conventions are those of OLS. Coefficients keep the original names (fixest: fit_x).
// Diagnostics work on X and Z with W partialled out too (see ranktest.ts).

import type { FirstStageInfo } from '../../results/types';
import { EstimationError, type EstimationCore, type NamedColumn, type RegressionInput } from '../types';
import { selectSample } from '../sample';
import { clusterFeParameters, compactCodes, fullyRedundant, isNestedIn, redundantLevels, type SampleFactor } from '../factors';
import { FixedEffects } from '../demean';
import { chi2UpperP, fUpperP } from '../dist';
import { coefRow } from '../stats';
import { canonicalCorrelations2, fixestKpr, kpRankTest } from './ranktest';
import { computeVcov, vcovRequest, type VcovRequest } from '../vcov';
import { type Mat, crossColVec, crossCols, fromRows, invSPD, matvec, quadInv, sub, toRows } from '../linalg';
import { stockYogo, type StockYogo } from './stockyogo';

export type FirstStage = FirstStageInfo;

/** Residual of each column after least squares on `on` (columns already partialled of FEs). */
function residualize(cols: Float64Array[], on: Float64Array[]): Float64Array[] {
  if (!on.length) return cols.map((c) => Float64Array.from(c));
  const inv = invSPD(crossCols(on));
  if (!inv) throw new EstimationError('exogenous regressors are collinear');
  return cols.map((c) => {
    const b = matvec(inv, crossColVec(on, c));
    const r = Float64Array.from(c);
    on.forEach((w, j) => { for (let i = 0; i < r.length; i++) r[i] -= b[j] * w[i]; });
    return r;
  });
}

function sumSq(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}

/**
 * Greedy selection of linearly independent columns: a column is kept when its part orthogonal to
 * the columns already kept keeps more than `tol` of its (pre-partialling) variation.
 */
function independent(cols: Float64Array[], refSS: number[], tol = 1e-9): boolean[] {
  const keep: boolean[] = [];
  const basis: Float64Array[] = [];
  cols.forEach((c, j) => {
    const r = residualize([c], basis)[0];
    const ok = sumSq(r) > tol * Math.max(refSS[j], 1e-300);
    keep.push(ok);
    if (ok) basis.push(c);
  });
  return keep;
}

function requireRows(n: number, k: number): void {
  if (n <= k) throw new EstimationError(`not enough observations: ${n} observations for ${k} parameters`);
}

function centeredSS(x: Float64Array, w?: Float64Array): number {
  let sw = 0, s = 0;
  for (let i = 0; i < x.length; i++) { const wi = w ? w[i] : 1; sw += wi; s += wi * x[i]; }
  const m = s / sw;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (w ? w[i] : 1) * (x[i] - m) ** 2;
  return ss;
}

/**
 * The shared VCOV on rows already scaled by sqrt(w): scores r_j e with no further weights, the sums
 * of squares unweighted. V comes back as rows (the small dense helpers' layout).
 */
function ivVcov(req: VcovRequest, bread: Mat, regressors: Float64Array[], resid: Float64Array, dfK: number): { V: Mat; dfT: number; nClusters: number[] } {
  const k = regressors.length;
  const vc = computeVcov(req, fromRows(bread), k, { z: regressors, e: resid, w: null }, sumSq(resid), resid.length, dfK);
  return { V: toRows(vc.V, k), dfT: vc.dfT, nClusters: vc.nClusters };
}

export function estimateIV(input: RegressionInput): EstimationCore {
  const endogIn = input.endogenous ?? [];
  const instIn = input.instruments ?? [];
  if (!endogIn.length) throw new EstimationError('IV estimation needs at least one endogenous variable: (x = z)');
  if (instIn.length < endogIn.length)
    throw new EstimationError(
      `the model is not identified: ${instIn.length} excluded instrument(s) for ${endogIn.length} endogenous variable(s)`,
    );
  const seen = new Map<string, string>();
  for (const [role, cols] of [['exogenous', input.regressors], ['endogenous', endogIn], ['instrument', instIn]] as const)
    for (const c of cols) {
      const prev = seen.get(c.name);
      if (prev) throw new EstimationError(`${c.name} appears twice in the model (as ${prev} and as ${role})`);
      seen.set(c.name, role);
    }
  if (seen.has(input.depvar.name)) throw new EstimationError(`the dependent variable ${input.depvar.name} also appears on the right-hand side`);
  const vtype = input.vcov.type;
  const clusterFactors = vtype === 'cluster' ? input.vcov.clusters ?? [] : [];
  if (vtype === 'cluster' && !clusterFactors.length) throw new EstimationError('clustered standard errors need a cluster variable');
  const warnings: string[] = [];
  const nFull = input.depvar.values.length;
  const allCols: NamedColumn[] = [input.depvar, ...input.regressors, ...endogIn, ...instIn];

  // Sample (the OLS core's rules: `if`, missing values, weights, iterative singletons) and FEs
  const selection = selectSample({
    nrows: nFull, columns: allCols, weights: input.weights, fixedEffects: input.fixedEffects, clusters: clusterFactors,
    sample: input.sample, dropSingletons: input.dropSingletons ?? true,
  });
  const rows = selection.rows;
  const n = rows.length;
  if (n === 0) throw new EstimationError('no observations: every row has a missing value or is excluded');
  const fes: SampleFactor[] = input.fixedEffects.map((f) => compactCodes(f.name, f.codes, rows));
  const clusters: SampleFactor[] = clusterFactors.map((f) => compactCodes(f.name, f.codes, rows));
  for (const c of clusters) if (c.nlevels < 2) throw new EstimationError(`cluster variable ${c.name} has a single level in the estimation sample`);
  const w = input.weights ? Float64Array.from(rows, (r) => input.weights![r]) : undefined;
  const sw = w ? w.map(Math.sqrt) : undefined;
  const take = (c: Float64Array): Float64Array => Float64Array.from(rows, (r) => c[r]);
  const yRaw = take(input.depvar.values);
  if (!(centeredSS(yRaw, w) > 0)) throw new EstimationError(`the dependent variable ${input.depvar.name} is constant in the estimation sample`);
  const exogNamed = input.regressors.map((c) => ({ name: c.name, raw: take(c.values) }));
  if (!fes.length && input.constant) exogNamed.push({ name: '_cons', raw: new Float64Array(n).fill(1) });
  const endogRaw = endogIn.map((c) => take(c.values));
  const instRaw = instIn.map((c) => take(c.values));
  // absorb the FEs (weighted), then scale rows by sqrt(w) so that everything below is unweighted
  const toPartial = [yRaw, ...exogNamed.filter((c) => c.name !== '_cons').map((c) => c.raw), ...endogRaw, ...instRaw];
  const dm = !fes.length
    ? { columns: toPartial.map((c) => Float64Array.from(c)), iterations: 0, converged: true, warnings: [] as string[] }
    : new FixedEffects(fes, w ?? null).demeanMany(toPartial, { tolerance: input.tolerance, maxIterations: input.maxIterations }, [
    input.depvar.name, ...exogNamed.filter((c) => c.name !== '_cons').map((c) => c.name), ...endogIn.map((c) => c.name), ...instIn.map((c) => c.name),
  ]);
  warnings.push(...dm.warnings);
  const scaled = dm.columns.map((c) => { if (sw) for (let i = 0; i < n; i++) c[i] *= sw[i]; return c; });
  let at = 0;
  const y = scaled[at++];
  const exogAll = exogNamed.map((c) => (c.name === '_cons' ? (sw ? Float64Array.from(sw) : c.raw) : scaled[at++]));
  const X = endogRaw.map(() => scaled[at++]);
  const instAll = instRaw.map(() => scaled[at++]);

  // Collinearity: exogenous regressors among themselves and with the FEs, then the endogenous
  // regressors (an error: they cannot be dropped silently), then the instruments.
  const omitted: { term: string; reason: string }[] = [];
  const ref = (raw: Float64Array, name: string): number => (name === '_cons' ? n : centeredSS(raw, w));
  const exogKeep = independent(exogAll, exogNamed.map((c) => ref(c.raw, c.name)));
  const exog = exogAll.filter((_, j) => exogKeep[j]);
  const exogNames = exogNamed.filter((_, j) => exogKeep[j]).map((c) => c.name);
  exogNamed.forEach((c, j) => { if (!exogKeep[j]) omitted.push({ term: c.name, reason: 'collinear' }); });
  const endKeep = independent([...exog, ...X], [...exog.map(sumSq), ...endogRaw.map((r) => centeredSS(r, w))]).slice(exog.length);
  endKeep.forEach((ok, k) => {
    if (!ok) throw new EstimationError(`endogenous variable ${endogIn[k].name} is collinear with the fixed effects or the exogenous regressors`);
  });
  const instKeep = independent([...exog, ...instAll], [...exog.map(sumSq), ...instRaw.map((r) => centeredSS(r, w))]).slice(exog.length);
  const Z = instAll.filter((_, j) => instKeep[j]);
  const instNames = instIn.filter((_, j) => instKeep[j]).map((c) => c.name);
  instIn.forEach((c, j) => {
    if (!instKeep[j]) { omitted.push({ term: c.name, reason: 'collinear instrument' }); warnings.push(`instrument ${c.name} is collinear with the fixed effects or the exogenous regressors and was dropped`); }
  });
  const K = X.length, L = Z.length;
  if (L < K)
    throw new EstimationError(`the model is not identified: ${L} usable excluded instrument(s) for ${K} endogenous variable(s)`);
  const endogNames = endogIn.map((c) => c.name);

  // Degrees of freedom: FE parameters less redundant levels (K for iid / robust); clustered errors
  // leave out FEs nested in a cluster variable (a nested FE still counts one), as the OLS core does.
  const nested = vtype === 'cluster' ? fes.map((f) => clusters.some((c) => isNestedIn(f, c))) : fes.map(() => false);
  const feFull = fullyRedundant(fes); // a FE with a finer FE nested in it adds no parameter
  const feKall = fes.length ? fes.reduce((s2, f) => s2 + f.nlevels, 0) - redundantLevels(fes, feFull) : 0;
  const feK = fes.some((_, q) => nested[q] && !feFull[q]) ? clusterFeParameters(fes, nested, feFull) : feKall;

  // First stage
  const req = vcovRequest(vtype, clusters);
  const level = (input.level ?? 95) / 100;
  const Wfs = [...Z, ...exog];
  const WWi = invSPD(crossCols(Wfs));
  if (!WWi) throw new EstimationError('the instruments and exogenous regressors are collinear');
  const dfKfs = Wfs.length + feK;
  requireRows(n, Wfs.length + feKall);
  const dfResidFs = n - dfKfs;
  const fsNames = [...instNames, ...exogNames];
  const exogInv = exog.length ? invSPD(crossCols(exog)) : null;
  const firstStages: FirstStage[] = [];
  const Xhat: Float64Array[] = [];
  const V: Float64Array[] = [];
  const PI: Mat = [];
  X.forEach((x, k) => {
    const pi = matvec(WWi, crossColVec(Wfs, x));
    const fit = new Float64Array(n);
    Wfs.forEach((c, j) => { for (let i = 0; i < n; i++) fit[i] += pi[j] * c[i]; });
    const v = x.map((xi, i) => xi - fit[i]);
    Xhat.push(fit);
    V.push(v);
    PI.push(pi.slice(0, L));
    const sv = ivVcov(req, WWi, Wfs, v, dfKfs);
    const coefficients = fsNames.map((nm, j) => coefRow(nm, pi[j], Math.sqrt(sv.V[j][j]), sv.dfT, level));
    const ssr = sumSq(v);
    let ssr0 = sumSq(x);
    if (exogInv) {
      const g = matvec(exogInv, crossColVec(exog, x));
      ssr0 = ssr0 - g.reduce((s, gj, j) => s + gj * crossColVec([exog[j]], x)[0], 0);
    }
    const f = ((ssr0 - ssr) / L) / (ssr / dfResidFs);
    const idx = Array.from({ length: L }, (_, j) => j);
    const waldQ = quadInv(sub(sv.V, idx, idx), pi.slice(0, L));
    const waldF = waldQ === null ? NaN : waldQ / L;
    firstStages.push({
      endog: endogNames[k], coefficients, f, f_p: fUpperP(f, L, dfResidFs), f_df: [L, dfResidFs],
      wald_f: waldF, wald_p: fUpperP(waldF, L, dfResidFs), r2_partial: 1 - ssr / ssr0,
    });
  });

  // Second stage
  const R = [...Xhat, ...exog];
  const Rorig = [...X, ...exog];
  const RRi = invSPD(crossCols(R));
  if (!RRi)
    throw new EstimationError('the first-stage fitted values are collinear with the exogenous regressors: the instruments do not identify the model');
  const b = matvec(RRi, crossColVec(R, y));
  const e = Float64Array.from(y);
  Rorig.forEach((c, j) => { for (let i = 0; i < n; i++) e[i] -= b[j] * c[i]; });
  const dfK = R.length + feK;
  const kAll = R.length + feKall;
  requireRows(n, kAll);
  const sv = ivVcov(req, RRi, R, e, dfK);
  const names = [...endogNames, ...exogNames];
  const coefficients = names.map((nm, j) => coefRow(nm, b[j], Math.sqrt(sv.V[j][j]), sv.dfT, level));

  // Fit statistics
  const ssr = sumSq(e);
  const tss = centeredSS(yRaw, w);
  const hasFE = fes.length > 0;
  const ssrFeOnly = sumSq(y);
  const r2 = 1 - ssr / tss;
  const interceptDf = hasFE || exogNames.includes('_cons') ? 1 : 0;
  const adjR2 = 1 - ((1 - r2) * (n - interceptDf)) / (n - kAll);
  const r2Within = hasFE ? 1 - ssr / ssrFeOnly : null;
  const adjWithin = hasFE ? 1 - ((ssr / ssrFeOnly) * (n - feKall)) / (n - feKall - R.length) : null;
  const slopeIdx = names.map((_, j) => j).filter((j) => names[j] !== '_cons');
  const waldAll = slopeIdx.length ? quadInv(sub(sv.V, slopeIdx, slopeIdx), slopeIdx.map((j) => b[j])) : null;
  const fModel = waldAll === null ? null : waldAll / slopeIdx.length;

  // Identification diagnostics on X and Z with W partialled out
  const Xp = residualize(X, exog);
  const Zp = residualize(Z, exog);
  const diagType = vtype;
  const lm = kpRankTest({ X: Xp, Z: Zp, type: diagType, clusters }, 'lm');
  const wald = kpRankTest({ X: Xp, Z: Zp, type: diagType, clusters }, 'wald');
  const cc2 = canonicalCorrelations2(Xp, Zp);
  const cdEig = cc2 ? cc2[K - 1] / (1 - cc2[K - 1]) : NaN;
  // ivreg2/ivreghdfe: N - iv1_ct - sdofminus is the first-stage residual df (sdofminus = absorbed
  // FE dof, nested ones excluded when clustered), so both F's use dfResidFs.
  const craggDonaldF = (cdEig * dfResidFs) / L;
  let kpWaldF = NaN;
  if (vtype === 'iid') kpWaldF = craggDonaldF;
  else if (wald) {
    if (vtype === 'cluster') {
      const G = Math.min(...clusters.map((c) => c.nlevels));
      kpWaldF = (((wald.stat / (n - 1)) * dfResidFs * (G - 1)) / G) / L;
    } else kpWaldF = ((wald.stat / n) * dfResidFs) / L;
  }
  const fx = fixestKpr(V, Zp, PI, vtype, clusters, dfResidFs);
  const fxCol = fixestKpr(V, Zp, PI, vtype, clusters, dfResidFs, false);
  const sy: StockYogo | null = stockYogo(K, L);
  if (!lm || !wald) warnings.push('the Kleibergen-Paap statistics could not be computed (singular covariance of the first stage)');
  if (Number.isFinite(kpWaldF) && (kpWaldF < 10 || (sy && kpWaldF < sy.size10)))
    warnings.push(
      `weak instruments: the Kleibergen-Paap rk Wald F is ${kpWaldF.toFixed(2)}` +
        (sy ? `, below the Stock-Yogo 10% maximal size critical value ${sy.size10}` : ', below 10'),
    );
  else if (!Number.isFinite(kpWaldF)) warnings.push('weak instruments: the instruments are (nearly) uncorrelated with the endogenous variables');

  const residuals = sw ? e.map((v, i) => v / sw[i]) : e;
  return {
    depvar: input.depvar.name,
    nobs: n,
    df_resid: n - dfK,
    df_t: sv.dfT,
    df_k: dfK,
    r2,
    adj_r2: adjR2,
    r2_within: r2Within,
    adj_r2_within: adjWithin,
    rmse: Math.sqrt(ssr / n),
    sigma: Math.sqrt(ssr / (n - kAll)),
    ssr,
    tss,
    f: fModel,
    f_df: [slopeIdx.length, n - dfK],
    f_p: fModel === null ? null : fUpperP(fModel, slopeIdx.length, n - dfK),
    vcovType: vtype,
    clusters: clusters.map((c) => c.name),
    n_clusters: sv.nClusters,
    fixed_effects: fes.map((f, i) => ({ name: f.name, levels: f.nlevels, nested: nested[i] })),
    singletons_removed: selection.singletonsRemoved,
    missing_removed: selection.missingRemoved,
    coefficients,
    omitted,
    vcov: sv.V,
    iterations: dm.iterations,
    converged: dm.converged,
    warnings,
    sampleRows: Int32Array.from(rows),
    residuals,
    ...(input.level !== undefined ? { level: input.level } : {}),
    // IV-specific
    first_stage: firstStages,
    kp_rk_lm: lm ? { stat: lm.stat, df: lm.df, p: chi2UpperP(lm.stat, lm.df) } : { stat: NaN, df: L - K + 1, p: NaN },
    kp_rk_wald: wald ? { stat: wald.stat, df: wald.df, p: chi2UpperP(wald.stat, wald.df) } : null,
    // kp_rk_wald_f follows ivreg2/ivreghdfe (ranktest's rk Wald turned into an F), as Stata users
    // read it; fixest's kpr sits beside it. cragg_donald_f carries the reference files' value
    // (fixest's cd, which NOTES equates with ivreg2's cdf); ivreg2's first-stage-df version beside.
    // See docs/conventions.md.
    kp_rk_wald_f: kpWaldF,
    kp_rk_wald_f_fixest: fx ? fx.stat : null,
    cragg_donald_f: cc2 ? ((n - K - L - 1) / L) * cdEig : craggDonaldF,
    cragg_donald_f_ivreg2: craggDonaldF,
    stock_yogo: sy,
    endogenous: endogNames,
    instruments: instNames,
    fixest: {
      kpr: fx ? { stat: fx.stat, p: chi2UpperP(fx.stat, fx.df), df: fx.df } : null,
      // the same with ranktest's column of V (what fixest's code means to compute)
      kpr_column: fxCol ? { stat: fxCol.stat, p: chi2UpperP(fxCol.stat, fxCol.df), df: fxCol.df } : null,
      cd: cc2 ? ((n - K - L - 1) / L) * cdEig : NaN,
    },
  };
}
