// Logistic regression by Newton-Raphson (IRLS) with step halving, for the propensity score.
// Perfect or quasi-complete separation makes the maximum likelihood estimate infinite: the
// coefficients keep growing and fitted probabilities reach 0 or 1. That is reported as an error,
// never as a silently huge coefficient.

import { EstimationError } from '../types';
import { invSPD, matvec, type Mat } from '../linalg';

export interface LogitFit {
  coefficients: number[]; // in the order of `names` (the constant last, `_cons`)
  names: string[];
  se: number[];
  loglik: number;
  iterations: number;
  fitted: Float64Array; // P(y = 1 | x) per row
}

export class SeparationError extends EstimationError {
  constructor(message: string) {
    super(message);
    this.name = 'SeparationError';
  }
}

/**
 * @param y 0/1 outcome (rows already restricted to the sample)
 * @param X covariates, one column each (a constant is added as `_cons`)
 */
export function fitLogit(y: Float64Array, X: { name: string; values: Float64Array }[], maxIter = 100, tol = 1e-10): LogitFit {
  const n = y.length;
  const cols = [...X.map((x) => x.values), new Float64Array(n).fill(1)];
  const names = [...X.map((x) => x.name), '_cons'];
  const k = cols.length;
  let ones = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new EstimationError(`logit: the outcome must be 0/1 (found ${y[i]})`);
    ones += y[i];
  }
  if (ones === 0 || ones === n) throw new SeparationError(`logit: the outcome is ${ones ? 'always 1' : 'always 0'}; a propensity score cannot be fitted`);
  // start at the constant-only solution
  const beta = new Array<number>(k).fill(0);
  beta[k - 1] = Math.log(ones / (n - ones));
  const eta = new Float64Array(n);
  const prob = new Float64Array(n);
  const evalAt = (b: number[]): number => {
    let ll = 0;
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let j = 0; j < k; j++) e += b[j] * cols[j][i];
      eta[i] = e;
      // log-likelihood in a form that cannot overflow
      ll += y[i] ? -Math.log1p(Math.exp(-e)) : -Math.log1p(Math.exp(e));
      prob[i] = 1 / (1 + Math.exp(-e));
    }
    return ll;
  };
  let ll = evalAt(beta);
  let it = 0;
  let info: Mat | null = null;
  for (; it < maxIter; it++) {
    const grad = new Array<number>(k).fill(0);
    const H: Mat = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < n; i++) {
      const r = y[i] - prob[i];
      const w = prob[i] * (1 - prob[i]);
      for (let a = 0; a < k; a++) {
        const xa = cols[a][i];
        grad[a] += r * xa;
        const wa = w * xa;
        for (let b = a; b < k; b++) H[a][b] += wa * cols[b][i];
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) H[a][b] = H[b][a];
    info = invSPD(H);
    if (!info) {
      if (it === 0) throw new EstimationError(`logit: the covariates are collinear (or constant): ${names.slice(0, -1).join(' ')}`);
      throw new SeparationError(
        'logit: perfect separation - the covariates predict the treatment exactly for some rows (fitted probabilities 0 or 1); drop or coarsen the covariate that separates the groups',
      );
    }
    const step = matvec(info, grad);
    let t = 1;
    let next = beta.map((b, j) => b + step[j]);
    let llNext = evalAt(next);
    while (llNext < ll - 1e-12 * Math.abs(ll) && t > 1e-8) {
      t /= 2;
      next = beta.map((b, j) => b + t * step[j]);
      llNext = evalAt(next);
    }
    const change = Math.max(...step.map((s, j) => Math.abs(t * s) / (1 + Math.abs(beta[j]))));
    for (let j = 0; j < k; j++) beta[j] = next[j];
    const dll = llNext - ll;
    ll = llNext;
    if (change < 1e-9 || (Math.abs(dll) < tol * (1 + Math.abs(ll)) && change < 1e-6)) { it++; break; }
  }
  evalAt(beta);
  let extreme = 0;
  for (let i = 0; i < n; i++) if (prob[i] < 1e-9 || prob[i] > 1 - 1e-9) extreme++;
  if (extreme > 0 || it >= maxIter)
    throw new SeparationError(
      `logit: perfect separation - ${extreme} row(s) have fitted probability 0 or 1 and the coefficients diverge; drop or coarsen the covariate that separates treated and control rows`,
    );
  // standard errors from the information matrix at the final estimate
  const H: Mat = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < n; i++) {
    const w = prob[i] * (1 - prob[i]);
    for (let a = 0; a < k; a++) for (let b = a; b < k; b++) H[a][b] += w * cols[a][i] * cols[b][i];
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) H[a][b] = H[b][a];
  info = invSPD(H);
  const se = info ? info.map((row, j) => Math.sqrt(row[j])) : beta.map(() => NaN);
  return { coefficients: beta, names, se, loglik: ll, iterations: it, fitted: Float64Array.from(prob) };
}
