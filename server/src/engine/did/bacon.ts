// Goodman-Bacon (2021) decomposition of the two-way FE coefficient of a binary, staggered treatment
// on a balanced panel, with the numbers of R's bacondecomp (no covariates):
// timing groups are the units' first treated period (never treated: no group; treated from the first
// period on: "always treated"); every ordered pair of groups gives a 2x2 DID, fitted by two-way FE
// on the pair's rows in its window (earlier vs later: before the later group adopts; later vs earlier:
// from the earlier group's adoption on; vs never or always treated: every period), and a weight from
// the group sizes and treatment shares in that window; the weights are scaled to sum to 1 and the
// weighted sum of the 2x2 estimates is the TWFE coefficient.
import { EstimationError } from '../types';

export type BaconType = 'Treated vs Untreated' | 'Earlier vs Later Treated' | 'Later vs Earlier Treated' | 'Later vs Always Treated';

export interface TwoByTwo {
  treated: number; // first treated period of the treated group
  untreated: number | 'always' | null; // null: never treated
  type: BaconType;
  estimate: number;
  weight: number;
}

export interface BaconInput {
  y: Float64Array;
  treat: Float64Array;
  unit: Float64Array; // unit keys (their order decides the listing order, as bacondecomp's merge by id)
  time: Float64Array;
  sample?: Uint8Array;
  names?: { y: string; treat: string; unit: string; time: string };
}

export interface BaconResult {
  twfe: number;
  two_by_twos: TwoByTwo[];
  nobs: number;
  n_units: number;
  n_periods: number;
}

/** Two-way FE slope of y on d over a balanced set of rows: sum(d~ y) / sum(d~^2), d~ double-demeaned. */
function balancedTwfe(rows: number[], y: Float64Array, d: Float64Array, uIdx: Int32Array, tIdx: Int32Array, nU: number, nT: number): number {
  const su = new Float64Array(nU);
  const cu = new Float64Array(nU);
  const st = new Float64Array(nT);
  const ct = new Float64Array(nT);
  let s = 0;
  for (const i of rows) {
    su[uIdx[i]] += d[i];
    cu[uIdx[i]]++;
    st[tIdx[i]] += d[i];
    ct[tIdx[i]]++;
    s += d[i];
  }
  const mean = s / rows.length;
  let num = 0;
  let den = 0;
  for (const i of rows) {
    const dt = d[i] - su[uIdx[i]] / cu[uIdx[i]] - st[tIdx[i]] / ct[tIdx[i]] + mean;
    num += dt * y[i];
    den += dt * dt;
  }
  if (!(den > 0)) return NaN;
  return num / den;
}

export function runBacon(inp: BaconInput): BaconResult {
  const nm = inp.names ?? { y: 'the outcome', treat: 'the treatment', unit: 'unit', time: 'time' };
  const n = inp.y.length;
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    if (inp.sample && !inp.sample[i]) continue;
    if (Number.isNaN(inp.unit[i]) || Number.isNaN(inp.time[i])) continue;
    if (Number.isNaN(inp.y[i])) throw new EstimationError(`bacondecomp: ${nm.y} is missing in row ${i + 1}; the decomposition needs a balanced panel without missing values`);
    const d = inp.treat[i];
    if (d !== 0 && d !== 1) throw new EstimationError(`bacondecomp: ${nm.treat} must be 0 or 1 (row ${i + 1} has ${Number.isNaN(d) ? 'a missing value' : d})`);
    rows.push(i);
  }
  if (!rows.length) throw new EstimationError('bacondecomp: no observations in the sample');

  // index units and periods; check balance
  const units = [...new Set(rows.map((i) => inp.unit[i]))].sort((a, b) => a - b);
  const periods = [...new Set(rows.map((i) => inp.time[i]))].sort((a, b) => a - b);
  const uPos = new Map(units.map((u, j) => [u, j]));
  const tPos = new Map(periods.map((t, j) => [t, j]));
  const uIdx = new Int32Array(n);
  const tIdx = new Int32Array(n);
  const seen = new Uint8Array(units.length * periods.length);
  for (const i of rows) {
    uIdx[i] = uPos.get(inp.unit[i])!;
    tIdx[i] = tPos.get(inp.time[i])!;
    const c = uIdx[i] * periods.length + tIdx[i];
    if (seen[c]) throw new EstimationError(`bacondecomp: ${nm.unit} ${inp.unit[i]} has two rows at ${nm.time} = ${inp.time[i]}`);
    seen[c] = 1;
  }
  if (rows.length !== units.length * periods.length) {
    const miss = seen.indexOf(0);
    throw new EstimationError(
      `bacondecomp needs a balanced panel: ${nm.unit} ${units[Math.floor(miss / periods.length)]} has no row at ${nm.time} = ${periods[miss % periods.length]} (${rows.length} rows for ${units.length} units x ${periods.length} periods)`,
    );
  }
  if (periods.length < 2) throw new EstimationError('bacondecomp: the panel has a single period');

  // timing groups: first treated period per unit; treatment must stay on once adopted
  const first = new Float64Array(units.length).fill(Infinity);
  for (const i of rows) if (inp.treat[i] === 1 && inp.time[i] < first[uIdx[i]]) first[uIdx[i]] = inp.time[i];
  for (const i of rows) {
    const g = first[uIdx[i]];
    if (inp.time[i] >= g && inp.treat[i] === 0) {
      throw new EstimationError(`bacondecomp: ${nm.treat} switches off: ${nm.unit} ${inp.unit[i]} is treated from ${nm.time} = ${g} but not at ${inp.time[i]}; the decomposition needs a treatment that stays on once adopted`);
    }
  }
  const t0 = periods[0];
  const groupOf = (i: number): number => first[uIdx[i]];
  // groups in bacondecomp's listing order: first appearance when units are sorted by their key
  const groups: number[] = [];
  for (let u = 0; u < units.length; u++) if (!groups.includes(first[u])) groups.push(first[u]);
  if (!groups.some((g) => g !== Infinity && g !== t0)) throw new EstimationError(`bacondecomp: no unit adopts ${nm.treat} after the first period`);
  if (groups.length < 2) throw new EstimationError('bacondecomp: every unit has the same treatment timing; there is no comparison to decompose');

  const all = rows;
  const twfe = balancedTwfe(all, inp.y, inp.treat, uIdx, tIdx, units.length, periods.length);
  const out: TwoByTwo[] = [];
  for (const un of groups) {
    for (const tr of groups) {
      if (tr === un || tr === Infinity || tr === t0) continue;
      // the pair's rows in its window
      const sub = all.filter((i) => {
        const g = groupOf(i);
        if (g !== tr && g !== un) return false;
        const t = inp.time[i];
        return tr < un ? t < un : t >= un;
      });
      let nTr = 0;
      let nUn = 0;
      let dTr = 0;
      let dUn = 0;
      for (const i of sub) {
        if (groupOf(i) === tr) { nTr++; dTr += inp.treat[i]; }
        else { nUn++; dUn += inp.treat[i]; }
      }
      dTr /= nTr;
      dUn /= nUn;
      let weight: number;
      if (tr < un) {
        // treated earlier than the comparison (or the comparison never treated): k = tr, l = un
        const s = nTr / (nTr + nUn);
        const V = s * (1 - s) * ((dTr - dUn) / (1 - dUn)) * ((1 - dTr) / (1 - dUn));
        weight = ((nTr + nUn) * (1 - dUn)) ** 2 * V;
      } else {
        // treated later than the comparison: k = un (already treated), l = tr
        const s = nUn / (nTr + nUn);
        const V = s * (1 - s) * (dTr / dUn) * ((dUn - dTr) / dUn);
        weight = ((nTr + nUn) * dUn) ** 2 * V;
      }
      const type: BaconType =
        un === Infinity ? 'Treated vs Untreated' : un === t0 ? 'Later vs Always Treated' : tr > un ? 'Later vs Earlier Treated' : 'Earlier vs Later Treated';
      const estimate = balancedTwfe(sub, inp.y, inp.treat, uIdx, tIdx, units.length, periods.length);
      out.push({ treated: tr, untreated: un === Infinity ? null : un === t0 ? 'always' : un, type, estimate, weight });
    }
  }
  const total = out.reduce((s, r) => s + r.weight, 0);
  for (const r of out) r.weight /= total;
  return { twfe, two_by_twos: out, nobs: rows.length, n_units: units.length, n_periods: periods.length };
}
