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
import { addCrossProducts, CROSS_CHUNK, groupSums } from './linalg';
import { AdditiveColumns } from './additiveColumns';

/** One column's figures from `SmallFeSchur.demeanRunsMany`: ||r||^2 and the check (W norm), the solves done, x's centred sum of squares and mean. */
export interface RunsColumn {
  rr: number;
  offRR: number;
  passes: number;
  centredSS: number;
  mean: number;
}

export interface RunsDemeaned {
  columns: RunsColumn[];
  cross: Float64Array; // cross products of the demeaned columns (p x p)
  /** The demeaned columns, r = x - A[group] - g[small level] per column (made where read), refined ones stored. */
  demeaned: AdditiveColumns;
}

/** Above this many levels of the smaller FEs together, the dense factorization (K^3 / 6) is not tried. */
export const MAX_SMALL_LEVELS = 2500;
/** A pivot below this share of its diagonal is a redundant level (exact zero up to rounding). */
const PIVOT_TOL = 1e-9;
/** Up to this many levels of a single small FE, S is built from the groups' sets of levels (bitmasks). */
const MAX_PATTERN_LEVELS = 30;
/** Up to this many, the sets are counted in a dense table of 2^K slots (else a Map). */
const DENSE_PATTERN_LEVELS = 16;
/**
 * The first blocks of the passes over the rows are smaller: their loops start in V8's slow tiers and
 * are optimized after some calls; small first calls leave fewer rows to the slow tiers.
 */
const EARLY_BLOCKS = 64;
const EARLY_BLOCK_ROWS = 256;

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
    /** With runStart: group indices cutting the groups into blocks of about CROSS_CHUNK rows (first 0, last the number of groups). */
    private readonly blocks: Int32Array | null,
  ) {
    const K = invSmall.length;
    this.m1 = new Float64Array(nbig);
    this.s2 = new Float64Array(K);
    this.g = new Float64Array(K);
    this.y = new Float64Array(K);
  }

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
    // one small FE, unweighted, few levels: S from the groups' sets of levels (bitmasks), found in the
    // same pass over the rows as the group sizes; otherwise (or when a group has a level twice) group by group
    const patterns = !w && m === 1 && K <= MAX_PATTERN_LEVELS;
    const scan = scanRuns(cb, I, m, K, patterns ? cs[0] : null) ?? scanGroups(cb, I, m, K, patterns ? cs[0] : null);
    if (scan.cost > 64 * n + (1 << 22)) return null;
    const { start, runs, masks } = scan;
    const S = masks ? schurFromPatterns(masks, scan.maskCounts, K) : schurByGroups(cb, cs, offsets, w, invBig, start, runs, K);
    const pinned = new Uint8Array(K);
    if (!semidefiniteCholesky(S, K, pinned)) return null;
    return new SmallFeSchur(cb, cs, offsets, w, invBig, invSmall, S, pinned, I, runs ? start : null, scan.blocks);
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

  /** Whether `demeanRunsMany` applies: two FEs, no weights, and the many-level FE's rows contiguous. */
  get runsApply(): boolean {
    return this.runStart !== null && this.w === null && this.cs.length === 1;
  }

  /**
   * `demean` of several columns for rows grouped by the many-level FE (runsApply), with the cross
   * products of the results. Columns go two at a time through each loop (an odd last one paired with
   * itself), sharing the reads of the codes and the loop overhead. Pass 1 (reads x only): the small-FE
   * sums of x less its group means and the sums for x's mean and centred sum of squares; then
   * g = S^+ sums per column (none when the check already holds: x has no small-FE part). Pass 2, block
   * of groups by block: r = (x - group mean) - (D2 g - its group mean) with the check sums and the
   * pair's own cross products, then the products between pairs while the block is in cache. A column
   * whose check fails is refined in place (up to two more solves) like `demean`, and the cross products
   * are then recomputed. The columns are not stored: pass 2 makes them block by block and keeps, per
   * column, A = group mean less the group mean of D2 g (r = x - A[group] - g[level]: AdditiveColumns).
   */
  demeanRunsMany(xs: Float64Array[], tol: number): RunsDemeaned {
    const start = this.runStart!;
    const { invBig } = this;
    const c = this.cs[0];
    const K = this.invSmall.length;
    const p = xs.length;
    const n = this.cb.length;
    const P = (p + 1) >> 1; // pairs
    const s2s = xs.map(() => new Float64Array(K));
    const gs = xs.map(() => new Float64Array(K));
    const spare = new Float64Array(K);
    const shift = xs.map((x) => (n ? x[0] : 0)); // shifting by the first value avoids cancellation
    // the pairs' members: an odd last column twice (its twin's sums go to spare)
    const pa = (q: number) => 2 * q;
    const pb = (q: number) => Math.min(2 * q + 1, p - 1);
    const s2b = (q: number) => (2 * q + 1 < p ? s2s[2 * q + 1] : spare);
    // block by block like pass 2 (the same blocks, the first ones small): the loop is called many times
    // and V8 optimizes it as a function early on
    const ends = this.blocks!;
    const sums = new Float64Array(6 * P);
    for (let k = 0; k + 1 < ends.length; k++) {
      for (let q = 0; q < P; q++) {
        const a = pa(q);
        runsPairSums(xs[a], xs[pb(q)], shift[a], shift[pb(q)], start, ends[k], ends[k + 1], invBig, c, s2s[a], s2b(q), sums, 6 * q);
      }
    }
    const stats: RunsColumn[] = [];
    for (let q = 0; q < P; q++) {
      const a = pa(q);
      const b = pb(q);
      for (const [j, o] of b === a ? [[a, 6 * q]] : [[a, 6 * q], [b, 6 * q + 3]]) {
        const rr = sums[o + 2];
        const offRR = this.offNorm(s2s[j]);
        let passes = 0;
        if (!(offRR <= (1e-3 * tol) ** 2 * rr)) {
          passes = 1;
          this.solve(s2s[j], gs[j]);
        }
        const centredSS = Math.max(0, rr + sums[o + 1] - (sums[o] * sums[o]) / Math.max(n, 1));
        stats.push({ rr, offRR, passes, centredSS, mean: n ? shift[j] + sums[o] / n : 0 });
      }
    }
    for (const s of s2s) s.fill(0);
    // pass 2: per pair [ra'ra, ra'rb, rb'rb]; per two pairs q < q2 their 2 x 2 products; r made into
    // block-sized buffers, each column's A table kept
    const own = new Float64Array(3 * P);
    const between = new Float64Array(4 * ((P * (P - 1)) >> 1));
    let longest = 0;
    for (let k = 0; k + 1 < ends.length; k++) longest = Math.max(longest, start[ends[k + 1]] - start[ends[k]]);
    const outs = xs.map(() => new Float64Array(longest));
    const As = xs.map(() => new Float64Array(invBig.length));
    const pairCols = Array.from({ length: P }, (_, q) => [outs[pa(q)], outs[pb(q)]]);
    for (let k = 0; k + 1 < ends.length; k++) {
      const g0 = ends[k];
      const g1 = ends[k + 1];
      for (let q = 0; q < P; q++) {
        const a = pa(q);
        const b = pb(q);
        runsPairFinal(xs[a], xs[b], shift[a], shift[b], outs[a], outs[b], As[a], As[b], start, g0, g1, invBig, c, gs[a], gs[b], s2s[a], s2b(q), own, 3 * q);
      }
      if (P > 1) {
        const m = start[g1] - start[g0];
        let z = 0;
        for (let q = 0; q < P; q++) for (let q2 = q + 1; q2 < P; q2++, z += 4) addCrossProducts(pairCols[q], pairCols[q2], null, 0, m, false, between.subarray(z, z + 4));
      }
    }
    const demeaned = new AdditiveColumns(xs, [this.cb, c], xs.map((_, j) => [As[j], gs[j]]));
    const cross = new Float64Array(p * p);
    const put = (i: number, j: number, v: number) => {
      cross[i * p + j] = v;
      cross[j * p + i] = v;
    };
    let z = 0;
    for (let q = 0; q < P; q++) {
      put(pa(q), pa(q), own[3 * q]);
      put(pa(q), pb(q), own[3 * q + 1]);
      put(pb(q), pb(q), own[3 * q + 2]);
      for (let q2 = q + 1; q2 < P; q2++, z += 4) {
        put(pa(q), pa(q2), between[z]);
        put(pa(q), pb(q2), between[z + 1]);
        put(pb(q), pa(q2), between[z + 2]);
        put(pb(q), pb(q2), between[z + 3]);
      }
    }
    let refined = false;
    for (let j = 0; j < p; j++) {
      const st = stats[j];
      st.rr = cross[j * p + j];
      st.offRR = this.offNorm(s2s[j]);
      if (st.passes > 0 && st.passes < 3 && !(st.offRR <= (1e-3 * tol) ** 2 * st.rr)) {
        // refined in place on the column stored whole (its tables no longer tell all of it)
        const r = demeaned.column(j);
        const g = new Float64Array(K);
        while (st.passes > 0 && st.passes < 3 && !(st.offRR <= (1e-3 * tol) ** 2 * st.rr)) {
          st.passes++;
          this.solve(s2s[j], g);
          st.rr = runsSecondPass(r, start, invBig, c, g, s2s[j]);
          st.offRR = this.offNorm(s2s[j]);
        }
        refined = true;
      }
    }
    if (refined) cross.set(demeaned.cross());
    return { columns: stats, cross, demeaned };
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
  private offNorm(s2 = this.s2): number {
    const { invSmall } = this;
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
 * Pass 1 of demeanRunsMany for two columns over groups g0..g1-1 (reads only; c: the small FE's codes,
 * start: first row of each group, ka/kb: the shifts). With d = x - k and v = x - its group mean:
 * s2[c] += v, and sums[at..at+5] += [sum d, sum over groups of (sum d)^2 / n_group, sum v^2] for a,
 * then the same for b. The totals are stored group by group, nothing after the loop: V8 compiles a hot
 * loop on its own (on-stack replacement) during the first calls, and code after it that has not run by
 * then (no type feedback) would throw that code away at the end of every call until the whole function
 * is compiled.
 */
function runsPairSums(xa: Float64Array, xb: Float64Array, ka: number, kb: number, start: Int32Array, g0: number, g1: number, invBig: Float64Array, c: Int32Array, s2a: Float64Array, s2b: Float64Array, sums: Float64Array, at: number): void {
  const a0 = sums[at], a1 = sums[at + 1], a2 = sums[at + 2], b0 = sums[at + 3], b1 = sums[at + 4], b2 = sums[at + 5];
  let sa = 0, qa = 0, ra = 0;
  let sb = 0, qb = 0, rb = 0;
  for (let gi = g0; gi < g1; gi++) {
    const lo = start[gi];
    const hi = start[gi + 1];
    let da = 0;
    let db = 0;
    for (let i = lo; i < hi; i++) {
      da += xa[i] - ka;
      db += xb[i] - kb;
    }
    const inv = invBig[gi];
    const ma = ka + da * inv;
    const mb = kb + db * inv;
    sa += da;
    qa += da * da * inv;
    sb += db;
    qb += db * db * inv;
    for (let i = lo; i < hi; i++) {
      const t = c[i];
      const va = xa[i] - ma;
      const vb = xb[i] - mb;
      s2a[t] += va;
      s2b[t] += vb;
      ra += va * va;
      rb += vb * vb;
    }
    sums[at] = a0 + sa;
    sums[at + 1] = a1 + qa;
    sums[at + 2] = a2 + ra;
    sums[at + 3] = b0 + sb;
    sums[at + 4] = b1 + qb;
    sums[at + 5] = b2 + rb;
  }
}

/**
 * Pass 2 of demeanRunsMany for two columns over groups g0..g1-1 (xb may be xa with rb = ra):
 * r = x - A[group] - g[c] with A = (x's group mean) - (g[c]'s group mean) kept in Aa/Ab, into ra/rb
 * from row start[g0] on (block buffers); s2[c] += r, and [ra'ra, ra'rb, rb'rb] over these rows added to
 * acc[at..at+2] (group by group, see runsPairSums).
 */
function runsPairFinal(xa: Float64Array, xb: Float64Array, ka: number, kb: number, ra: Float64Array, rb: Float64Array, Aa: Float64Array, Ab: Float64Array, start: Int32Array, g0: number, g1: number, invBig: Float64Array, c: Int32Array, ga: Float64Array, gb: Float64Array, s2a: Float64Array, s2b: Float64Array, acc: Float64Array, at: number): void {
  const acc0 = acc[at], acc1 = acc[at + 1], acc2 = acc[at + 2];
  const off = start[g0];
  let aa = 0, ab = 0, bb = 0;
  for (let gi = g0; gi < g1; gi++) {
    const lo = start[gi];
    const hi = start[gi + 1];
    let da = 0, db = 0, ha = 0, hb = 0;
    for (let i = lo; i < hi; i++) {
      const t = c[i];
      da += xa[i] - ka;
      db += xb[i] - kb;
      ha += ga[t];
      hb += gb[t];
    }
    const inv = invBig[gi];
    const A = ka + da * inv - ha * inv;
    const B = kb + db * inv - hb * inv;
    Aa[gi] = A;
    Ab[gi] = B;
    for (let i = lo; i < hi; i++) {
      const t = c[i];
      const va = xa[i] - A - ga[t];
      const vb = xb[i] - B - gb[t];
      ra[i - off] = va;
      rb[i - off] = vb;
      s2a[t] += va;
      s2b[t] += vb;
      aa += va * va;
      ab += va * vb;
      bb += vb * vb;
    }
    acc[at] = acc0 + aa;
    acc[at + 1] = acc1 + ab;
    acc[at + 2] = acc2 + bb;
  }
}

/** A refinement of demeanRunsMany: r -= M1 D2 g (per group: g[c] less its group mean), s2[c] += r; returns ||r||^2. */
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

/** What one pass over the many-level FE's codes (and the small FE's, for the sets of levels) finds. */
interface GroupScan {
  /** First row of each group in the rows ordered by group; start[I] = n. */
  start: Int32Array;
  /** Each group's rows contiguous (codes non-decreasing). */
  runs: boolean;
  /** Sum over groups of min(rows * small FEs, K)^2: the work of building S group by group. */
  cost: number;
  /** Per group its set of small-FE levels as a bitmask; null without the small FE's codes or when some group has a level twice. */
  masks: Int32Array | null;
  /** With masks and K <= DENSE_PATTERN_LEVELS, possibly: the number of groups per mask (2^K slots). */
  maskCounts: Int32Array | null;
  /** With runs: group indices cutting the groups into blocks of about CROSS_CHUNK rows (the first ones smaller). */
  blocks: Int32Array | null;
}

/**
 * The GroupScan of rows grouped by the many-level FE (a panel sorted by unit) in one pass, everything
 * about a group accumulated in registers while its code repeats and settled when it changes; null
 * (nothing found) as soon as a code is below the one before (rows not grouped, or not in code order).
 * m: the number of small FEs; c: the small FE's codes when masks are wanted (K <= MAX_PATTERN_LEVELS).
 */
function scanRuns(cb: Int32Array, I: number, m: number, K: number, c: Int32Array | null): GroupScan | null {
  const n = cb.length;
  const start = new Int32Array(I + 1);
  const masks = c ? new Int32Array(I) : null;
  const counts = c && K <= DENSE_PATTERN_LEVELS ? new Int32Array(1 << K) : null;
  const ends: number[] = [0];
  let cost = 0;
  let dup = 0;
  if (n > 0) {
    let cur = cb[0];
    let lo = 0; // first row of the current group
    let blockLo = 0; // first row of the current block
    let mk = 0;
    for (let i = 0; i <= n; i++) {
      const gi = i < n ? cb[i] : I;
      if (gi !== cur) {
        if (gi < cur) return null;
        // settle group cur (rows lo..i-1); groups cur+1..gi-1 have no rows
        for (let g = cur; g < gi; g++) start[g + 1] = i;
        const d = Math.min((i - lo) * m, K);
        cost += d * d;
        if (masks) masks[cur] = mk;
        if (counts) counts[mk]++;
        if (i - blockLo > (ends.length <= EARLY_BLOCKS ? EARLY_BLOCK_ROWS : CROSS_CHUNK) && cur > ends[ends.length - 1]) {
          ends.push(cur);
          blockLo = lo;
        }
        cur = gi;
        lo = i;
        mk = 0;
        if (i === n) break;
      }
      if (c) {
        const b = 1 << c[i];
        dup |= mk & b;
        mk |= b;
      }
    }
  }
  if (I > 0) ends.push(I);
  const ok = dup === 0;
  return { start, runs: true, cost, masks: ok ? masks : null, maskCounts: ok ? counts : null, blocks: Int32Array.from(ends) };
}

/** The GroupScan of rows in any order (counting sort; several passes), without blocks. */
function scanGroups(cb: Int32Array, I: number, m: number, K: number, c: Int32Array | null): GroupScan {
  const n = cb.length;
  const start = new Int32Array(I + 1);
  const masks = c ? new Int32Array(I) : null;
  let runs = true;
  let dup = 0;
  for (let i = 0; i < n; i++) {
    const gi = cb[i];
    start[gi + 1]++;
    if (i > 0 && gi < cb[i - 1]) runs = false;
    if (masks && c) {
      const b = 1 << c[i];
      dup |= masks[gi] & b;
      masks[gi] |= b;
    }
  }
  let cost = 0;
  for (let gi = 0; gi < I; gi++) {
    const d = Math.min(start[gi + 1] * m, K);
    cost += d * d;
    start[gi + 1] += start[gi];
  }
  return { start, runs, cost, masks: dup === 0 ? masks : null, maskCounts: null, blocks: null };
}

/**
 * S = D2'D2 - sum over groups of c c' / n_group for one small FE of K <= MAX_PATTERN_LEVELS levels and no
 * weights, when no group has a level twice: each group's c is then the 0/1 indicator of its set of
 * levels (masks, from scanRuns or scanGroups; maskCounts: groups per mask when counted there), and
 * groups with the same set contribute alike. Each distinct set (at
 * most 2^K, in practice a few hundred) is added once, in place of a scattered K x K update per group.
 */
function schurFromPatterns(masks: Int32Array, maskCounts: Int32Array | null, K: number): Float64Array {
  const I = masks.length;
  // the distinct masks with their counts
  const distinct: number[] = [];
  const count: number[] = [];
  if (maskCounts || K <= DENSE_PATTERN_LEVELS) {
    let counts = maskCounts;
    if (!counts) {
      counts = new Int32Array(1 << K);
      for (let gi = 0; gi < I; gi++) counts[masks[gi]]++;
    }
    for (let mk = 1; mk < counts.length; mk++) {
      if (counts[mk] === 0) continue;
      distinct.push(mk);
      count.push(counts[mk]);
    }
  } else {
    const slot = new Map<number, number>();
    for (let gi = 0; gi < I; gi++) {
      const mk = masks[gi];
      const k = slot.get(mk);
      if (k === undefined) {
        slot.set(mk, distinct.length);
        distinct.push(mk);
        count.push(1);
      } else count[k]++;
    }
  }
  const S = new Float64Array(K * K);
  const levels = new Int32Array(K);
  // D2'D2: rows per level
  for (let k = 0; k < distinct.length; k++) {
    const mk = distinct[k];
    for (let t = 0; t < K; t++) if (mk & (1 << t)) S[t * K + t] += count[k];
  }
  for (let k = 0; k < distinct.length; k++) {
    const mk = distinct[k];
    let d = 0;
    for (let t = 0; t < K; t++) if (mk & (1 << t)) levels[d++] = t;
    if (d === 0) continue; // a group with no rows
    const f = count[k] / d;
    for (let a = 0; a < d; a++) {
      const row = levels[a] * K;
      for (let b = 0; b < d; b++) S[row + levels[b]] -= f;
    }
  }
  return S;
}

/**
 * S = D2'W D2 - sum over groups of c c' / W_group, c = the group's weight on each small level, group by
 * group (start: first position of each group in the rows ordered by group; runs: rows already so ordered).
 */
function schurByGroups(cb: Int32Array, cs: Int32Array[], offsets: number[], w: Float64Array | null, invBig: Float64Array, start: Int32Array, runs: boolean, K: number): Float64Array {
  const n = cb.length;
  const m = cs.length;
  const I = invBig.length;
  let order: Int32Array | null = null;
  if (!runs) {
    order = new Int32Array(n);
    const fill = start.slice(0, I);
    for (let i = 0; i < n; i++) order[fill[cb[i]]++] = i;
  }
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
      const i = order ? order[j] : j;
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
  return S;
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
