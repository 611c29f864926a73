// Exact demeaning for two fixed effects when one of them has few levels (unit + year on an unbalanced
// panel, the usual case): no iteration. With D1 the many-level FE (projected out directly, M1 = within
// its groups) and D2 the few-level one, the residual is M1 (x - D2 g) where g solves the small system
// S g = D2'W M1 x, S = D2'W M1 D2 (the Schur complement; T x T for T levels of FE 2). S is singular: its
// null space is the indicator of each connected component of the two FEs' graph, so g is pinned to 0 at
// one level per component and the rest is positive definite (Cholesky). Per column this costs four
// passes over the rows, against tens for conjugate gradients; the result is checked (FE 2 group sums of
// the residual ~ 0, as the sweep's check) and refined, or left to CG when the check fails.
import type { SampleFactor } from './factors';
import { cholesky, cholSolve } from './linalg';
import { groupSums, subtractAndSum } from './demean';

/** FE 2 levels above this: the dense Cholesky (T^3 / 6) would cost more than iterating. */
const MAX_SMALL_LEVELS = 1000;

export class TwoWaySchur {
  private readonly cb: Int32Array; // many-level FE codes
  private readonly cs: Int32Array; // few-level FE codes
  private readonly m1: Float64Array; // per many-level group: means
  private readonly s2: Float64Array; // per few-level group: sums
  private readonly g: Float64Array;
  private readonly free: Int32Array; // position of each few-level in the reduced system, -1 for the pinned ones
  private readonly k: number;

  private constructor(
    big: SampleFactor,
    small: SampleFactor,
    private readonly w: Float64Array | null,
    private readonly invBig: Float64Array,
    private readonly invSmall: Float64Array,
    private readonly chol: Float64Array,
    free: Int32Array,
    k: number,
  ) {
    this.cb = big.codes;
    this.cs = small.codes;
    this.m1 = new Float64Array(big.nlevels);
    this.s2 = new Float64Array(small.nlevels);
    this.g = new Float64Array(small.nlevels);
    this.free = free;
    this.k = k;
  }

  /**
   * The solver for factors a, b (and their 1 / group weights), or null when it does not apply or
   * would not pay: FE 2 has too many levels, or the many-level groups spread over so many FE 2 levels
   * that building S costs more than a few passes.
   */
  static build(a: SampleFactor, b: SampleFactor, w: Float64Array | null, invA: Float64Array, invB: Float64Array): TwoWaySchur | null {
    const [big, small, invBig, invSmall] = a.nlevels >= b.nlevels ? [a, b, invA, invB] : [b, a, invB, invA];
    const T = small.nlevels;
    const I = big.nlevels;
    const n = big.codes.length;
    if (T > MAX_SMALL_LEVELS || T < 2) return null;
    // rows grouped by the many-level FE (counting sort)
    const start = new Int32Array(I + 1);
    const cb = big.codes;
    const cs = small.codes;
    for (let i = 0; i < n; i++) start[cb[i] + 1]++;
    let cost = 0;
    for (let g = 0; g < I; g++) {
      const c = start[g + 1];
      cost += Math.min(c, T) * Math.min(c, T);
      start[g + 1] += start[g];
    }
    if (cost > 64 * n + (1 << 20)) return null;
    const order = new Int32Array(n);
    const fill = start.slice(0, I);
    for (let i = 0; i < n; i++) order[fill[cb[i]]++] = i;
    // S = diag(W_t) - sum over groups of c c' / W_group, c = the group's weight on each FE 2 level
    const S = new Float64Array(T * T);
    const cell = new Float64Array(T);
    const stamp = new Int32Array(T).fill(-1);
    const levels = new Int32Array(T);
    // union-find over FE 2 levels: two levels in one group are connected
    const parent = new Int32Array(T);
    for (let t = 0; t < T; t++) parent[t] = t;
    const find = (x: number): number => {
      while (parent[x] !== x) x = parent[x] = parent[parent[x]];
      return x;
    };
    for (let g = 0; g < I; g++) {
      let d = 0;
      for (let j = start[g]; j < start[g + 1]; j++) {
        const i = order[j];
        const t = cs[i];
        if (stamp[t] !== g) {
          stamp[t] = g;
          cell[t] = 0;
          levels[d++] = t;
        }
        cell[t] += w ? w[i] : 1;
      }
      const inv = invBig[g];
      for (let p = 0; p < d; p++) {
        const t = levels[p];
        const ct = cell[t] * inv;
        for (let q = 0; q < d; q++) S[t * T + levels[q]] -= ct * cell[levels[q]];
        if (p > 0) {
          const r1 = find(levels[0]);
          const r2 = find(t);
          if (r1 !== r2) parent[r2] = r1;
        }
      }
    }
    for (let t = 0; t < T; t++) S[t * T + t] += invSmall[t] > 0 ? 1 / invSmall[t] : 0;
    // pin the first level of each component
    const free = new Int32Array(T).fill(-1);
    const pinned = new Uint8Array(T);
    let k = 0;
    for (let t = 0; t < T; t++) {
      const r = find(t);
      if (!pinned[r]) pinned[r] = 1;
      else free[t] = k++;
    }
    if (k === 0) return null;
    const A = new Float64Array(k * k);
    for (let t = 0; t < T; t++) {
      const ft = free[t];
      if (ft < 0) continue;
      for (let s = 0; s < T; s++) if (free[s] >= 0) A[ft * k + free[s]] = S[t * T + s];
    }
    if (!cholesky(A, k)) return null; // not positive definite in floating point: iterate instead
    return new TwoWaySchur(big, small, w, invBig, invSmall, A, free, k);
  }

  /**
   * r = x with both FEs projected out (r may be x's pool twin, not x itself). Returns ||r||^2 and the
   * squared norm of r's projection on FE 2 (the check), both in the W norm, and the refinement passes.
   */
  demean(x: Float64Array, r: Float64Array, tol: number): { rr: number; offRR: number; passes: number } {
    const { cb, cs, m1, s2, w, invBig } = this;
    // r = M1 x, with FE 2 sums of r in the same pass
    m1.fill(0);
    groupSums(x, cb, w, m1);
    for (let g = 0; g < m1.length; g++) m1[g] *= invBig[g];
    s2.fill(0);
    let rr = subtractAndSum(x, r, cb, m1, cs, w, s2);
    let offRR = this.offNorm();
    let passes = 0;
    // one solve is exact up to rounding; up to two refinements when S is poorly conditioned
    while (passes < 3 && !(offRR <= (1e-3 * tol) ** 2 * rr)) {
      passes++;
      rr = this.subtractSolved(r);
      offRR = this.offNorm();
    }
    return { rr, offRR, passes };
  }

  /** ||P2 r||^2 from the FE 2 sums in s2. */
  private offNorm(): number {
    const { s2, invSmall } = this;
    let o = 0;
    for (let t = 0; t < s2.length; t++) o += s2[t] * s2[t] * invSmall[t];
    return o;
  }

  /** Solves S g = s2 and sets r <- r - M1 D2 g (two passes), leaving r's new FE 2 sums in s2. */
  private subtractSolved(r: Float64Array): number {
    const { cb, cs, m1, s2, g, w, invBig, free, k } = this;
    const rhs = new Float64Array(k);
    for (let t = 0; t < free.length; t++) if (free[t] >= 0) rhs[free[t]] = s2[t];
    const sol = cholSolve(this.chol, k, rhs);
    for (let t = 0; t < free.length; t++) g[t] = free[t] >= 0 ? sol[free[t]] : 0;
    // h = group means (many-level FE) of g over the rows: M1 D2 g = g[cs] - h[cb]
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
        acc += w ? w[i] * g[cs[i]] : g[cs[i]];
      }
      m1[cur] += acc;
    }
    for (let q = 0; q < m1.length; q++) m1[q] *= invBig[q];
    s2.fill(0);
    let rr = 0;
    for (let i = 0; i < n; i++) {
      const v = r[i] - (g[cs[i]] - m1[cb[i]]);
      r[i] = v;
      const wv = w ? w[i] * v : v;
      s2[cs[i]] += wv;
      rr += wv * v;
    }
    return rr;
  }
}
