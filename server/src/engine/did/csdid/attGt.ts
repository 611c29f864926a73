// Every ATT(g,t) with its influence function, as R did 2.1.2's compute.att_gt on a balanced panel.
// Cell (g,t): the 2x2 DiD of cohort g against its controls between a base period and t. Base period:
// t-1 before treatment with 'varying', else the last period p with p + anticipation < g. Controls:
// the never treated, or with notyet also the cohorts g' != g with g' > max(t, base) + anticipation.
// Influence functions are per unit (n rows, zero outside the cell), stored column-major.
//
// Without covariates every estimator reduces to a difference of means (DRDID's formulas collapse to
// it exactly), which is computed directly: O(units) per cell, no matrices.
import { EstimationError } from '../../types';
import type { CsdidPanel } from './panel';
import { twoByTwo, type CellData } from './twoByTwo';
import type { CsdidOptions } from './types';

export interface CellEstimate {
  group: number;
  time: number;
  post: boolean;
  /** NaN = R's NA (overlap failure) */
  att: number;
  /** the universal base period's reference cell t = g-1: att 0, influence function 0 */
  reference: boolean;
}

export interface AttGtResult {
  cells: CellEstimate[];
  /** n x cells, column-major: inf[c * n + u] */
  inf: Float64Array;
  warnings: string[];
}

/** The index of the base period of cohort g: the last period p with p + anticipation < g. */
function basePeriodIndex(periods: Float64Array, g: number, anticipation: number): number {
  let b = -1;
  for (let p = 0; p < periods.length; p++) if (periods[p] + anticipation < g) b = p;
  return b;
}

export function computeAttGt(panel: CsdidPanel, opts: CsdidOptions): AttGtResult {
  const { n, nT, periods, gOf, cohorts } = panel;
  const varying = opts.basePeriod === 'varying';
  const first = varying ? 1 : 0;
  const nCells = cohorts.length * (nT - first);
  const inf = new Float64Array(nCells * n);
  const cells: CellEstimate[] = [];
  const warnings: string[] = [];
  const isTreated = new Uint8Array(n);
  const isControl = new Uint8Array(n);
  for (const g of cohorts) {
    const base = basePeriodIndex(periods, g, opts.anticipation);
    for (let cur = first; cur < nT; cur++) {
      const col = cells.length;
      const post = g <= periods[cur];
      const pre = post || !varying ? base : cur - 1;
      const cell: CellEstimate = { group: g, time: periods[cur], post, att: 0, reference: false };
      cells.push(cell);
      if (pre === cur) {
        cell.reference = true;
        continue;
      }
      // R sets the control group before moving a post-treatment cell's base to g-1
      const ctlPeriod = periods[varying ? cur : Math.max(cur, base)] + opts.anticipation;
      let nTreat = 0;
      let nCtl = 0;
      for (let u = 0; u < n; u++) {
        const gu = gOf[u];
        isTreated[u] = gu === g ? 1 : 0;
        isControl[u] = gu === 0 || (opts.control === 'notyet' && gu > ctlPeriod && gu !== g) ? 1 : 0;
        nTreat += isTreated[u];
        nCtl += isControl[u];
      }
      if (!nCtl)
        throw new EstimationError(`no control units for cohort ${g} in period ${periods[cur]}: no never-treated units and none not yet treated by ${ctlPeriod}`);
      const yCur = panel.y.subarray(cur * n, cur * n + n);
      const yPre = panel.y.subarray(pre * n, pre * n + n);
      const out = inf.subarray(col * n, col * n + n);
      if (!panel.x.length) cell.att = differenceOfMeans(yCur, yPre, isTreated, isControl, nTreat, nCtl, out);
      else {
        const att = covariateCell(panel, opts, Math.min(cur, pre), yCur, yPre, isTreated, isControl, out, g, periods[cur]);
        if (att === null) {
          cell.att = NaN;
          warnings.push(`overlap condition violated for cohort ${g} in period ${periods[cur]} (a propensity score reached 0.999): ATT(g,t) left out, as R does`);
        } else cell.att = att;
      }
    }
  }
  return { cells, inf, warnings };
}

/** ATT = mean dY(treated) - mean dY(controls); IF_u = n (dY_u - mean) / n_group, negative for controls. */
function differenceOfMeans(yCur: Float64Array, yPre: Float64Array, treated: Uint8Array, control: Uint8Array, nTreat: number, nCtl: number, out: Float64Array): number {
  const n = yCur.length;
  let sT = 0;
  let sC = 0;
  for (let u = 0; u < n; u++) {
    const dy = yCur[u] - yPre[u];
    if (treated[u]) sT += dy;
    else if (control[u]) sC += dy;
  }
  const mT = sT / nTreat;
  const mC = sC / nCtl;
  const fT = n / nTreat;
  const fC = n / nCtl;
  for (let u = 0; u < n; u++) {
    if (treated[u]) out[u] = fT * (yCur[u] - yPre[u] - mT);
    else if (control[u]) out[u] = -fC * (yCur[u] - yPre[u] - mC);
  }
  return mT - mC;
}

/** A cell with covariates (taken in the earlier of its two periods, as R's panel2cs2): null = overlap failure. */
function covariateCell(
  panel: CsdidPanel,
  opts: CsdidOptions,
  covPeriod: number,
  yCur: Float64Array,
  yPre: Float64Array,
  treated: Uint8Array,
  control: Uint8Array,
  out: Float64Array,
  g: number,
  t: number,
): number | null {
  const n = panel.n;
  const rows: number[] = [];
  for (let u = 0; u < n; u++) if (treated[u] || control[u]) rows.push(u);
  const n1 = rows.length;
  const k = panel.x.length + 1;
  const data: CellData = { dy: new Float64Array(n1), d: new Uint8Array(n1), X: new Float64Array(n1 * k), k };
  for (let r = 0; r < n1; r++) {
    const u = rows[r];
    data.dy[r] = yCur[u] - yPre[u];
    data.d[r] = treated[u];
    data.X[r * k] = 1;
    for (let j = 0; j < panel.x.length; j++) data.X[r * k + 1 + j] = panel.x[j][covPeriod * n + u];
  }
  const fit = twoByTwo(opts.method, data);
  if ('failure' in fit) {
    if (fit.failure === 'overlap') return null;
    const who = fit.failure === 'collinear' ? `cohort ${g} and its controls` : `the control units of cohort ${g}`;
    throw new EstimationError(`the covariates are collinear (or constant) among ${who} in period ${t}: drop or change a covariate`);
  }
  const scale = n / n1;
  for (let r = 0; r < n1; r++) out[rows[r]] = scale * fit.inf[r];
  return fit.att;
}
