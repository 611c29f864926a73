// Borusyak, Jaravel and Spiess (2024) imputation estimator, with the numbers of R's didimputation:
//  1. the untreated rows (never treated, and treated units before adoption) fit Y = FE + e;
//  2. every treated row gets tau_it = Y_it - Yhat_it(0) from those FE coefficients;
//  3. a target averages tau_it with weights w (1/N over all treated rows for the static tau, 1/N_k over
//     the rows at horizon k for tau_k).
// Standard errors by their Theorem 3: tau_hat = sum_i v_i Y_i with v = w on treated rows and
// v = -Z0 (Z0'Z0)^- Z1'w on untreated rows; residuals are the first-stage residuals on untreated rows
// and tau_it - taubar_gt on treated rows, taubar averaging tau within cohort x period cells with
// weights v^2 (didimputation's choice); SE = sqrt(sum over clusters (sum_i v_i eps_i)^2), no
// small-sample factor. The pre-trend test is a separate regression of Y on lead dummies on the
// untreated rows (fixest conventions, clustered), as didimputation and Stata's did_imputation run it.
import { estimate } from '../estimate';
import { normalTwoSidedP } from '../dist';
import { waldF } from '../stats';
import { EstimationError, type EstimationCore, type Factor } from '../types';
import { compactCodes, redundantLevels } from '../factors';
import { neverTreated, relativePeriod } from './cohorts';
import { feApply, feComponents, feCounts, feLayout, feSolve, feTranspose } from './fenormal';

/** didimputation reports estimate -/+ 1.96 se (normal, the literal 1.96) for every row. */
export const BJS_Z = 1.96;

export interface ImputationInput {
  depvar: { name: string; values: Float64Array };
  time: Float64Array;
  adopt: Float64Array;
  fixedEffects: Factor[]; // the first stage's FEs (unit and time by default)
  cluster: Factor;
  sample?: Uint8Array; // rows allowed by `if`
  /** post-treatment horizons lo..hi (lo >= 0); null: the static effect only */
  horizons: { lo: number; hi: number } | null;
  /** number of leads for the pre-trend regression (0: none) */
  pretrends: number;
}

export interface ImputedEffect {
  term: string; // `tau` or `tau0`, `tau1`, ...
  k: number | null; // horizon, null for the static effect
  estimate: number;
  se: number;
  n: number; // treated rows averaged
}

export interface ImputationResult {
  nobs: number;
  n_treated: number;
  n_untreated: number;
  n_clusters: number;
  static: ImputedEffect;
  horizons: ImputedEffect[]; // empty without horizons()
  empty_horizons: number[]; // requested horizons no treated row reaches
  /** the lead regression on untreated rows; coefficients renamed pre1..preK (pre1 = one period before adoption) */
  pretrend_fit: EstimationCore | null;
  pretrend_test: { f: number; df: number; df2: number; p: number } | null;
  /** the untreated rows' FE fit: residual sum of squares, R2 and parameters (FE levels less redundant ones) */
  first_stage: { nobs: number; ssr: number; r2: number; adj_r2: number; rmse: number; k: number; levels: number[] };
  warnings: string[];
}

/** Rows usable at all: allowed, with a value of y, time, every FE and the cluster. */
function usableRows(inp: ImputationInput): Int32Array {
  const n = inp.depvar.values.length;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (inp.sample && !inp.sample[i]) continue;
    if (Number.isNaN(inp.depvar.values[i]) || Number.isNaN(inp.time[i])) continue;
    if (inp.fixedEffects.some((f) => f.codes[i] < 0) || inp.cluster.codes[i] < 0) continue;
    out.push(i);
  }
  return Int32Array.from(out);
}

function isTreatedRow(time: number, adopt: number): boolean {
  return !neverTreated(adopt) && time >= adopt;
}

/** The variance of one target: its v weights and the cohort x period recentring (see the header). */
function targetSe(
  w1: Float64Array, // weights on rows1
  rows0: Int32Array,
  rows1: Int32Array,
  L: ReturnType<typeof feLayout>,
  diag0: Float64Array,
  resid0: Float64Array,
  tau1: Float64Array,
  cell1: Int32Array, // cohort x period cell of each treated row
  nCells: number,
  cl: Int32Array,
  G: number,
): number {
  const g = feSolve(L, rows0, feTranspose(L, w1, rows1), diag0);
  const zg = feApply(L, g, rows0);
  const num = new Float64Array(nCells);
  const den = new Float64Array(nCells);
  for (let j = 0; j < rows1.length; j++) {
    const v2 = w1[j] * w1[j];
    num[cell1[j]] += v2 * tau1[j];
    den[cell1[j]] += v2;
  }
  const sums = new Float64Array(G);
  for (let j = 0; j < rows0.length; j++) sums[cl[rows0[j]]] += -zg[j] * resid0[j];
  for (let j = 0; j < rows1.length; j++) {
    if (w1[j] === 0) continue;
    const c = cell1[j];
    sums[cl[rows1[j]]] += w1[j] * (tau1[j] - num[c] / den[c]);
  }
  let s = 0;
  for (let q = 0; q < G; q++) s += sums[q] * sums[q];
  return Math.sqrt(s);
}

export function runImputation(inp: ImputationInput): ImputationResult {
  const warnings: string[] = [];
  if (inp.horizons) {
    const { lo, hi } = inp.horizons;
    if (!Number.isInteger(lo) || !Number.isInteger(hi)) throw new EstimationError('horizons() takes two integers');
    if (lo < 0) throw new EstimationError(`horizons(${lo} ${hi}): horizons count periods since adoption (0 or more); leads go in pretrends()`);
    if (lo > hi) throw new EstimationError(`horizons(${lo} ${hi}) is empty (low > high)`);
  }
  if (!Number.isInteger(inp.pretrends) || inp.pretrends < 0) throw new EstimationError(`pretrends() takes a number of leads, 0 or more (got ${inp.pretrends})`);
  if (inp.fixedEffects.length === 0) throw new EstimationError('the imputation needs at least one fixed effect');

  const usable = usableRows(inp);
  const { time, adopt } = inp;
  const y = inp.depvar.values;
  const r0: number[] = [];
  const r1: number[] = [];
  for (const i of usable) (isTreatedRow(time[i], adopt[i]) ? r1 : r0).push(i);
  if (!r1.length) throw new EstimationError('no treated observations: no row has TIME >= ADOPTVAR (0 or missing ADOPTVAR means never treated)');
  if (!r0.length) throw new EstimationError('no untreated observations to fit the fixed effects on');
  const rows0 = Int32Array.from(r0);
  const L = feLayout(inp.fixedEffects.map((f) => f.codes));
  const diag0 = feCounts(L, rows0);

  // treated rows whose FE levels the untreated rows do not identify cannot be imputed (didimputation
  // drops them, as Stata's did_imputation does with autosample)
  const comp = feComponents(L, rows0);
  const imputable = r1.filter((i) => {
    let c = -1;
    for (let q = 0; q < L.codes.length; q++) {
      const a = L.offsets[q] + L.codes[q][i];
      if (diag0[a] === 0) return false;
      if (c < 0) c = comp[a];
      else if (comp[a] !== c) return false;
    }
    return true;
  });
  if (imputable.length < r1.length) {
    warnings.push(`${r1.length - imputable.length} treated observations cannot be imputed (their unit or period has no untreated observation) and are left out`);
  }
  if (!imputable.length) throw new EstimationError('no treated observation can be imputed: no untreated observation shares their fixed effects');
  const rows1 = Int32Array.from(imputable);

  // first stage and imputed effects
  const y0 = Float64Array.from(rows0, (i) => y[i]);
  const gamma = feSolve(L, rows0, feTranspose(L, y0, rows0), diag0);
  const fit0 = feApply(L, gamma, rows0);
  const resid0 = y0.map((v, j) => v - fit0[j]);
  const fit1 = feApply(L, gamma, rows1);
  const tau1 = Float64Array.from(rows1, (i, j) => y[i] - fit1[j]);
  const first_stage = firstStageStats(inp, rows0, y0, resid0);

  // cohort x period cells of the treated rows and the cluster codes
  const cellIds = new Map<string, number>();
  const cell1 = Int32Array.from(rows1, (i) => {
    const key = `${adopt[i]}|${time[i]}`;
    let c = cellIds.get(key);
    if (c === undefined) { c = cellIds.size; cellIds.set(key, c); }
    return c;
  });
  const clMap = new Map<number, number>();
  const cl = new Int32Array(y.length);
  for (const rows of [rows0, rows1]) for (const i of rows) {
    let c = clMap.get(inp.cluster.codes[i]);
    if (c === undefined) { c = clMap.size; clMap.set(inp.cluster.codes[i], c); }
    cl[i] = c;
  }
  const G = clMap.size;

  const target = (term: string, k: number | null, sel: (i: number) => boolean): ImputedEffect | null => {
    const w1 = new Float64Array(rows1.length);
    let cnt = 0;
    for (let j = 0; j < rows1.length; j++) if (sel(rows1[j])) { w1[j] = 1; cnt++; }
    if (!cnt) return null;
    let est = 0;
    for (let j = 0; j < rows1.length; j++) {
      w1[j] /= cnt;
      est += w1[j] * tau1[j];
    }
    const se = targetSe(w1, rows0, rows1, L, diag0, resid0, tau1, cell1, cellIds.size, cl, G);
    return { term, k, estimate: est, se, n: cnt };
  };

  const stat = target('tau', null, () => true)!;
  const horizons: ImputedEffect[] = [];
  const empty: number[] = [];
  if (inp.horizons) {
    for (let k = inp.horizons.lo; k <= inp.horizons.hi; k++) {
      const e = target(`tau${k}`, k, (i) => relativePeriod(time[i], adopt[i]) === k);
      if (e) horizons.push(e);
      else empty.push(k);
    }
    if (!horizons.length) throw new EstimationError(`no treated observation at horizons ${inp.horizons.lo} to ${inp.horizons.hi}`);
    if (empty.length) warnings.push(`no treated observation at horizon${empty.length > 1 ? 's' : ''} ${empty.join(', ')}`);
  }

  const pre = inp.pretrends > 0 ? pretrendRegression(inp, usable, rows0) : null;
  if (pre) warnings.push(...pre.warnings);
  return {
    nobs: rows0.length + rows1.length,
    n_treated: rows1.length,
    n_untreated: rows0.length,
    n_clusters: G,
    static: stat,
    horizons,
    empty_horizons: empty,
    pretrend_fit: pre?.fit ?? null,
    pretrend_test: pre?.test ?? null,
    first_stage,
    warnings,
  };
}

function firstStageStats(inp: ImputationInput, rows0: Int32Array, y0: Float64Array, resid0: Float64Array): ImputationResult['first_stage'] {
  const n = rows0.length;
  let mean = 0;
  for (let j = 0; j < n; j++) mean += y0[j];
  mean /= n;
  let ssr = 0;
  let tss = 0;
  for (let j = 0; j < n; j++) {
    ssr += resid0[j] * resid0[j];
    tss += (y0[j] - mean) ** 2;
  }
  const factors = inp.fixedEffects.map((f) => compactCodes(f.name, f.codes, rows0));
  const levels = factors.map((f) => f.nlevels);
  const k = levels.reduce((s, v) => s + v, 0) - redundantLevels(factors);
  const r2 = tss > 0 ? 1 - ssr / tss : NaN;
  return { nobs: n, ssr, r2, adj_r2: n > k ? 1 - (1 - r2) * ((n - 1) / (n - k)) : NaN, rmse: Math.sqrt(ssr / n), k, levels };
}

/** The name of lead j (j periods before adoption). */
export function preTerm(j: number): string {
  return `pre${j}`;
}

/**
 * Y on dummies for event times -K..-1 with the first stage's FEs on the untreated rows, clustered,
 * with fixest's conventions (no singleton removal). The omitted category is every untreated row not
 * among the leads: never-treated rows and rows more than K periods before adoption. The dummies go in
 * as fixest's i() orders them (-K first), so when they span every lead the collinear one dropped is -1.
 */
function pretrendRegression(inp: ImputationInput, usable: Int32Array, rows0: Int32Array) {
  const K = inp.pretrends;
  const n = inp.depvar.values.length;
  const present = new Set<number>();
  for (const i of rows0) {
    const k = relativePeriod(inp.time[i], inp.adopt[i]);
    if (!Number.isNaN(k)) present.add(k);
  }
  const missing: number[] = [];
  for (let j = 1; j <= K; j++) if (!present.has(-j)) missing.push(-j);
  if (missing.length) {
    throw new EstimationError(`pretrends(${K}): no untreated observation at event time ${missing.join(', ')} (the data reach ${Math.max(0, ...[...present].map((k) => -k))} leads)`);
  }
  const sample = new Uint8Array(n);
  for (const i of rows0) sample[i] = 1;
  const cols = [];
  for (let j = K; j >= 1; j--) {
    const v = new Float64Array(n);
    for (const i of usable) if (relativePeriod(inp.time[i], inp.adopt[i]) === -j) v[i] = 1;
    cols.push({ name: preTerm(j), values: v });
  }
  const fit = estimate({
    depvar: inp.depvar,
    regressors: cols,
    fixedEffects: inp.fixedEffects,
    constant: false,
    vcov: { type: 'cluster', clusters: [inp.cluster] },
    sample,
    dropSingletons: false,
  });
  // report pre1..preK in that order
  const order = (t: string): number => Number(t.slice(3));
  const perm = fit.coefficients.map((c, i) => ({ c, i })).sort((a, b) => order(a.c.term) - order(b.c.term));
  const coefficients = perm.map(({ c }) => c);
  const vcov = perm.map(({ i }) => perm.map(({ i: j }) => fit.vcov[i][j]));
  const warnings = fit.omitted.map((o) => `${o.term} was dropped as collinear (the leads span every pre-treatment period, so they are relative to it)`);
  const k = coefficients.length;
  const V = Float64Array.from(vcov.flat());
  const F = waldF(coefficients.map((c) => c.estimate), V, k, coefficients.map((_, i) => i), fit.df_t);
  const test = F ? { f: F.f, df: F.df[0], df2: F.df[1], p: F.p } : null;
  return { fit: { ...fit, coefficients, vcov }, test, warnings };
}

/** Coefficient rows as didimputation's table gives them: interval estimate -/+ 1.96 se; p from the normal. */
export function effectRow(e: ImputedEffect): { term: string; estimate: number; se: number; t: number; p: number; ci_low: number; ci_high: number } {
  const t = e.se > 0 ? e.estimate / e.se : NaN;
  return { term: e.term, estimate: e.estimate, se: e.se, t, p: e.se > 0 ? normalTwoSidedP(t) : NaN, ci_low: e.estimate - BJS_Z * e.se, ci_high: e.estimate + BJS_Z * e.se };
}
