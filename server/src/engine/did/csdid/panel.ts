// Rows -> the balanced unit x period panel that R `did` 2.1.2 (pre_process_did, panel = TRUE) works on,
// with its sample rules in its order: rows with a missing value out; cohorts after the last period
// count as never treated; without never-treated units the not-yet-treated design drops the periods
// from the last cohort's start on; units treated in the first period out (warning); units not seen
// in every period out (R's makeBalancedPanel; warning). Then checks R leaves to chance or to NaN:
// unequal period spacing, an adoption time varying within a unit, an emptied cohort, no controls.
import { EstimationError } from '../../types';
import type { CsdidControl, CsdidInput } from './types';

export interface CsdidPanel {
  /** units kept, sorted by cohort (never treated first), then by unit value */
  n: number;
  nT: number;
  periods: Float64Array;
  /** R's glist: the treated cohorts that get ATT(g,t) cells, ascending */
  cohorts: number[];
  /** per unit: its cohort (0 = never treated) */
  gOf: Float64Array;
  unitValue: Float64Array;
  /** outcome, period-major: y[p * n + u] */
  y: Float64Array;
  /** each covariate, period-major like y */
  x: Float64Array[];
  /** per unit: cluster code 0..nClusters-1 (bootstrap clustering), or null */
  clusterOf: Int32Array | null;
  nClusters: number;
  warnings: string[];
}

const label = (input: CsdidInput, u: number): string => (input.unitLabel ? input.unitLabel(u) : String(u));

/** Distinct finite values of `v` over the rows where keep[i] is set, ascending. */
function distinctSorted(v: Float64Array, keep: Uint8Array): number[] {
  const seen = new Set<number>();
  for (let i = 0; i < v.length; i++) if (keep[i]) seen.add(v[i]);
  return [...seen].sort((a, b) => a - b);
}

/** Maps every row to its unit index (first-seen order); -1 for a missing unit value. */
function indexUnits(unit: Float64Array): { rowUnit: Int32Array; values: number[] } {
  const map = new Map<number, number>();
  const rowUnit = new Int32Array(unit.length);
  const values: number[] = [];
  for (let i = 0; i < unit.length; i++) {
    const u = unit[i];
    if (u !== u) {
      rowUnit[i] = -1;
      continue;
    }
    let k = map.get(u);
    if (k === undefined) {
      k = values.length;
      map.set(u, k);
      values.push(u);
    }
    rowUnit[i] = k;
  }
  return { rowUnit, values };
}

/** The adoption time of each unit; an error naming the unit if it differs between its rows. */
function unitCohorts(input: CsdidInput, rowUnit: Int32Array, nu: number): Float64Array {
  const g = new Float64Array(nu).fill(NaN);
  for (let i = 0; i < rowUnit.length; i++) {
    const u = rowUnit[i];
    if (u < 0) continue;
    const v = input.gvar[i] === input.gvar[i] ? input.gvar[i] : 0; // missing = never treated
    if (g[u] !== g[u]) g[u] = v;
    else if (g[u] !== v)
      throw new EstimationError(`the adoption time varies within unit ${label(input, input.unit[i])} (${g[u]} and ${v}): it must be constant within a unit`);
  }
  return g;
}

export function buildPanel(input: CsdidInput, control: CsdidControl, anticipation: number): CsdidPanel {
  const rows = input.y.length;
  const warnings: string[] = [];
  const { rowUnit, values: unitValues } = indexUnits(input.unit);
  const nu = unitValues.length;
  const gUnit = unitCohorts(input, rowUnit, nu);
  let clusterUnit: Float64Array | null = null;
  if (input.cluster) {
    clusterUnit = new Float64Array(nu).fill(NaN);
    const c = input.cluster.values;
    for (let i = 0; i < rows; i++) {
      const u = rowUnit[i];
      if (u < 0 || c[i] !== c[i]) continue;
      if (clusterUnit[u] !== clusterUnit[u]) clusterUnit[u] = c[i];
      else if (clusterUnit[u] !== c[i])
        throw new EstimationError(`cluster variable ${input.cluster.name} varies within unit ${label(input, unitValues[u])}: it must be constant within a unit`);
    }
  }

  // complete cases (R: every variable of the model, the cluster variable included)
  const keep = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    if (rowUnit[i] < 0 || input.time[i] !== input.time[i] || input.y[i] !== input.y[i]) continue;
    let ok = true;
    for (const c of input.covariates) if (!Number.isFinite(c.values[i])) ok = false;
    if (input.cluster && input.cluster.values[i] !== input.cluster.values[i]) ok = false;
    if (ok && Number.isFinite(input.y[i]) && Number.isFinite(input.time[i])) keep[i] = 1;
  }
  let periods = distinctSorted(input.time, keep);
  if (!periods.length) throw new EstimationError('no complete observations (outcome, time, unit and covariates all non-missing)');

  // cohorts starting after the last period are never treated within the data
  const lastT = periods[periods.length - 1];
  for (let u = 0; u < nu; u++) if (gUnit[u] > lastT) gUnit[u] = 0;
  const rowG = (i: number) => gUnit[rowUnit[i]];
  const cohortsInRows = (): number[] => {
    const s = new Set<number>();
    for (let i = 0; i < rows; i++) if (keep[i]) s.add(rowG(i));
    return [...s].sort((a, b) => a - b);
  };
  let glist = cohortsInRows();

  if (!glist.includes(0)) {
    if (control === 'never')
      throw new EstimationError('there are no never-treated units (adoption time 0 or missing): add notyet to compare with not-yet-treated units');
    // R: keep the periods before the last cohort starts; that cohort then serves only as a control
    const gmax = glist[glist.length - 1];
    for (let i = 0; i < rows; i++) if (keep[i] && !(input.time[i] < gmax - anticipation)) keep[i] = 0;
    periods = distinctSorted(input.time, keep);
    glist = cohortsInRows().filter((g) => g < gmax);
    warnings.push(`no never-treated units: periods from ${gmax - anticipation} on are dropped and cohort ${gmax} serves only as a not-yet-treated control (as R did)`);
    if (!periods.length) throw new EstimationError(`no never-treated units and no period before the last cohort (${gmax}) starts: there are no not-yet-treated controls`);
  }
  const first = () => periods[0];
  glist = glist.filter((g) => g > 0 && g > first() + anticipation);

  // units already treated in the first period: R drops them with a warning
  const early = new Set<number>();
  const earlyCohorts = new Set<number>();
  for (let i = 0; i < rows; i++) {
    const g = rowG(i);
    if (keep[i] && g !== 0 && g <= first()) {
      early.add(rowUnit[i]);
      earlyCohorts.add(g);
    }
  }
  if (early.size) {
    warnings.push(`dropped ${early.size} unit(s) already treated in the first period ${first()} (cohort ${[...earlyCohorts].sort((a, b) => a - b).join(', ')}), as R did`);
    const allowed = new Set([0, ...glist]);
    for (let i = 0; i < rows; i++) if (keep[i] && !allowed.has(rowG(i))) keep[i] = 0;
    periods = distinctSorted(input.time, keep);
    glist = cohortsInRows().filter((g) => g > 0 && g > first() + anticipation);
  }
  checkSpacing(periods);

  // balance: a unit stays only if it has one complete row in every period
  const nT = periods.length;
  const pIndex = new Map<number, number>();
  periods.forEach((t, p) => pIndex.set(t, p));
  const seen = new Uint8Array(nu * nT);
  const rowAt = new Int32Array(nu * nT).fill(-1);
  const count = new Int32Array(nu);
  for (let i = 0; i < rows; i++) {
    if (!keep[i]) continue;
    const u = rowUnit[i];
    const p = pIndex.get(input.time[i]) as number;
    if (seen[u * nT + p]) throw new EstimationError(`unit ${label(input, unitValues[u])} has more than one row for period ${periods[p]}`);
    seen[u * nT + p] = 1;
    rowAt[u * nT + p] = i;
    count[u]++;
  }
  const kept: number[] = [];
  let present = 0;
  for (let u = 0; u < nu; u++) {
    if (count[u] > 0) present++;
    if (count[u] === nT) kept.push(u);
  }
  if (kept.length < present)
    warnings.push(`dropped ${present - kept.length} unit(s) not observed in every period with complete data (balanced panel, as R did with panel = TRUE)`);
  if (!kept.length) throw new EstimationError('no unit is observed in every period with complete data: the balanced panel is empty');
  if (!glist.length) throw new EstimationError('no treated cohort with a pre-treatment period: the adoption variable must hold the first treated period (0 or missing for never treated)');

  kept.sort((a, b) => gUnit[a] - gUnit[b] || unitValues[a] - unitValues[b]);
  const n = kept.length;
  const gOf = new Float64Array(n);
  const unitValue = new Float64Array(n);
  const y = new Float64Array(n * nT);
  const x = input.covariates.map(() => new Float64Array(n * nT));
  for (let k = 0; k < n; k++) {
    const u = kept[k];
    gOf[k] = gUnit[u];
    unitValue[k] = unitValues[u];
    for (let p = 0; p < nT; p++) {
      const i = rowAt[u * nT + p];
      y[p * n + k] = input.y[i];
      for (let j = 0; j < x.length; j++) x[j][p * n + k] = input.covariates[j].values[i];
    }
  }
  checkCohortSizes(gOf, glist, input.covariates.length, control, warnings);

  let clusterOf: Int32Array | null = null;
  let nClusters = n;
  if (clusterUnit) {
    const codes = new Map<number, number>();
    clusterOf = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const c = clusterUnit[kept[k]];
      let code = codes.get(c);
      if (code === undefined) codes.set(c, (code = codes.size));
      clusterOf[k] = code;
    }
    nClusters = codes.size;
  }
  return { n, nT, periods: Float64Array.from(periods), cohorts: glist, gOf, unitValue, y, x, clusterOf, nClusters, warnings };
}

/** Periods must be equally spaced: R would silently difference across a gap as if it were one period. */
function checkSpacing(periods: number[]): void {
  if (periods.length < 2) throw new EstimationError(`only one period (${periods[0]}) with complete data: ATT(g,t) needs at least two`);
  const step = periods[1] - periods[0];
  for (let p = 2; p < periods.length; p++) {
    const d = periods[p] - periods[p - 1];
    if (Math.abs(d - step) > 1e-9 * Math.max(1, Math.abs(step)))
      throw new EstimationError(`the time variable has a gap: periods ${periods[p - 1]} and ${periods[p]} are ${d} apart, ${periods[0]} and ${periods[1]} are ${step} apart`);
  }
}

/** R: a warning for cohorts smaller than (covariates + 5) units, an error if that is the never-treated control group. */
function checkCohortSizes(gOf: Float64Array, glist: number[], k: number, control: CsdidControl, warnings: string[]): void {
  const size = new Map<number, number>();
  for (const g of gOf) size.set(g, (size.get(g) ?? 0) + 1);
  for (const g of glist) if (!size.get(g)) throw new EstimationError(`cohort ${g} has no unit observed in every period with complete data`);
  const small = [...size.entries()].filter(([, s]) => s < k + 5).map(([g]) => g).sort((a, b) => a - b);
  if (!small.length) return;
  if (small.includes(0) && control === 'never')
    throw new EstimationError(`the never-treated group has only ${size.get(0)} unit(s) (fewer than ${k + 5}): too small a control group, try notyet`);
  warnings.push(`small cohort(s), fewer than ${k + 5} units: ${small.join(', ')}`);
}
