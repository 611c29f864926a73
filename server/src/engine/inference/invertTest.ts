// Confidence intervals by inverting a bootstrap test: the set of null values r whose p-value is at least
// alpha. Two bounds are computed:
// - fwildclusterboot's (R/invert_p_val.R, reproduced so that the numbers agree): starting points
//   beta -/+ (j/10)^2 |peak| (j = 1..100) until p < alpha, a 26-point grid between them, then Brent's
//   root finder (R's uniroot / zeroin, tol 1e-6, 10 iterations) on the step function p(r) - alpha in the
//   two grid intervals where p crosses alpha. It stops within ~1e-6..1e-5 of the exact crossing.
// - the exact crossing: bisection to machine precision on a continuous function whose sign is that of
//   p(r) - alpha (see wildBootstrap.ts), from the same starting bracket.

const EPS = 2.220446049250313e-16;

/**
 * Brent's root finder as R's zeroin2 (src/library/stats/src/zeroin.c) runs it: fa = f(a), fb = f(b) of
 * opposite signs; returns the last iterate b, converged or not (uniroot returns it either way).
 */
export function zeroinR(f: (x: number) => number, ax: number, bx: number, fax: number, fbx: number, tol: number, maxit: number): number {
  let a = ax;
  let b = bx;
  let fa = fax;
  let fb = fbx;
  let c = a;
  let fc = fa;
  if (fa === 0) return a;
  if (fb === 0) return b;
  let left = maxit + 1;
  while (left--) {
    const prevStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b; b = c; c = a;
      fa = fb; fb = fc; fc = fa;
    }
    const tolAct = 2 * EPS * Math.abs(b) + tol / 2;
    let newStep = (c - b) / 2;
    if (Math.abs(newStep) <= tolAct || fb === 0) return b;
    if (Math.abs(prevStep) >= tolAct && Math.abs(fa) > Math.abs(fb)) {
      const cb = c - b;
      let p: number;
      let q: number;
      if (a === c) {
        const t1 = fb / fa;
        p = cb * t1;
        q = 1 - t1;
      } else {
        q = fa / fc;
        const t1 = fb / fc;
        const t2 = fb / fa;
        p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1));
        q = (q - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (p < 0.75 * cb * q - Math.abs(tolAct * q) / 2 && p < Math.abs((prevStep * q) / 2)) newStep = p / q;
    }
    if (Math.abs(newStep) < tolAct) newStep = newStep > 0 ? tolAct : -tolAct;
    a = b;
    fa = fb;
    b += newStep;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  return b;
}

/** R's seq(from, to, by = (to - from) / 25): from + i by, i = 0..25, clipped at `to`. */
function grid26(from: number, to: number): number[] {
  const by = Math.abs(to - from) / 25;
  const n = Math.trunc((to - from) / by + 1e-10);
  const out: number[] = [];
  for (let i = 0; i <= n; i++) out.push(Math.min(from + i * by, to));
  return out;
}

export interface InvertedInterval {
  low: number | null;
  high: number | null;
}

/**
 * fwildclusterboot's interval: `p(r)` the bootstrap p-value at null r, `beta` the estimate, `peak` the
 * starting scale (|beta - r0|). Null bounds when its procedure fails (no crossing found).
 */
export function fwildclusterbootInterval(p: (r: number) => number, beta: number, peak: number, alpha: number): InvertedInterval {
  const start = (dir: 1 | -1): { r: number; p: number } => {
    let r = beta;
    let pr = 1;
    for (let j = 1; j <= 100; j++) {
      r = beta + dir * ((j / 10) ** 2) * peak;
      pr = p(r);
      if (pr < alpha) break;
    }
    return { r, p: pr };
  };
  const lo = start(-1);
  const hi = start(1);
  if (!(lo.p < alpha && hi.p < alpha)) return { low: null, high: null };
  const xs = grid26(Math.min(lo.r, hi.r), Math.max(lo.r, hi.r));
  const ps = xs.map((x, i) => (i === 0 ? lo.p : i === xs.length - 1 ? hi.p : p(x)));
  // +1 where p <= alpha, -1 above; a point is flagged when the sign changes next to it
  const cross = ps.map((v) => (v <= alpha ? 1 : -1));
  const flagged: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const next = i + 1 < xs.length && cross[i] + cross[i + 1] === 0;
    const prev = i > 0 && cross[i] + cross[i - 1] === 0;
    if (next || prev) flagged.push(i);
  }
  const root = (i: number, j: number): number | null => {
    if (i === undefined || j === undefined) return null;
    const a = Math.min(xs[i], xs[j]);
    const b = Math.max(xs[i], xs[j]);
    const g = (r: number): number => p(r) - alpha;
    const fa = g(a);
    const fb = g(b);
    if (fa * fb > 0) return null; // uniroot: "values at end points not of opposite sign"
    return zeroinR(g, a, b, fa, fb, 1e-6, 10);
  };
  return { low: root(flagged[0], flagged[1]), high: root(flagged[2], flagged[3]) };
}

/**
 * The exact bounds: `inside(r)` > 0 where p(r) >= alpha, <= 0 where p(r) < alpha, continuous in r.
 * Steps out from beta by se, 2 se, 4 se ... and bisects the first bracket to machine precision.
 */
export function exactInterval(inside: (r: number) => number, beta: number, se: number): InvertedInterval {
  const bound = (dir: 1 | -1): number | null => {
    let a = beta;
    let b = NaN;
    let step = se > 0 ? se : Math.abs(beta) || 1;
    for (let i = 0; i < 80; i++) {
      const r = beta + dir * step;
      if (!(inside(r) > 0)) {
        b = r;
        break;
      }
      a = r;
      step *= 2;
    }
    if (Number.isNaN(b)) return null;
    for (let i = 0; i < 200; i++) {
      const mid = 0.5 * (a + b);
      if (mid === a || mid === b) break;
      if (inside(mid) > 0) a = mid;
      else b = mid;
    }
    return 0.5 * (a + b);
  };
  return { low: bound(-1), high: bound(1) };
}
