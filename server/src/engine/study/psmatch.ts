// Propensity-score matching (`psmatch TREAT VARLIST [if], gen(NEW) [neighbors(k)] [caliper(c)] [by(g)]`):
// a logit score of TREAT on VARLIST (fitted within each by() group when given), then each treated
// row is matched, with replacement, to its k nearest control rows on the score (same group),
// counting only controls within the caliper. NEW = 1 on treated rows with a match and on the
// controls used, 0 elsewhere. Ties in distance go to the control that comes first in the data.
//
// Balance: means of each covariate among treated and controls before matching (all sample rows)
// and after (the rows with NEW = 1, each once - the sample a PSM-DID then uses), and the
// standardised mean difference (mean_t - mean_c) / sqrt((var_t + var_c)/2); both SMDs divide by
// the BEFORE-matching variances (as Stata's pstest), so that before and after are comparable.
import { PSMATCH_NEIGHBORS } from '../defaults';

import type { BalanceRow, MatchGroup } from '../../results/types';
import { EstimationError, type NamedColumn } from '../types';
import { fitLogit, SeparationError } from './logit';

export interface PsMatchSpec {
  treat: NamedColumn; // 0/1
  covariates: NamedColumn[];
  sample?: Uint8Array;
  by?: { name: string; codes: Int32Array }; // -1 = missing
  neighbors?: number; // default 1
  caliper?: number; // on the score's scale; none by default
}

export type { BalanceRow } from '../../results/types';

export interface PsMatchOutcome {
  matched: Float64Array; // NEW, full length
  pscore: Float64Array; // NaN outside the sample
  treated_matched: number;
  treated_unmatched: number;
  controls_used: number;
  rows_kept: number;
  balance: BalanceRow[];
  groups: MatchGroup[];
  warnings: string[];
}

/** Indices (into `ctrl`) of the k nearest controls to score s within the caliper; ctrl sorted by score. */
export function nearest(s: number, ctrlScore: Float64Array, ctrlRow: Int32Array, k: number, caliper: number): number[] {
  const m = ctrlScore.length;
  let lo = 0, hi = m;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (ctrlScore[mid] < s) lo = mid + 1; else hi = mid; }
  let l = lo - 1, r = lo;
  const out: number[] = [];
  while (out.length < k && (l >= 0 || r < m)) {
    const dl = l >= 0 ? s - ctrlScore[l] : Infinity;
    const dr = r < m ? ctrlScore[r] - s : Infinity;
    const takeLeft = dl < dr || (dl === dr && ctrlRow[l] < ctrlRow[r]);
    const dist = takeLeft ? dl : dr;
    if (!(dist <= caliper)) break;
    if (takeLeft) out.push(l--);
    else out.push(r++);
  }
  return out;
}

function meanVar(x: Float64Array, rows: number[]): { mean: number; v: number } {
  const n = rows.length;
  let s = 0;
  for (const i of rows) s += x[i];
  const mean = s / n;
  let v = 0;
  for (const i of rows) v += (x[i] - mean) ** 2;
  return { mean, v: n > 1 ? v / (n - 1) : NaN };
}

export function psMatch(spec: PsMatchSpec): PsMatchOutcome {
  const k = spec.neighbors ?? PSMATCH_NEIGHBORS;
  if (!Number.isInteger(k) || k < 1) throw new EstimationError(`psmatch: neighbors(${k}) must be a positive integer`);
  const caliper = spec.caliper ?? Infinity;
  if (!(caliper > 0)) throw new EstimationError(`psmatch: caliper(${spec.caliper}) must be positive`);
  if (!spec.covariates.length) throw new EstimationError('psmatch: no covariates given');
  const N = spec.treat.values.length;
  const t = spec.treat.values;
  const warnings: string[] = [];
  const rows: number[] = [];
  for (let i = 0; i < N; i++) {
    if (spec.sample && !spec.sample[i]) continue;
    if (Number.isNaN(t[i]) || spec.covariates.some((c) => Number.isNaN(c.values[i]))) continue;
    if (spec.by && spec.by.codes[i] < 0) continue;
    if (t[i] !== 0 && t[i] !== 1) throw new EstimationError(`psmatch: ${spec.treat.name} must be 0/1 (row ${i + 1} has ${t[i]})`);
    rows.push(i);
  }
  if (!rows.length) throw new EstimationError('psmatch: no complete rows in the sample');
  const groups = new Map<number, number[]>();
  for (const i of rows) {
    const g = spec.by ? spec.by.codes[i] : 0;
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(i);
  }
  const matched = new Float64Array(N);
  const pscore = new Float64Array(N).fill(NaN);
  const used = new Uint8Array(N);
  let treatedMatched = 0, treatedUnmatched = 0;
  const groupInfo: PsMatchOutcome['groups'] = [];
  for (const [g, gr] of [...groups.entries()].sort((a, b) => a[0] - b[0])) {
    const label = spec.by ? `${spec.by.name}=${g}` : 'all';
    const nt = gr.filter((i) => t[i] === 1).length;
    const nc = gr.length - nt;
    if (!nt || !nc) {
      warnings.push(`psmatch: group ${label} has ${nt} treated and ${nc} control rows; nothing matched there`);
      treatedUnmatched += nt;
      continue;
    }
    let fit;
    try {
      fit = fitLogit(Float64Array.from(gr, (i) => t[i]), spec.covariates.map((c) => ({ name: c.name, values: Float64Array.from(gr, (i) => c.values[i]) })));
    } catch (e) {
      if (e instanceof EstimationError) {
        const where = spec.by ? ` (in group ${label})` : '';
        throw e instanceof SeparationError ? new SeparationError(e.message + where) : new EstimationError(e.message + where);
      }
      throw e;
    }
    gr.forEach((i, r) => { pscore[i] = fit.fitted[r]; });
    const ctrl = gr.filter((i) => t[i] === 0).sort((a, b) => pscore[a] - pscore[b] || a - b);
    const cs = Float64Array.from(ctrl, (i) => pscore[i]);
    const cr = Int32Array.from(ctrl);
    let gm = 0;
    for (const i of gr) {
      if (t[i] !== 1) continue;
      const nn = nearest(pscore[i], cs, cr, k, caliper);
      if (!nn.length) { treatedUnmatched++; continue; }
      matched[i] = 1;
      gm++;
      for (const j of nn) { used[ctrl[j]] = 1; matched[ctrl[j]] = 1; }
    }
    treatedMatched += gm;
    groupInfo.push({ group: label, treated: nt, controls: nc, treated_matched: gm, coefficients: Object.fromEntries(fit.names.map((nm, j) => [nm, fit.coefficients[j]])) });
  }
  let controlsUsed = 0;
  for (let i = 0; i < N; i++) controlsUsed += used[i];
  if (treatedUnmatched) warnings.push(`psmatch: ${treatedUnmatched} treated row(s) found no control${Number.isFinite(caliper) ? ' within the caliper' : ''}`);
  const tb = rows.filter((i) => t[i] === 1), cb = rows.filter((i) => t[i] === 0);
  const ta = tb.filter((i) => matched[i] === 1), ca = cb.filter((i) => matched[i] === 1);
  const balance: BalanceRow[] = spec.covariates.map((c) => {
    const T0 = meanVar(c.values, tb), C0 = meanVar(c.values, cb);
    const T1 = ta.length ? meanVar(c.values, ta) : { mean: NaN, v: NaN };
    const C1 = ca.length ? meanVar(c.values, ca) : { mean: NaN, v: NaN };
    const sd = Math.sqrt((T0.v + C0.v) / 2);
    return {
      var: c.name,
      mean_treated_before: T0.mean, mean_control_before: C0.mean, smd_before: (T0.mean - C0.mean) / sd,
      mean_treated_after: T1.mean, mean_control_after: C1.mean, smd_after: (T1.mean - C1.mean) / sd,
    };
  });
  return {
    matched, pscore, treated_matched: treatedMatched, treated_unmatched: treatedUnmatched, controls_used: controlsUsed,
    rows_kept: treatedMatched + controlsUsed, balance, groups: groupInfo, warnings,
  };
}
