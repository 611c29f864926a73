// Direct demeaning when all fixed effects but the largest have few levels together (unit + year on an
// unbalanced panel; worker + firm + year with a few hundred firms): no iteration. With D1 the
// many-level FE (projected out directly: M1 = within its groups) and D2 = [the other FEs' dummies], the
// residual is M1 (x - D2 g) where g solves the small system S g = D2'W M1 x, S = D2'W M1 D2 (the Schur
// complement, K x K for K levels of the other FEs together). S is positive semi-definite: its null space
// is the redundant FE combinations (one per connected component, one per extra FE...), which a Cholesky
// that pins a variable to 0 at each zero pivot leaves out. Per column this costs four passes over the
// rows where conjugate gradients take tens (hundreds on weakly connected worker-firm graphs). The result
// is checked (group sums of the residual ~ 0 for every FE but the first, which is exact by construction)
// and refined; when the check fails the caller goes on with CG.
import type { SampleFactor } from './factors';
import { groupSums } from './linalg';

/** Above this many levels of the smaller FEs together, the dense factorization (K^3 / 6) is not tried. */
export const MAX_SMALL_LEVELS = 2500;
/** A pivot below this share of its diagonal is a redundant level (exact zero up to rounding). */
const PIVOT_TOL = 1e-9;

export class SmallFeSchur {
  private readonly m1: Float64Array; // per many-level group: means
  private readonly s2: Float64Array; // per small level (all small FEs, offset): sums
  private readonly g: Float64Array;
  private readonly y: Float64Array;

  private constructor(
    private readonly cb: Int32Array,
    private readonly cs: Int32Array[],
    private readonly offsets: number[],
    private readonly w: Float64Array | null,
    private readonly invBig: Float64Array,
    private readonly invSmall: Float64Array,
    private readonly L: Float64Array,
    private readonly pinned: Uint8Array,
    nbig: number,
    /** Start row of each many-level group when its rows are contiguous (data sorted by unit), else null. */
    private readonly runStart: Int32Array | null,
  ) {
    const K = invSmall.length;
    this.m1 = new Float64Array(nbig);
    this.s2 = new Float64Array(K);
    this.g = new Float64Array(K);
    this.y = new Float64Array(K);
  }

  private readonly runSums = new Float64Array(3);

  /** Levels of the FEs other than the largest, together (the size of S). */
  static smallLevels(factors: SampleFactor[]): number {
    let big = 0;
    for (let q = 1; q < factors.length; q++) if (factors[q].nlevels > factors[big].nlevels) big = q;
    return factors.reduce((s, f, q) => s + (q === big ? 0 : f.nlevels), 0);
  }

  /**
   * The solver, or null when it does not apply: fewer than two FEs, too many small levels, or groups of
   * the largest FE spread over so many small levels that building S would cost more than iterating.
   */
  static build(factors: SampleFactor[], w: Float64Array | null, invSize: Float64Array[]): SmallFeSchur | null {
    if (factors.length < 2) return null;
    let bq = 0;
    for (let q = 1; q < factors.length; q++) if (factors[q].nlevels > factors[bq].nlevels) bq = q;
    const big = factors[bq];
    const smalls = factors.filter((_, q) => q !== bq);
    const offsets: number[] = [];
    let K = 0;
    for (const f of smalls) {
      offsets.push(K);
      K += f.nlevels;
    }
    if (K > MAX_SMALL_LEVELS || K < 1) return null;
    const invSmall = new Float64Array(K);
    factors.forEach((_, q) => {
      if (q === bq) return;
      const j = q < bq ? q : q - 1;
      invSmall.set(invSize[q], offsets[j]);
    });
    const I = big.nlevels;
    const invBig = invSize[bq];
    const cb = big.codes;
    const cs = smalls.map((f) => f.codes);
    const m = cs.length;
    const n = cb.length;
    // rows grouped by the many-level FE (counting sort)
    const start = new Int32Array(I + 1);
    for (let i = 0; i < n; i++) start[cb[i] + 1]++;
    let cost = 0;
    for (let gi = 0; gi < I; gi++) {
      const d = Math.min(start[gi + 1] * m, K);
      cost += d * d;
      start[gi + 1] += start[gi];
    }
    if (cost > 64 * n + (1 << 22)) return null;
    // codes numbered by first appearance are non-decreasing exactly when each group's rows are contiguous
    let runs = true;
    for (let i = 1; i < n && runs; i++) runs = cb[i] >= cb[i - 1];
    let order: Int32Array;
    if (runs) order = identity(n);
    else {
      order = new Int32Array(n);
      const fill = start.slice(0, I);
      for (let i = 0; i < n; i++) order[fill[cb[i]]++] = i;
    }
    // S = D2'W D2 - sum over groups of c c' / W_group, c = the group's weight on each small level
    const S = new Float64Array(K * K);
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i] : 1;
      for (let p = 0; p < m; p++) {
        const a = offsets[p] + cs[p][i];
        for (let q = 0; q < m; q++) S[a * K + offsets[q] + cs[q][i]] += wi;
      }
    }
    const cell = new Float64Array(K);
    const stamp = new Int32Array(K).fill(-1);
    const levels = new Int32Array(K);
    for (let gi = 0; gi < I; gi++) {
      let d = 0;
      for (let j = start[gi]; j < start[gi + 1]; j++) {
        const i = order[j];
        const wi = w ? w[i] : 1;
        for (let p = 0; p < m; p++) {
          const t = offsets[p] + cs[p][i];
          if (stamp[t] !== gi) {
            stamp[t] = gi;
            cell[t] = 0;
            levels[d++] = t;
          }
          cell[t] += wi;
        }
      }
      const inv = invBig[gi];
      for (let a = 0; a < d; a++) {
        const t = levels[a];
        const ct = cell[t] * inv;
        const row = t * K;
        for (let b = 0; b < d; b++) S[row + levels[b]] -= ct * cell[levels[b]];
      }
    }
    const pinned = new Uint8Array(K);
    if (!semidefiniteCholesky(S, K, pinned)) return null;
    return new SmallFeSchur(cb, cs, offsets, w, invBig, invSmall, S, pinned, I, runs ? start : null);
  }

  /**
   * r = x with every FE projected out (r must not be x). Returns ||r||^2 and the squared norm of r's
   * projections on the small FEs (the check), both in the W norm, and the solves done.
   */
  demean(x: Float64Array, r: Float64Array, tol: number): { rr: number; offRR: number; passes: number } {
    const { cb, m1, w, invBig } = this;
    m1.fill(0);
    groupSums(x, cb, w, m1);
    for (let q = 0; q < m1.length; q++) m1[q] *= invBig[q];
    this.g.fill(0);
    let rr = this.subtract(x, r, -1); // g = 0: r = x - group means
    let offRR = this.offNorm();
    let passes = 0;
    // one solve is exact up to rounding; up to two refinements when S is poorly conditioned
    while (passes < 3 && !(offRR <= (1e-3 * tol) ** 2 * rr)) {
      passes++;
      this.solve();
      // h = group means (many-level FE) of D2 g: M1 D2 g = (D2 g) - h[cb]
      const { cs, offsets, g } = this;
      const mm = cs.length;
      m1.fill(0);
      const n = r.length;
      if (n > 0) {
        let cur = cb[0];
        let acc = 0;
        for (let i = 0; i < n; i++) {
          const ci = cb[i];
          if (ci !== cur) {
            m1[cur] += acc;
            cur = ci;
            acc = 0;
          }
          let v = 0;
          for (let p = 0; p < mm; p++) v += g[offsets[p] + cs[p][i]];
          acc += w ? w[i] * v : v;
        }
        m1[cur] += acc;
      }
      for (let q = 0; q < m1.length; q++) m1[q] *= invBig[q];
      rr = this.subtract(r, r, 1); // r - M1 D2 g = r - D2 g + h
      offRR = this.offNorm();
    }
    return { rr, offRR, passes };
  }

  /** Whether `demeanRuns` applies: two FEs, no weights, and the many-level FE's rows contiguous. */
  get runsApply(): boolean {
    return this.runStart !== null && this.w === null && this.cs.length === 1;
  }

  /**
   * `demean` for rows grouped by the many-level FE (runsApply), each group's rows visited twice while
   * they are in cache: two passes over memory per column instead of four. Pass 1: r = x - group mean,
   * the small-FE sums of r, and the shifted sums for x's centred sum of squares; then g = S^+ sums;
   * pass 2: r -= M1 D2 g (per group: D2 g minus its group mean), with the check sums. Refined (up to two
   * more solves) like `demean`. Returns x's mean and centred sum of squares as well.
   */
  demeanRuns(x: Float64Array, r: Float64Array, tol: number): { rr: number; offRR: number; passes: number; centredSS: number; mean: number } {
    const start = this.runStart!;
    const { cs, invBig, s2, g } = this;
    const sums = this.runSums;
    // each pass is its own function of typed arrays: V8 compiles a hot loop on its own (on-stack), and
    // code after it that has not run yet would throw the optimized code away (deoptimization)
    runsFirstPass(x, r, start, invBig, cs[0], s2, sums);
    let rr = sums[2];
    const n = x.length;
    const centredSS = Math.max(0, sums[1] - (sums[0] * sums[0]) / Math.max(n, 1));
    let offRR = this.offNorm();
    let passes = 0;
    while (passes < 3 && !(offRR <= (1e-3 * tol) ** 2 * rr)) {
      passes++;
      this.solve(s2, g);
      rr = runsSecondPass(r, start, invBig, cs[0], g, s2);
      offRR = this.offNorm();
    }
    return { rr, offRR, passes, centredSS, mean: n ? x[0] + sums[0] / n : 0 };
  }

  /** r = src - (D2 g)[i] + sign * m1[cb[i]], with the small-FE sums of r into s2; returns ||r||^2. */
  private subtract(src: Float64Array, r: Float64Array, sign: 1 | -1): number {
    const { cb, cs, offsets, m1, s2, g, w } = this;
    const mm = cs.length;
    s2.fill(0);
    let rr = 0;
    const n = r.length;
    if (mm === 1) {
      const c = cs[0];
      for (let i = 0; i < n; i++) {
        const t = c[i];
        const v = src[i] - g[t] + sign * m1[cb[i]];
        r[i] = v;
        const wv = w ? w[i] * v : v;
        s2[t] += wv;
        rr += wv * v;
      }
      return rr;
    }
    for (let i = 0; i < n; i++) {
      let v = src[i] + sign * m1[cb[i]];
      for (let p = 0; p < mm; p++) v -= g[offsets[p] + cs[p][i]];
      r[i] = v;
      const wv = w ? w[i] * v : v;
      for (let p = 0; p < mm; p++) s2[offsets[p] + cs[p][i]] += wv;
      rr += wv * v;
    }
    return rr;
  }

  /** Sum over the small FEs of ||P_q r||^2, from the sums in s2. */
  private offNorm(): number {
    const { s2, invSmall } = this;
    let o = 0;
    for (let t = 0; t < s2.length; t++) o += s2[t] * s2[t] * invSmall[t];
    return o;
  }

  /** g = S^+ s2 on the unpinned levels (pinned ones 0), by the factor in L. */
  private solve(s2 = this.s2, g = this.g): void {
    const { L, pinned, y } = this;
    const K = s2.length;
    for (let i = 0; i < K; i++) {
      if (pinned[i]) {
        y[i] = 0;
        continue;
      }
      let s = s2[i];
      const row = i * K;
      for (let j = 0; j < i; j++) s -= L[row + j] * y[j];
      y[i] = s / L[row + i];
    }
    for (let i = K - 1; i >= 0; i--) {
      if (pinned[i]) {
        g[i] = 0;
        continue;
      }
      let s = y[i];
      for (let j = i + 1; j < K; j++) s -= L[j * K + i] * g[j];
      g[i] = s / L[i * K + i];
    }
  }
}

/**
 * Pass 1 of demeanRuns (the small FE's codes c): r = x - its group mean, group by group (start: first
 * row of each group); s2[c] += r; sums = [sum (x - x0), sum (x - x0)^2, sum r^2].
 */
function runsFirstPass(x: Float64Array, r: Float64Array, start: Int32Array, invBig: Float64Array, c: Int32Array, s2: Float64Array, sums: Float64Array): void {
  s2.fill(0);
  const I = invBig.length;
  const k0 = x.length ? x[0] : 0;
  let t1 = 0;
  let t2 = 0;
  let rr = 0;
  for (let gi = 0; gi < I; gi++) {
    const lo = start[gi];
    const hi = start[gi + 1];
    let sum = 0;
    for (let i = lo; i < hi; i++) sum += x[i];
    const mean = sum * invBig[gi];
    for (let i = lo; i < hi; i++) {
      const xi = x[i];
      const v = xi - mean;
      r[i] = v;
      s2[c[i]] += v;
      rr += v * v;
      const d = xi - k0;
      t1 += d;
      t2 += d * d;
    }
  }
  sums[0] = t1;
  sums[1] = t2;
  sums[2] = rr;
}

/** Pass 2 of demeanRuns: r -= M1 D2 g (per group: g[c] less its group mean), s2[c] += r; returns ||r||^2. */
function runsSecondPass(r: Float64Array, start: Int32Array, invBig: Float64Array, c: Int32Array, g: Float64Array, s2: Float64Array): number {
  s2.fill(0);
  const I = invBig.length;
  let rr = 0;
  for (let gi = 0; gi < I; gi++) {
    const lo = start[gi];
    const hi = start[gi + 1];
    let h = 0;
    for (let i = lo; i < hi; i++) h += g[c[i]];
    h *= invBig[gi];
    for (let i = lo; i < hi; i++) {
      const t = c[i];
      const v = r[i] - (g[t] - h);
      r[i] = v;
      s2[t] += v;
      rr += v * v;
    }
  }
  return rr;
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/**
 * In place: the lower Cholesky factor of the positive semi-definite A (row-major K x K), with every
 * variable whose pivot falls to rounding level (a redundant level) pinned: its column zeroed and marked.
 * False when a pivot is clearly negative (A not semi-definite: rounding gone wrong).
 */
export function semidefiniteCholesky(A: Float64Array, K: number, pinned: Uint8Array): boolean {
  const diag = new Float64Array(K);
  let maxDiag = 0;
  for (let j = 0; j < K; j++) maxDiag = Math.max(maxDiag, (diag[j] = A[j * K + j]));
  for (let j = 0; j < K; j++) {
    const rj = j * K;
    let d = A[rj + j];
    for (let k = 0; k < j; k++) d -= A[rj + k] * A[rj + k];
    if (d <= PIVOT_TOL * diag[j]) {
      if (d < -1e-6 * Math.max(diag[j], 1e-300) && diag[j] > 1e-12 * maxDiag) return false;
      pinned[j] = 1;
      for (let i = j; i < K; i++) A[i * K + j] = 0;
      continue;
    }
    const ljj = Math.sqrt(d);
    A[rj + j] = ljj;
    for (let i = j + 1; i < K; i++) {
      const ri = i * K;
      let s = A[ri + j];
      for (let k = 0; k < j; k++) s -= A[ri + k] * A[rj + k];
      A[ri + j] = s / ljj;
    }
  }
  for (let j = 0; j < K; j++) for (let i = 0; i < j; i++) A[i * K + j] = 0;
  return true;
}
