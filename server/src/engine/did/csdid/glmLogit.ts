// Logit propensity score fitted the way R's glm(family = binomial) does it (glm.fit): IRLS from
// mustart = (y + 0.5) / 2, stopping when the deviance changes by less than 1e-8 relative, at most 25
// iterations. The details matter at 1e-6: DRDID's influence function uses vcov(glm) = (X'WX)^-1 with
// W the working weights at the start of the LAST iteration, and the fitted values of its result.
import { cholesky, cholInverse, cholSolve } from '../../linalg';

export interface GlmLogitFit {
  /** fitted P(D = 1 | x), one per row */
  fitted: Float64Array;
  /** (X'WX)^-1, k x k row-major (glm's unscaled covariance) */
  vcov: Float64Array;
  converged: boolean;
}

const EPS = 2.220446049250313e-16;
const THRESH = 30;

/** R's binomial()$linkinv: the logistic function clamped to [eps, 1 - eps] beyond |eta| > 30. */
function linkinv(eta: number): number {
  const tmp = eta < -THRESH ? EPS : eta > THRESH ? 1 / EPS : Math.exp(eta);
  return tmp / (1 + tmp);
}

/** R's binomial()$mu.eta for the logit link. */
function muEta(eta: number): number {
  const opexp = 1 + Math.exp(eta);
  return eta > THRESH || eta < -THRESH ? EPS : Math.exp(eta) / (opexp * opexp);
}

function deviance(d: Uint8Array, mu: Float64Array): number {
  let dev = 0;
  for (let i = 0; i < d.length; i++) dev += d[i] ? -2 * Math.log(mu[i]) : -2 * Math.log(1 - mu[i]);
  return dev;
}

/**
 * @param d 0/1 outcome
 * @param X n x k, row-major (the constant included as a column)
 * @returns null when X'WX is singular (collinear covariates)
 */
export function glmLogit(d: Uint8Array, X: Float64Array, k: number): GlmLogitFit | null {
  const n = d.length;
  const mu = new Float64Array(n);
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mu[i] = (d[i] + 0.5) / 2;
    eta[i] = Math.log(mu[i] / (1 - mu[i]));
  }
  let devOld = deviance(d, mu);
  const xtwx = new Float64Array(k * k);
  const xtwz = new Float64Array(k);
  let converged = false;
  for (let iter = 0; iter < 25; iter++) {
    xtwx.fill(0);
    xtwz.fill(0);
    for (let i = 0; i < n; i++) {
      const me = muEta(eta[i]);
      const z = eta[i] + (d[i] - mu[i]) / me;
      const w = (me * me) / (mu[i] * (1 - mu[i]));
      const row = i * k;
      for (let a = 0; a < k; a++) {
        const wa = w * X[row + a];
        xtwz[a] += wa * z;
        for (let b = 0; b <= a; b++) xtwx[a * k + b] += wa * X[row + b];
      }
    }
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) xtwx[a * k + b] = xtwx[b * k + a];
    const l = Float64Array.from(xtwx);
    // R's QR would pivot a collinear column out; DRDID then stops on the NA coefficient
    if (!cholesky(l, k) || rcondSpd(xtwx, l, k) < EPS) return null;
    const beta = cholSolve(l, k, xtwz);
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let a = 0; a < k; a++) e += X[i * k + a] * beta[a];
      eta[i] = e;
      mu[i] = linkinv(e);
    }
    const dev = deviance(d, mu);
    if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < 1e-8) {
      converged = true;
      return { fitted: mu, vcov: cholInverse(l, k), converged };
    }
    devOld = dev;
    if (iter === 24) return { fitted: mu, vcov: cholInverse(l, k), converged };
  }
  throw new Error('unreachable: the IRLS loop returns on its last iteration');
}

/** Reciprocal 1-norm condition number of a symmetric positive definite matrix, from its Cholesky factor. */
export function rcondSpd(a: Float64Array, l: Float64Array, k: number): number {
  const inv = cholInverse(l, k);
  return 1 / (norm1(a, k) * norm1(inv, k));
}

function norm1(a: Float64Array, k: number): number {
  let m = 0;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += Math.abs(a[i * k + j]);
    m = Math.max(m, s);
  }
  return m;
}
