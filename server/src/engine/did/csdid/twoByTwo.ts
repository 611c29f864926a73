// The 2x2 DiD of one ATT(g,t) cell on panel data and its influence function, as DRDID 1.0.6's
// reg_did_panel (outcome regression), std_ipw_did_panel (normalized IPW) and drdid_panel (doubly
// robust), unit weights 1. Rows are the cell's units (treated cohort + controls); the influence
// function returned is DRDID's, on those rows, before att_gt's n / n1 rescaling.
import { cholesky, cholInverse } from '../../linalg';
import { glmLogit, rcondSpd } from './glmLogit';
import type { CsdidMethod } from './types';

export interface CellData {
  /** Y(t) - Y(base) per row */
  dy: Float64Array;
  /** 1 = treated cohort, 0 = control */
  d: Uint8Array;
  /** n1 x k covariates, row-major, first column the constant */
  X: Float64Array;
  k: number;
}

/** Why a cell has no estimate: collinear covariates (error) or R's overlap check (NA with a warning). */
export type CellFailure = 'collinear' | 'collinear-controls' | 'overlap';
export type CellFit = { att: number; inf: Float64Array } | { failure: CellFailure };

const EPS = 2.220446049250313e-16;

/** b' M for row i of X: sum_a X[i, a] v[a]. */
function rowDot(X: Float64Array, k: number, i: number, v: Float64Array): number {
  let s = 0;
  for (let a = 0; a < k; a++) s += X[i * k + a] * v[a];
  return s;
}

/** (k x k) matrix times vector. */
function matVec(m: Float64Array, k: number, v: Float64Array): Float64Array {
  const out = new Float64Array(k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) out[a] += m[a * k + b] * v[b];
  return out;
}

/** Column means of w_i X_i over all rows. */
function weightedColMeans(X: Float64Array, k: number, w: (i: number) => number, n: number): Float64Array {
  const out = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const wi = w(i);
    if (wi === 0) continue;
    for (let a = 0; a < k; a++) out[a] += wi * X[i * k + a];
  }
  for (let a = 0; a < k; a++) out[a] /= n;
  return out;
}

interface ControlOls {
  /** fitted Y(t) - Y(base) from the controls' regression, every row */
  out: Float64Array;
  /** (X_c'X_c / n)^-1 */
  xpxInv: Float64Array;
}

/** OLS of dy on X among the controls (R: lm(deltaY ~ -1 + int.cov, subset = D == 0)). */
function controlOls(c: CellData): ControlOls | null {
  const { dy, d, X, k } = c;
  const n = dy.length;
  const xpx = new Float64Array(k * k);
  const xy = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    if (d[i]) continue;
    for (let a = 0; a < k; a++) {
      const xa = X[i * k + a];
      xy[a] += xa * dy[i];
      for (let b = 0; b < k; b++) xpx[a * k + b] += xa * X[i * k + b];
    }
  }
  const l = Float64Array.from(xpx);
  // att_gt's own check: rcond(t(control_covs) %*% control_covs) < .Machine$double.eps
  if (!cholesky(l, k) || rcondSpd(xpx, l, k) < EPS) return null;
  const inv = cholInverse(l, k);
  const beta = matVec(inv, k, xy);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rowDot(X, k, i, beta);
  const xpxInv = new Float64Array(k * k);
  for (let a = 0; a < k * k; a++) xpxInv[a] = inv[a] * n;
  return { out, xpxInv };
}

interface Pscore {
  ps: Float64Array;
  /** vcov(glm) * n */
  hessian: Float64Array;
}

function pscore(c: CellData): Pscore | 'collinear' | 'overlap' {
  const fit = glmLogit(c.d, c.X, c.k);
  if (!fit) return 'collinear';
  const n = c.d.length;
  let maxPs = 0;
  for (let i = 0; i < n; i++) maxPs = Math.max(maxPs, fit.fitted[i]);
  // att_gt skips the cell (NA, warning) when the preliminary logit's max score reaches 0.999
  if (maxPs >= 0.999) return 'overlap';
  const ps = new Float64Array(n);
  for (let i = 0; i < n; i++) ps[i] = Math.min(fit.fitted[i], 1 - 1e-16);
  const hessian = new Float64Array(c.k * c.k);
  for (let a = 0; a < c.k * c.k; a++) hessian[a] = fit.vcov[a] * n;
  return { ps, hessian };
}

/** Outcome regression DiD (reg_did_panel). */
function regDid(c: CellData): CellFit {
  const { dy, d, X, k } = c;
  const n = dy.length;
  const ols = controlOls(c);
  if (!ols) return { failure: 'collinear-controls' };
  let sumD = 0;
  let sumTreatY = 0;
  let sumTreatOut = 0;
  for (let i = 0; i < n; i++)
    if (d[i]) {
      sumD++;
      sumTreatY += dy[i];
      sumTreatOut += ols.out[i];
    }
  const meanD = sumD / n;
  const etaTreat = sumTreatY / n / meanD;
  const etaCont = sumTreatOut / n / meanD;
  // estimation effect of the regression: asy.lin.rep.ols %*% M1, M1 = colMeans(D * X)
  const m1 = weightedColMeans(X, k, (i) => d[i], n);
  const v = matVec(ols.xpxInv, k, m1);
  const inf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const infTreat = (d[i] * dy[i] - d[i] * etaTreat) / meanD;
    const cont2 = d[i] ? 0 : (dy[i] - ols.out[i]) * rowDot(X, k, i, v);
    const infControl = (d[i] * ols.out[i] - d[i] * etaCont + cont2) / meanD;
    inf[i] = infTreat - infControl;
  }
  return { att: etaTreat - etaCont, inf };
}

/** Normalized (Hajek) IPW DiD (std_ipw_did_panel). */
function ipwDid(c: CellData): CellFit {
  const { dy, d, X, k } = c;
  const n = dy.length;
  const p = pscore(c);
  if (p === 'collinear') return { failure: 'collinear' };
  if (p === 'overlap') return { failure: 'overlap' };
  const wCont = new Float64Array(n);
  let sD = 0;
  let sDy = 0;
  let sWc = 0;
  let sWcY = 0;
  for (let i = 0; i < n; i++) {
    wCont[i] = d[i] ? 0 : p.ps[i] / (1 - p.ps[i]);
    sD += d[i];
    sDy += d[i] * dy[i];
    sWc += wCont[i];
    sWcY += wCont[i] * dy[i];
  }
  const meanD = sD / n;
  const meanWc = sWc / n;
  const etaTreat = sDy / n / meanD;
  const etaCont = sWcY / n / meanWc;
  const m2 = weightedColMeans(X, k, (i) => wCont[i] * (dy[i] - etaCont), n);
  const v = matVec(p.hessian, k, m2);
  const inf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const infTreat = (d[i] * dy[i] - d[i] * etaTreat) / meanD;
    const cont1 = wCont[i] * dy[i] - wCont[i] * etaCont;
    const cont2 = (d[i] - p.ps[i]) * rowDot(X, k, i, v);
    inf[i] = infTreat - (cont1 + cont2) / meanWc;
  }
  return { att: etaTreat - etaCont, inf };
}

/** Locally efficient doubly robust DiD (drdid_panel). */
function drDid(c: CellData): CellFit {
  const { dy, d, X, k } = c;
  const n = dy.length;
  const p = pscore(c);
  if (p === 'collinear') return { failure: 'collinear' };
  if (p === 'overlap') return { failure: 'overlap' };
  const ols = controlOls(c);
  if (!ols) return { failure: 'collinear-controls' };
  const wCont = new Float64Array(n);
  const resid = new Float64Array(n);
  let sD = 0;
  let sTreat = 0;
  let sWc = 0;
  let sCont = 0;
  for (let i = 0; i < n; i++) {
    wCont[i] = d[i] ? 0 : p.ps[i] / (1 - p.ps[i]);
    resid[i] = dy[i] - ols.out[i];
    sD += d[i];
    sTreat += d[i] * resid[i];
    sWc += wCont[i];
    sCont += wCont[i] * resid[i];
  }
  const meanD = sD / n;
  const meanWc = sWc / n;
  const etaTreat = sTreat / n / meanD;
  const etaCont = sCont / n / meanWc;
  const m1 = weightedColMeans(X, k, (i) => d[i], n);
  const m2 = weightedColMeans(X, k, (i) => wCont[i] * (resid[i] - etaCont), n);
  const m3 = weightedColMeans(X, k, (i) => wCont[i], n);
  const v1 = matVec(ols.xpxInv, k, m1);
  const v2 = matVec(p.hessian, k, m2);
  const v3 = matVec(ols.xpxInv, k, m3);
  const inf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // asy.lin.rep.wols is (1 - D) resid X (X_c'X_c / n)^-1: zero on treated rows
    const wolsRow = d[i] ? 0 : resid[i];
    const infTreat = (d[i] * resid[i] - d[i] * etaTreat - wolsRow * rowDot(X, k, i, v1)) / meanD;
    const cont1 = wCont[i] * resid[i] - wCont[i] * etaCont;
    const cont2 = (d[i] - p.ps[i]) * rowDot(X, k, i, v2);
    const cont3 = wolsRow * rowDot(X, k, i, v3);
    inf[i] = infTreat - (cont1 + cont2 - cont3) / meanWc;
  }
  return { att: etaTreat - etaCont, inf };
}

export function twoByTwo(method: CsdidMethod, c: CellData): CellFit {
  return method === 'reg' ? regDid(c) : method === 'ipw' ? ipwDid(c) : drDid(c);
}
