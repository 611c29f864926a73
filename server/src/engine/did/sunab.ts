// Sun and Abraham (2021) interaction-weighted event study, as fixest's `sunab()` computes it:
// one dummy per (cohort, relative period) cell of the treated cohorts except the reference period,
// in one regression with the model's fixed effects (never-treated units are the control); each
// relative period's coefficient is the average of its cells weighted by their (weighted) number of
// observations in the estimation sample, the shares taken as fixed, so its variance is w'Vw. The
// overall ATT (fixest's `agg = "ATT"`) averages every post-treatment cell the same way.
import { estimate } from '../estimate';
import { coefRows } from '../stats';
import { fUpperP, tQuantile, tTwoSidedP } from '../dist';
import { quadInv } from '../linalg';
import { eventTermName, type EventTimeRow, type PretrendTest } from '../study/eventstudy';
import { EstimationError, type EstimationCore, type RegressionInput } from '../types';
import { neverTreated, relativePeriod } from './cohorts';
import type { CoefRow } from '../../results/types';

export interface SunAbInput {
  base: RegressionInput; // depvar, controls, FEs, vcov, weights, sample
  time: Float64Array;
  adopt: Float64Array;
  ref: number; // reference relative period (fixest's ref.p, default -1)
  window?: { lo: number; hi: number }; // relative periods kept (default: all)
}

export interface CohortCell {
  cohort: number;
  k: number;
  term: string;
  estimate: number;
  se: number;
  weight: number; // (weighted) observations of the cell in the estimation sample
}

/** The aggregate ATT: a coefficient row without its term. */
export type AggregateEffect = Omit<CoefRow, 'term'>;

export type SunAbCore = EstimationCore & {
  event_time: EventTimeRow[];
  pretrend_test: PretrendTest | null;
  att: AggregateEffect;
  cohort_cells: CohortCell[];
};

interface CellColumn {
  cohort: number;
  k: number;
  term: string;
  values: Float64Array;
}

function cellTerm(cohort: number, k: number): string {
  return `${eventTermName(k)}_c${cohort}`;
}

/**
 * The cell dummies, ordered as fixest orders `sunab()` terms (by period, then cohort) so that a
 * collinear cell is dropped where fixest drops it. As fixest's sunab() sorts cohorts: one whose rows
 * are all before adoption (it adopts after the sample ends) joins the never-treated controls; one
 * whose rows are all at or after adoption (always treated) leaves the estimation (its rows get NaN).
 */
function buildCells(inp: SunAbInput): { cells: CellColumn[]; alwaysTreated: number[] } {
  const { time, adopt, ref, window: win } = inp;
  const sample = inp.base.sample;
  const n = time.length;
  const span = new Map<number, { lo: number; hi: number }>();
  for (let i = 0; i < n; i++) {
    if (sample && !sample[i]) continue;
    const k = relativePeriod(time[i], adopt[i]);
    if (Number.isNaN(k)) continue;
    const s = span.get(adopt[i]);
    if (s) { s.lo = Math.min(s.lo, k); s.hi = Math.max(s.hi, k); }
    else span.set(adopt[i], { lo: k, hi: k });
  }
  const always = new Set([...span].filter(([, s]) => s.lo >= 0).map(([g]) => g));
  const treatedCohort = (g: number): boolean => { const s = span.get(g); return !!s && s.hi >= 0 && s.lo < 0; };
  const cells = new Map<string, CellColumn>();
  for (let i = 0; i < n; i++) {
    if (sample && !sample[i]) continue;
    const k = relativePeriod(time[i], adopt[i]);
    if (Number.isNaN(k) || !treatedCohort(adopt[i]) || k === ref) continue;
    if (win && (k < win.lo || k > win.hi)) continue;
    const term = cellTerm(adopt[i], k);
    let c = cells.get(term);
    if (!c) {
      c = { cohort: adopt[i], k, term, values: new Float64Array(n) };
      cells.set(term, c);
    }
    c.values[i] = 1;
  }
  const list = [...cells.values()].sort((a, b) => a.k - b.k || a.cohort - b.cohort);
  // rows that cannot be placed leave the regression: a treated unit's row without a time, and always-treated units
  for (let i = 0; i < n; i++) {
    const a = adopt[i];
    if (neverTreated(a)) continue;
    if (always.has(a) || (Number.isNaN(time[i]) && span.has(a) && span.get(a)!.hi >= 0)) for (const c of list) c.values[i] = NaN;
  }
  return { cells: list, alwaysTreated: [...always].sort((a, b) => a - b) };
}

/** w'Vw over the given coefficient positions. */
function quad(V: number[][], idx: number[], w: number[]): number {
  let s = 0;
  for (let a = 0; a < idx.length; a++) for (let b = 0; b < idx.length; b++) s += w[a] * V[idx[a]][idx[b]] * w[b];
  return s;
}

export function runSunAb(inp: SunAbInput, fit: (r: RegressionInput) => EstimationCore = estimate): SunAbCore {
  if (!Number.isInteger(inp.ref)) throw new EstimationError(`sunab: ref must be an integer (got ${inp.ref})`);
  if (inp.window && inp.window.lo > inp.window.hi) throw new EstimationError(`sunab: window(${inp.window.lo} ${inp.window.hi}) is empty (low > high)`);
  const { cells, alwaysTreated } = buildCells(inp);
  if (!cells.some((c) => c.k >= 0)) throw new EstimationError('sunab: no cohort is observed both before and after its adoption in the sample');
  const controls = inp.base.regressors;
  const core = fit({ ...inp.base, regressors: [...controls, ...cells.map((c) => ({ name: c.term, values: c.values }))] });

  // cell weights: observations (times analytic weights) of each cell in the estimation sample
  const rows = core.sampleRows;
  const wts = inp.base.weights;
  const pos = new Map(core.coefficients.map((c, i) => [c.term, i]));
  const kept: (CellColumn & { idx: number; weight: number })[] = [];
  for (const c of cells) {
    const idx = pos.get(c.term);
    if (idx === undefined) continue;
    let w = 0;
    for (let j = 0; j < rows.length; j++) if (c.values[rows[j]] === 1) w += wts ? wts[rows[j]] : 1;
    kept.push({ ...c, idx, weight: w });
  }

  // the linear map from all coefficients to [controls (and _cons) as they are, one row per period]
  const cellTerms = new Set(cells.map((c) => c.term));
  const others = core.coefficients.map((c, i) => ({ c, i })).filter(({ c }) => !cellTerms.has(c.term));
  const periods = [...new Set(kept.map((c) => c.k))].sort((a, b) => a - b);
  const A: { idx: number[]; w: number[] }[] = others.map(({ i }) => ({ idx: [i], w: [1] }));
  for (const k of periods) {
    const ks = kept.filter((c) => c.k === k);
    const tot = ks.reduce((s, c) => s + c.weight, 0);
    A.push({ idx: ks.map((c) => c.idx), w: ks.map((c) => c.weight / tot) });
  }
  const beta = core.coefficients.map((c) => c.estimate);
  const V = core.vcov;
  const m = A.length;
  const b = A.map((r) => r.idx.reduce((s, j, a) => s + r.w[a] * beta[j], 0));
  const Vagg = new Float64Array(m * m);
  for (let r = 0; r < m; r++)
    for (let s = 0; s < m; s++) {
      let v = 0;
      for (let a = 0; a < A[r].idx.length; a++) for (let c = 0; c < A[s].idx.length; c++) v += A[r].w[a] * V[A[r].idx[a]][A[s].idx[c]] * A[s].w[c];
      Vagg[r * m + s] = v;
    }
  const terms = [...others.map(({ c }) => c.term), ...periods.map((k) => eventTermName(k))];
  const coefficients = coefRows(terms, b, Vagg, core.df_t);
  const vcov: number[][] = [];
  for (let r = 0; r < m; r++) vcov.push(Array.from(Vagg.subarray(r * m, (r + 1) * m)));

  const event_time: EventTimeRow[] = [{ k: inp.ref, estimate: 0, se: 0, ci_low: 0, ci_high: 0 }];
  for (let j = 0; j < periods.length; j++) {
    const c = coefficients[others.length + j];
    event_time.push({ k: periods[j], estimate: c.estimate, se: c.se, ci_low: c.ci_low, ci_high: c.ci_high, term: c.term });
  }
  event_time.sort((x, y) => x.k - y.k);

  // overall ATT: every post-treatment cell, weighted by its observations
  const post = kept.filter((c) => c.k >= 0);
  const totPost = post.reduce((s, c) => s + c.weight, 0);
  const wPost = post.map((c) => c.weight / totPost);
  const idxPost = post.map((c) => c.idx);
  const attEst = idxPost.reduce((s, j, a) => s + wPost[a] * beta[j], 0);
  const attSe = Math.sqrt(Math.max(0, quad(V, idxPost, wPost)));
  const tAtt = attEst / attSe;
  const q = tQuantile(0.975, core.df_t);
  const att: AggregateEffect = { estimate: attEst, se: attSe, t: tAtt, p: tTwoSidedP(tAtt, core.df_t), ci_low: attEst - q * attSe, ci_high: attEst + q * attSe };

  // joint test that the aggregated leads are zero, on their own covariance
  const warnings: string[] = [];
  const leadRows = periods.map((k, j) => ({ k, j: others.length + j })).filter((r) => r.k < 0);
  let pretrend_test: PretrendTest | null = null;
  if (leadRows.length) {
    const idx = leadRows.map((r) => r.j);
    const qf = quadInv(idx.map((r) => idx.map((s) => Vagg[r * m + s])), idx.map((r) => b[r]));
    if (qf !== null) {
      const stat = qf / idx.length;
      pretrend_test = { stat, df1: idx.length, df2: core.df_t, p: fUpperP(stat, idx.length, core.df_t), leads: leadRows.map((r) => r.k) };
    } else warnings.push('pre-trend test not computed: the covariance of the lead coefficients is singular');
  }
  if (alwaysTreated.length) warnings.push(`always-treated cohort${alwaysTreated.length > 1 ? 's' : ''} ${alwaysTreated.join(', ')} (no row before adoption) left out of the estimation, as fixest's sunab() does`);
  const dropped = cells.filter((c) => !pos.has(c.term)).map((c) => c.term);
  if (dropped.length) warnings.push(`cohort x period cells dropped as collinear: ${dropped.join(', ')}`);

  const cohort_cells: CohortCell[] = kept.map((c) => ({
    cohort: c.cohort, k: c.k, term: c.term, estimate: beta[c.idx], se: core.coefficients[c.idx].se, weight: c.weight,
  }));
  return {
    ...core,
    coefficients,
    vcov,
    omitted: core.omitted.filter((o) => !cellTerms.has(o.term)),
    warnings: [...core.warnings, ...warnings],
    event_time,
    pretrend_test,
    att,
    cohort_cells,
  };
}
