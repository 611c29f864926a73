// One forward sweep (subtract the group means of FE 1, then of FE 2 from what is left, ... FE Q) of
// several columns at once, unweighted, with what the caller needs next from the same passes.
//
// The sweep's result is r = x - a_1[c_1] - ... - a_Q[c_Q], where a_q holds FE q's group means of
// x - a_1[c_1] - ... - a_{q-1}[c_{q-1}]: each table comes from one pass that reads x and the codes, so no
// intermediate column is stored. The rows are taken block by block and the columns two at a time within
// a block (one read of the codes and one cache line of each interleaved table for both), so the codes
// come from memory once per pass for all columns. The last pass makes r block by block (the caller
// keeps the tables, not r: AdditiveColumns), the check sums (group sums
// of r for FE 1..Q-1: the sweep is exact iff they vanish) and the cross products: within a pair in the
// kernel's registers, between pairs from the block while it is in cache. When FE 1's rows are contiguous
// (a panel sorted by unit) its means are complete at the end of each block, so the first pass also
// gives FE 2's sums: Q passes over x in all (the column-by-column sweep makes Q read-write passes over
// r per column, and the cross products one more).
//
// The arithmetic is the column-by-column sweep's (FixedEffects.forwardSweep), operation by operation
// (group sums may add in another order).
import { addCrossProducts, CROSS_CHUNK } from './linalg';

/** A fixed effect as the sweep uses it: codes 0..k-1 (no missing) and 1 / (rows per level), 0 for an empty level. */
export interface SweepFactor {
  codes: Int32Array;
  inv: Float64Array;
}

export interface FusedSweep {
  /** Per column, per FE (in the sweep's order): its table a_q, so that r = x - a_1[c_1] - ... - a_Q[c_Q] (AdditiveColumns). */
  effects: Float64Array[][];
  /** Per column: sum over FE 1..Q-1 of ||P_q r||^2 (FE Q's group sums of r are zero by construction). */
  offRR: Float64Array;
  cross: Float64Array; // r_a'r_b (p x p); its diagonal is ||r||^2
  centredSS: Float64Array; // per column: sum of squares about its mean, before the sweep
  means: Float64Array; // per column: x[0] + sum (x - x[0]) / n
}

export function fusedForwardSweep(xs: Float64Array[], fes: SweepFactor[]): FusedSweep {
  if (!warmedUp[Math.min(fes.length, 4)]) warmUp(Math.min(fes.length, 4));
  return sweep(xs, fes);
}

/** (The kernels below take the columns two at a time: one read of the codes, one cache line of each table for both.) */
function sweep(xs: Float64Array[], fes: SweepFactor[]): FusedSweep {
  const p = xs.length;
  const Q = fes.length;
  if (Q < 2) throw new RangeError('fusedForwardSweep needs two or more fixed effects');
  const n = fes[0].codes.length;
  for (const x of xs) if (x.length !== n) throw new RangeError(`column has ${x.length} rows, expected ${n}`);
  const codes = fes.map((f) => f.codes);
  const c0 = codes[0];
  const c1 = codes[1];
  // pair k: columns 2k and 2k+1; an odd last column is paired with itself (its twin writes the same values)
  const m = (p + 1) >> 1;
  const px = (k: number) => xs[2 * k];
  const py = (k: number) => xs[Math.min(2 * k + 1, p - 1)];
  const rx = (k: number) => out[2 * k];
  const ry = (k: number) => out[Math.min(2 * k + 1, p - 1)];
  // tables[q][k]: FE q's group sums, then means, of pair k, interleaved (x, y per level)
  const tables = fes.map((f) => Array.from({ length: m }, () => new Float64Array(2 * f.inv.length)));
  // blocks end where FE 1's code changes: when its rows are contiguous, each block holds whole groups
  const blocks = rowBlocks(n, c0);
  const nb = blocks.length - 1;
  // r is made block by block (never stored whole: see AdditiveColumns), into these
  let longest = 0;
  for (let b = 0; b < nb; b++) longest = Math.max(longest, blocks[b + 1] - blocks[b]);
  const out = xs.map(() => new Float64Array(longest));
  const moments = new Float64Array(4 * m); // per pair: sum (x - x[0]), its squares, the same for y
  const shift = xs.map((x) => (n ? x[0] : 0));

  // pass 1: FE 1's sums (and the moments); with contiguous FE 1 (a panel sorted by unit), FE 2's sums
  // of x - a_1 as well. Contiguity is taken for granted and checked on the way (codes numbered in order
  // of first appearance are contiguous iff each change of code is to the next one); if it fails, the
  // pass starts over without it.
  const inv0 = fes[0].inv;
  let runs = n > 0 && c0[0] === 0;
  for (let b = 0; b < nb && runs; b++) {
    const lo = blocks[b];
    const hi = blocks[b + 1];
    if (b > 0 && c0[lo] !== c0[lo - 1] + 1) runs = false;
    for (let k = 0; k < m && runs; k++) {
      const a0 = tables[0][k];
      if (!sumsAndMoments(px(k), py(k), c0, lo, hi, a0, moments, k)) runs = false;
      else {
        // the block holds whole groups: their means are final
        scale(a0, inv0, c0[lo], c0[hi - 1] + 1);
        residualSums1(px(k), py(k), lo, hi, a0, c0, tables[1][k], c1);
      }
    }
  }
  if (!runs) {
    for (const t of tables[0]) t.fill(0);
    for (const t of tables[1]) t.fill(0);
    moments.fill(0);
    for (let b = 0; b < nb; b++) for (let k = 0; k < m; k++) sumsAndMoments(px(k), py(k), c0, blocks[b], blocks[b + 1], tables[0][k], moments, k);
    for (const t of tables[0]) scale(t, inv0, 0, inv0.length);
    for (let b = 0; b < nb; b++) for (let k = 0; k < m; k++) residualSums1(px(k), py(k), blocks[b], blocks[b + 1], tables[0][k], c0, tables[1][k], c1);
  }
  for (const t of tables[1]) scale(t, fes[1].inv, 0, fes[1].inv.length);
  // passes for FE 3..Q: sums of x less the tables so far
  for (let q = 2; q < Q; q++) {
    for (let b = 0; b < nb; b++) {
      for (let k = 0; k < m; k++) {
        if (q === 2) residualSums2(px(k), py(k), blocks[b], blocks[b + 1], tables[0][k], c0, tables[1][k], c1, tables[2][k], codes[2]);
        else residualSumsK(px(k), py(k), blocks[b], blocks[b + 1], tables, codes, k, q);
      }
    }
    for (const t of tables[q]) scale(t, fes[q].inv, 0, fes[q].inv.length);
  }

  // last pass: r, the check sums of FE 1..Q-1 and the cross products
  // with contiguous FE 1 (Q = 2, 3) each group lies in one block, and its check sum goes straight into
  // offRR (`whole`): no table of FE 1's sums
  const whole = runs && Q <= 3;
  const none = new Float64Array(2);
  const check = fes.slice(0, Q - 1).map((f, q) => Array.from({ length: m }, () => (q === 0 && whole ? none : new Float64Array(2 * f.inv.length))));
  const off = new Float64Array(2 * m); // per pair: FE 1's part of offRR when `whole`
  // products within a pair come from the kernels (3 per pair: xx, xy, yy); between pairs, from the
  // block while it is in cache
  const within = new Float64Array(3 * m);
  const between = pairBlocks(out, m, p);
  for (let b = 0; b < nb; b++) {
    const lo = blocks[b];
    const hi = blocks[b + 1];
    for (let k = 0; k < m; k++) {
      const t = tables;
      if (Q === 2) finalResidual2(px(k), py(k), rx(k), ry(k), lo, hi, t[0][k], c0, t[1][k], c1, check[0][k], whole, inv0, off, within, k);
      else if (Q === 3) finalResidual3(px(k), py(k), rx(k), ry(k), lo, hi, t[0][k], c0, t[1][k], c1, t[2][k], codes[2], check[0][k], check[1][k], whole, inv0, off, within, k);
      else finalResidualK(px(k), py(k), rx(k), ry(k), lo, hi, tables, codes, k, check, within);
    }
    for (const e of between) addCrossProducts(e.xs, e.ys, null, 0, hi - lo, false, e.out);
  }
  const cross = new Float64Array(p * p);
  for (let k = 0; k < m; k++) {
    const a = 2 * k;
    cross[a * p + a] = within[3 * k];
    if (a + 1 < p) {
      cross[a * p + a + 1] = cross[(a + 1) * p + a] = within[3 * k + 1];
      cross[(a + 1) * p + a + 1] = within[3 * k + 2];
    }
  }
  for (const e of between) {
    // rows: the pair's columns; columns: every later column
    for (let u = 0; u < e.xs.length; u++)
      for (let v = 0; v < e.ys.length; v++) cross[(e.row + u) * p + e.col + v] = cross[(e.col + v) * p + e.row + u] = e.out[u * e.ys.length + v];
  }

  const offRR = new Float64Array(p);
  const centredSS = new Float64Array(p);
  const means = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const k = j >> 1;
    const h = j & 1; // 0: the pair's x, 1: its y
    // ||P_q r||^2 = sum_g (group sum)^2 / (group size)
    for (let q = 0; q < Q - 1; q++) offRR[j] += q === 0 && whole ? off[2 * k + h] : weightedSquares(check[q][k], fes[q].inv, h);
    const s1 = moments[4 * k + 2 * h];
    centredSS[j] = n ? Math.max(0, moments[4 * k + 2 * h + 1] - (s1 * s1) / n) : 0;
    means[j] = n ? shift[j] + s1 / n : 0;
  }
  // each column's tables, out of the pairs' interleaved ones
  const effects = xs.map((_, j) => tables.map((t) => untwine(t[j >> 1], j & 1)));
  return { effects, offRR, cross, centredSS, means };
}

/** Per number of FEs (2, 3, 4 or more): the kernels it uses have run on a tiny panel. */
const warmedUp: boolean[] = [];

/**
 * Runs every kernel on a tiny panel a few dozen times before the first real sweep. Each kernel's loop
 * runs a block of thousands of rows, so V8 compiles it mid-loop (on-stack replacement) before the
 * interpreter has seen the code after the loop; that code then has no type feedback, and the compiled
 * loop was thrown away at the end of every call (a deopt per block: the first model ran at a fraction
 * of the compiled speed). Feedback gathered here first avoids that, for well under a millisecond.
 */
function warmUp(Q: number): void {
  warmedUp[Q] = true;
  const n = 12;
  const unit = Int32Array.from({ length: n }, (_, i) => i >> 2); // 3 units x 4 rows, contiguous
  const time = Int32Array.from({ length: n }, (_, i) => i & 3);
  const cell = Int32Array.from({ length: n }, (_, i) => (i >> 3) * 4 + (i & 3));
  const fe = (codes: Int32Array, levels: number): SweepFactor => {
    const inv = new Float64Array(levels);
    for (const c of codes) inv[c]++;
    for (let g = 0; g < levels; g++) inv[g] = inv[g] > 0 ? 1 / inv[g] : 0;
    return { codes, inv };
  };
  const fes = [fe(unit, 3), fe(time, 4), fe(cell, 8), fe(time, 4)].slice(0, Q);
  const xs = [0, 1, 2].map((j) => Float64Array.from({ length: n }, (_, i) => Math.sin(i + j)));
  for (let k = 0; k < 4; k++) {
    sweep(xs, fes);
    sweep(xs, [fes[1], fes[0], ...fes.slice(2)]); // the first FE not contiguous
  }
}

/** The cross products between pairs: each pair's columns against all later columns. */
function pairBlocks(out: Float64Array[], m: number, p: number): { xs: Float64Array[]; ys: Float64Array[]; row: number; col: number; out: Float64Array }[] {
  const blocks = [];
  for (let k = 0; k + 1 < m; k++) {
    const xs = out.slice(2 * k, 2 * k + 2);
    const ys = out.slice(2 * k + 2, p);
    blocks.push({ xs, ys, row: 2 * k, col: 2 * k + 2, out: new Float64Array(xs.length * ys.length) });
  }
  return blocks;
}

/** Block boundaries of about CROSS_CHUNK rows; with contiguous groups (sorted codes), cut at group boundaries only. */
function rowBlocks(n: number, sorted: Int32Array | null): Int32Array {
  const cuts: number[] = [0];
  let lo = 0;
  while (lo < n) {
    let hi = Math.min(n, lo + CROSS_CHUNK);
    if (sorted) while (hi < n && sorted[hi] === sorted[hi - 1]) hi++;
    cuts.push(hi);
    lo = hi;
  }
  return Int32Array.from(cuts);
}

/** The h-th (0: x, 1: y) of an interleaved pair table. */
function untwine(t: Float64Array, h: number): Float64Array {
  const out = new Float64Array(t.length >> 1);
  for (let g = 0; g < out.length; g++) out[g] = t[2 * g + h];
  return out;
}

/** Interleaved pair table: t[2g], t[2g+1] *= inv[g] for g in lo..hi-1. */
function scale(t: Float64Array, inv: Float64Array, lo: number, hi: number): void {
  for (let g = lo; g < hi; g++) {
    t[2 * g] *= inv[g];
    t[2 * g + 1] *= inv[g];
  }
}

/** sum_g t[2g+h]^2 inv[g]. */
function weightedSquares(t: Float64Array, inv: Float64Array, h: number): number {
  let s = 0;
  for (let g = 0; g < inv.length; g++) s += t[2 * g + h] * t[2 * g + h] * inv[g];
  return s;
}

// Group sums accumulate in registers while the code repeats (panels sorted by unit repeat it T
// times): a scatter-add into memory for every row serializes on store-to-load forwarding.

/**
 * s[2c], s[2c+1] += x, y over rows lo..hi-1, and moments[4k..4k+3] += sums of (x - x[0]), its squares,
 * the same for y. True when every change of code is to the next one.
 */
function sumsAndMoments(x: Float64Array, y: Float64Array, c: Int32Array, lo: number, hi: number, s: Float64Array, moments: Float64Array, k: number): boolean {
  let next = true;
  const kx = x[0];
  const ky = y[0];
  let cur = c[lo];
  let ax = 0;
  let ay = 0;
  let mx = 0;
  let qx = 0;
  let my = 0;
  let qy = 0;
  for (let i = lo; i < hi; i++) {
    const vx = x[i];
    const vy = y[i];
    const ci = c[i];
    if (ci !== cur) {
      s[2 * cur] += ax;
      s[2 * cur + 1] += ay;
      if (ci !== cur + 1) next = false;
      cur = ci;
      ax = 0;
      ay = 0;
    }
    ax += vx;
    ay += vy;
    const dx = vx - kx;
    const dy = vy - ky;
    mx += dx;
    qx += dx * dx;
    my += dy;
    qy += dy * dy;
  }
  s[2 * cur] += ax;
  s[2 * cur + 1] += ay;
  moments[4 * k] += mx;
  moments[4 * k + 1] += qx;
  moments[4 * k + 2] += my;
  moments[4 * k + 3] += qy;
  return next;
}

// (FE 2.. sums are scattered: their codes usually change from row to row, where accumulating in
// registers costs a branch and two stores per row)

/** s1[c1] += (x, y) - a0[c0] over rows lo..hi-1 (interleaved pair tables). */
function residualSums1(x: Float64Array, y: Float64Array, lo: number, hi: number, a0: Float64Array, c0: Int32Array, s1: Float64Array, c1: Int32Array): void {
  for (let i = lo; i < hi; i++) {
    const g = 2 * c0[i];
    const t = 2 * c1[i];
    s1[t] += x[i] - a0[g];
    s1[t + 1] += y[i] - a0[g + 1];
  }
}

/** s2[c2] += (x, y) - a0[c0] - a1[c1] over rows lo..hi-1. */
function residualSums2(x: Float64Array, y: Float64Array, lo: number, hi: number, a0: Float64Array, c0: Int32Array, a1: Float64Array, c1: Int32Array, s2: Float64Array, c2: Int32Array): void {
  for (let i = lo; i < hi; i++) {
    const g = 2 * c0[i];
    const t = 2 * c1[i];
    const u = 2 * c2[i];
    s2[u] += x[i] - a0[g] - a1[t];
    s2[u + 1] += y[i] - a0[g + 1] - a1[t + 1];
  }
}

/** Any number of FEs: tables[q][k][c_q] += (x, y) less tables[j][k][c_j] for j < q. */
function residualSumsK(x: Float64Array, y: Float64Array, lo: number, hi: number, tables: Float64Array[][], codes: Int32Array[], k: number, q: number): void {
  const s = tables[q][k];
  const c = codes[q];
  for (let i = lo; i < hi; i++) {
    let vx = x[i];
    let vy = y[i];
    for (let j = 0; j < q; j++) {
      const g = 2 * codes[j][i];
      vx -= tables[j][k][g];
      vy -= tables[j][k][g + 1];
    }
    s[2 * c[i]] += vx;
    s[2 * c[i] + 1] += vy;
  }
}

/**
 * A run of FE 1's level g ended with sums (ax, ay) of r: added to its check sums k0, or when the run is
 * the whole group (`whole`), its part of ||P_1 r||^2 straight into off.
 */
function groupDone(g: number, ax: number, ay: number, k0: Float64Array, whole: boolean, inv0: Float64Array, off: Float64Array, k: number): void {
  if (whole) {
    off[2 * k] += ax * ax * inv0[g];
    off[2 * k + 1] += ay * ay * inv0[g];
  } else {
    k0[2 * g] += ax;
    k0[2 * g + 1] += ay;
  }
}

/** (rx, ry) = (x, y) - a0[c0] - a1[c1] over rows lo..hi-1, and FE 1's check sums of (rx, ry) (see groupDone). */
function finalResidual2(
  x: Float64Array, y: Float64Array, rx: Float64Array, ry: Float64Array, lo: number, hi: number,
  a0: Float64Array, c0: Int32Array, a1: Float64Array, c1: Int32Array,
  k0: Float64Array, whole: boolean, inv0: Float64Array, off: Float64Array, within: Float64Array, k: number,
): void {
  let cur = c0[lo];
  let ax = 0;
  let ay = 0;
  let xx = 0;
  let xy = 0;
  let yy = 0;
  for (let i = lo; i < hi; i++) {
    const ci = c0[i];
    const g = 2 * ci;
    const t = 2 * c1[i];
    const vx = x[i] - a0[g] - a1[t];
    const vy = y[i] - a0[g + 1] - a1[t + 1];
    rx[i - lo] = vx;
    ry[i - lo] = vy;
    xx += vx * vx;
    xy += vx * vy;
    yy += vy * vy;
    if (ci !== cur) {
      groupDone(cur, ax, ay, k0, whole, inv0, off, k);
      cur = ci;
      ax = 0;
      ay = 0;
    }
    ax += vx;
    ay += vy;
  }
  groupDone(cur, ax, ay, k0, whole, inv0, off, k);
  within[3 * k] += xx;
  within[3 * k + 1] += xy;
  within[3 * k + 2] += yy;
}

/** (rx, ry) = (x, y) - a0[c0] - a1[c1] - a2[c2] over rows lo..hi-1, FE 1's check sums (in registers while c0 repeats; see groupDone) and k1[c1] += (rx, ry). */
function finalResidual3(
  x: Float64Array, y: Float64Array, rx: Float64Array, ry: Float64Array, lo: number, hi: number,
  a0: Float64Array, c0: Int32Array, a1: Float64Array, c1: Int32Array, a2: Float64Array, c2: Int32Array,
  k0: Float64Array, k1: Float64Array, whole: boolean, inv0: Float64Array, off: Float64Array, within: Float64Array, k: number,
): void {
  let cur = c0[lo];
  let ax = 0;
  let ay = 0;
  let xx = 0;
  let xy = 0;
  let yy = 0;
  for (let i = lo; i < hi; i++) {
    const ci = c0[i];
    const g = 2 * ci;
    const t = 2 * c1[i];
    const u = 2 * c2[i];
    const vx = x[i] - a0[g] - a1[t] - a2[u];
    const vy = y[i] - a0[g + 1] - a1[t + 1] - a2[u + 1];
    rx[i - lo] = vx;
    ry[i - lo] = vy;
    xx += vx * vx;
    xy += vx * vy;
    yy += vy * vy;
    if (ci !== cur) {
      groupDone(cur, ax, ay, k0, whole, inv0, off, k);
      cur = ci;
      ax = 0;
      ay = 0;
    }
    ax += vx;
    ay += vy;
    k1[t] += vx;
    k1[t + 1] += vy;
  }
  groupDone(cur, ax, ay, k0, whole, inv0, off, k);
  within[3 * k] += xx;
  within[3 * k + 1] += xy;
  within[3 * k + 2] += yy;
}

/** Any number of FEs: (rx, ry) = (x, y) less every table, and check[q][k][c_q] += (rx, ry) for q < Q - 1. */
function finalResidualK(
  x: Float64Array, y: Float64Array, rx: Float64Array, ry: Float64Array, lo: number, hi: number,
  tables: Float64Array[][], codes: Int32Array[], k: number, check: Float64Array[][], within: Float64Array,
): void {
  const Q = tables.length;
  let xx = 0;
  let xy = 0;
  let yy = 0;
  for (let i = lo; i < hi; i++) {
    let vx = x[i];
    let vy = y[i];
    for (let q = 0; q < Q; q++) {
      const g = 2 * codes[q][i];
      vx -= tables[q][k][g];
      vy -= tables[q][k][g + 1];
    }
    rx[i - lo] = vx;
    ry[i - lo] = vy;
    xx += vx * vx;
    xy += vx * vy;
    yy += vy * vy;
    for (let q = 0; q < Q - 1; q++) {
      const g = 2 * codes[q][i];
      check[q][k][g] += vx;
      check[q][k][g + 1] += vy;
    }
  }
  within[3 * k] += xx;
  within[3 * k + 1] += xy;
  within[3 * k + 2] += yy;
}
