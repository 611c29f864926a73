// Event study (`eventstudy y [controls], treat(ADOPT) window(LO HI) ref(K) fe(...)`):
// relative-time dummies, the regression, and the event-time table with a joint pre-trend test.
//
// As CONTRACT.md defines it: k = TIME - ADOPT for units whose ADOPT is neither missing nor 0 (the
// others are never treated and get no dummy); one dummy for each k in LO..HI except `ref`; rows
// whose k falls outside the window get no dummy either. With the window covering every observed k
// this is fixest's `i(rel_time, ref = c(ref, -1000))`.

import { estimate } from '../estimate';
import { fUpperP } from '../dist';
import { quadInv, sub } from '../linalg';
import type { EventTimeRow, PretrendTest } from '../../results/types';
import { EstimationError, type EstimationCore, type NamedColumn, type RegressionInput } from '../types';

export interface EventWindow {
  lo: number;
  hi: number;
  ref: number;
}

export interface EventDummy {
  k: number;
  name: string; // `_k_m4`, `_k_0`, `_k_3`
  label: string; // "-4", "0", "3"
  column: NamedColumn;
  count: number; // rows with the dummy on (among rows allowed by `sample`)
}

export type { EventTimeRow, PretrendTest } from '../../results/types';

/** The regressor name of relative period k. */
export function eventTermName(k: number): string {
  return k < 0 ? `_k_m${-k}` : `_k_${k}`;
}

export function validateWindow(win: EventWindow): void {
  for (const [nm, v] of [['window low', win.lo], ['window high', win.hi], ['ref', win.ref]] as const)
    if (!Number.isInteger(v)) throw new EstimationError(`eventstudy: ${nm} must be an integer (got ${v})`);
  if (win.lo > win.hi) throw new EstimationError(`eventstudy: window(${win.lo} ${win.hi}) is empty (low > high)`);
  if (win.ref < win.lo || win.ref > win.hi) throw new EstimationError(`eventstudy: ref(${win.ref}) lies outside window(${win.lo} ${win.hi})`);
}

/**
 * Builds the event-time dummies. Rows with a missing TIME of a treated unit get NaN (so that the
 * estimation drops them); never-treated rows and rows outside the window are 0 throughout.
 */
export function buildEventDummies(time: Float64Array, adopt: Float64Array, win: EventWindow, sample?: Uint8Array): EventDummy[] {
  validateWindow(win);
  const n = time.length;
  const ks: number[] = [];
  for (let k = win.lo; k <= win.hi; k++) if (k !== win.ref) ks.push(k);
  const cols = ks.map(() => new Float64Array(n));
  const counts = ks.map(() => 0);
  for (let i = 0; i < n; i++) {
    const a = adopt[i];
    if (Number.isNaN(a) || a === 0) continue; // never treated
    const t = time[i];
    if (Number.isNaN(t)) { for (const c of cols) c[i] = NaN; continue; }
    const k = Math.round(t - a);
    if (k < win.lo || k > win.hi || k === win.ref) continue;
    const j = k - win.lo - (k > win.ref ? 1 : 0);
    cols[j][i] = 1;
    if (!sample || sample[i]) counts[j]++;
  }
  return ks.map((k, j) => ({
    k, name: eventTermName(k), label: String(k), column: { name: eventTermName(k), values: cols[j] }, count: counts[j],
  }));
}

/** Event-time table (reference period at 0/0) and the joint Wald F-test that all leads are zero. */
export function assembleEventStudy(
  core: EstimationCore,
  dummies: EventDummy[],
  win: EventWindow,
): { event_time: EventTimeRow[]; pretrend_test: PretrendTest | null; warnings: string[] } {
  const warnings: string[] = [];
  const pos = new Map(core.coefficients.map((c, i) => [c.term, i]));
  const rows: EventTimeRow[] = [{ k: win.ref, estimate: 0, se: 0, ci_low: 0, ci_high: 0 }];
  for (const d of dummies) {
    const i = pos.get(d.name);
    if (i === undefined) {
      if (d.count > 0) warnings.push(`event time ${d.label} was dropped as collinear (${d.name})`);
      continue;
    }
    const c = core.coefficients[i];
    rows.push({ k: d.k, estimate: c.estimate, se: c.se, ci_low: c.ci_low, ci_high: c.ci_high, term: d.name });
  }
  rows.sort((a, b) => a.k - b.k);
  const leads = rows.filter((r) => r.k < 0 && r.k !== win.ref && r.term !== undefined);
  let pretrend: PretrendTest | null = null;
  if (leads.length) {
    const idx = leads.map((r) => pos.get(r.term!)!);
    const q = quadInv(sub(core.vcov, idx, idx), idx.map((i) => core.coefficients[i].estimate));
    if (q !== null) {
      const stat = q / idx.length;
      pretrend = { stat, df1: idx.length, df2: core.df_t, p: fUpperP(stat, idx.length, core.df_t), leads: leads.map((r) => r.k) };
    } else warnings.push('pre-trend test not computed: the covariance of the lead coefficients is singular');
  }
  return { event_time: rows, pretrend_test: pretrend, warnings };
}

export interface EventStudyInput {
  base: RegressionInput; // depvar, controls (regressors), FEs, vcov, weights, sample
  time: Float64Array;
  adopt: Float64Array;
  window: EventWindow;
}

export type EventStudyCore = EstimationCore & { event_time: EventTimeRow[]; pretrend_test: PretrendTest | null };

/** Runs the event-study regression: dummies first, then the controls (as fixest orders `i()` terms after them is irrelevant to values). */
export function runEventStudy(inp: EventStudyInput, fit: (r: RegressionInput) => EstimationCore = estimate): EventStudyCore {
  const all = buildEventDummies(inp.time, inp.adopt, inp.window, inp.base.sample);
  const warnings: string[] = [];
  const used = all.filter((d) => {
    if (d.count > 0) return true;
    warnings.push(`event time ${d.label} has no observation in the sample; its dummy was dropped`);
    return false;
  });
  if (!used.length) throw new EstimationError('eventstudy: no treated observation falls inside the window');
  const core = fit({ ...inp.base, regressors: [...inp.base.regressors, ...used.map((d) => d.column)] });
  const es = assembleEventStudy(core, used, inp.window);
  // a relative period the sample never reaches has no estimate: listed, so the JSON says why it is missing
  const empty = all.filter((d) => d.count === 0).map((d) => ({ term: d.name, reason: 'no observations' }));
  return { ...core, omitted: [...core.omitted, ...empty], warnings: [...core.warnings, ...warnings, ...es.warnings], event_time: es.event_time, pretrend_test: es.pretrend_test };
}
