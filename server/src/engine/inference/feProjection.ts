// The fixed-effect part of the wild bootstrap's projection term (wildBootstrap.ts):
//   C_y[g,h] = (a 1_g)' W P_D (y 1_h) = u_g' (D'WD)^- v_h,  u_g = D'W(a 1_g), v_h = D'W(y 1_h),
// computed in the space of FE levels rather than rows (fwildclusterboot's crosstab route). D = [D1, D2]
// with D1 the factor with the most levels (D1'WD1 = A diagonal) and D2 the others; by block elimination
//   u' (D'WD)^- v = u1' A^-1 v1 + (u2 - B'A^-1 u1)' S^- (v2 - B'A^-1 v1),  B = D1'WD2,
//   S = D2'WD2 - B'A^-1 B (Schur complement; S^- any generalized inverse, as the projection is unique).
// One pass over the rows grouped by D1 level; the dense part is K2 x K2 with K2 = levels of D2.
// The result keeps that structure: the D1 term is a G x G matrix (and vanishes when D1 is nested in the
// clusters: a is demeaned within each D1 level), the Schur term is of rank K2, left_g' right_h, so that a
// bootstrap draw costs O(G K2) rather than O(G^2).
import { isNestedIn, type SampleFactor } from '../factors';

/** Beyond this many levels outside the largest factor the dense Schur complement is not worth it. */
export const MAX_SCHUR_LEVELS = 1500;

/** x = S^- r for a positive semi-definite S: Cholesky skipping dependent pivots (their entries 0). */
function gInverseSolver(S: Float64Array, K: number): (r: Float64Array) => Float64Array {
  const L = new Float64Array(K * K);
  const kept = new Uint8Array(K);
  for (let j = 0; j < K; j++) {
    let d = S[j * K + j];
    for (let k = 0; k < j; k++) if (kept[k]) d -= L[j * K + k] * L[j * K + k];
    // a pivot that vanishes relative to its diagonal: the level is a combination of earlier ones
    if (!(d > 1e-9 * S[j * K + j])) continue;
    kept[j] = 1;
    const ljj = Math.sqrt(d);
    L[j * K + j] = ljj;
    for (let i = j + 1; i < K; i++) {
      let s = S[i * K + j];
      for (let k = 0; k < j; k++) if (kept[k]) s -= L[i * K + k] * L[j * K + k];
      L[i * K + j] = s / ljj;
    }
  }
  return (r: Float64Array) => {
    const z = new Float64Array(K);
    for (let i = 0; i < K; i++) {
      if (!kept[i]) continue;
      let s = r[i];
      for (let k = 0; k < i; k++) if (kept[k]) s -= L[i * K + k] * z[k];
      z[i] = s / L[i * K + i];
    }
    for (let i = K - 1; i >= 0; i--) {
      if (!kept[i]) continue;
      let s = z[i];
      for (let k = i + 1; k < K; k++) if (kept[k]) s -= L[k * K + i] * z[k];
      z[i] = s / L[i * K + i];
    }
    return z;
  };
}

/** The FE projection term C[g,h] = dense[g,h] + left_g' right_h (row g = the cluster of a). */
export interface FeProjection {
  /** G x G, the largest factor's term; null when that factor is nested in the clusters (it vanishes) */
  ca: Float64Array | null;
  cb: Float64Array | null;
  /** rank of the Schur term (levels of the other factors) */
  K2: number;
  left: Float64Array; // G x K2: S^- z_a(g)
  rightA: Float64Array; // G x K2: z_a(h) = u2 - B'A^-1 u1 for a 1_h
  rightB: Float64Array; // G x K2: the same for b 1_h
}

/**
 * The FE projection term; null when the factors other than the largest have more than MAX_SCHUR_LEVELS
 * levels.
 */
export function feProjection(factors: SampleFactor[], w: Float64Array | null, a: Float64Array, b: Float64Array, codes: Int32Array, G: number): FeProjection | null {
  const n = a.length;
  let big = 0;
  for (let q = 1; q < factors.length; q++) if (factors[q].nlevels > factors[big].nlevels) big = q;
  const f1 = factors[big];
  const rest = factors.filter((_, q) => q !== big);
  const offset: number[] = [];
  let K2 = 0;
  for (const f of rest) {
    offset.push(K2);
    K2 += f.nlevels;
  }
  if (K2 > MAX_SCHUR_LEVELS) return null;
  const L1 = f1.nlevels;
  const dense = !isNestedIn(f1, { name: 'clusters', codes, nlevels: G });
  const ca = dense ? new Float64Array(G * G) : null;
  const cb = dense ? new Float64Array(G * G) : null;

  // rows grouped by D1 level (counting sort)
  const start = new Int32Array(L1 + 1);
  for (let i = 0; i < n; i++) start[f1.codes[i] + 1]++;
  for (let l = 0; l < L1; l++) start[l + 1] += start[l];
  const order = new Int32Array(n);
  const fill = start.slice(0, L1);
  for (let i = 0; i < n; i++) order[fill[f1.codes[i]]++] = i;

  const S = new Float64Array(K2 * K2); // D2'WD2, then minus B'A^-1 B
  const u2a = new Float64Array(K2 * G); // D2'W(a 1_g), column g
  const u2b = new Float64Array(K2 * G);
  const wa2 = new Float64Array(K2 * G); // B'A^-1 u1 for a, column g
  const wb2 = new Float64Array(K2 * G);
  // per D1 level scratch: its D2 weights and its cluster sums, with the touched entries listed
  const bl = new Float64Array(K2);
  const touched2 = new Int32Array(K2);
  let nt2 = 0;
  const ua = new Float64Array(G);
  const ub = new Float64Array(G);
  const touchedG = new Int32Array(G);
  let ntG = 0;
  const seenG = new Uint8Array(G);
  const seen2 = new Uint8Array(K2);
  const R = rest.length;
  for (let l = 0; l < L1; l++) {
    let A = 0;
    for (let p = start[l]; p < start[l + 1]; p++) {
      const i = order[p];
      const wi = w ? w[i] : 1;
      A += wi;
      const g = codes[i];
      if (!seenG[g]) {
        seenG[g] = 1;
        touchedG[ntG++] = g;
      }
      ua[g] += wi * a[i];
      ub[g] += wi * b[i];
      for (let q = 0; q < R; q++) {
        const c = offset[q] + rest[q].codes[i];
        if (!seen2[c]) {
          seen2[c] = 1;
          touched2[nt2++] = c;
        }
        bl[c] += wi;
        u2a[c * G + g] += wi * a[i];
        u2b[c * G + g] += wi * b[i];
        // D2'WD2 (all pairs of D2 levels on this row, both orders)
        for (let q2 = 0; q2 < R; q2++) S[c * K2 + offset[q2] + rest[q2].codes[i]] += wi;
      }
    }
    if (A > 0) {
      // u1'A^-1 v1 between every pair of clusters this level touches
      if (ca && cb) for (let x = 0; x < ntG; x++) {
        const g = touchedG[x];
        const fa = ua[g] / A;
        if (fa === 0) continue;
        for (let y = 0; y < ntG; y++) {
          const h = touchedG[y];
          ca[g * G + h] += fa * ua[h];
          cb[g * G + h] += fa * ub[h];
        }
      }
      // B'A^-1 B: the upper triangle (levels in touched order; S mirrored below after the pass)
      for (let x = 0; x < nt2; x++) {
        const c = touched2[x];
        const bc = bl[c] / A;
        const row = c * K2;
        for (let y = 0; y < nt2; y++) {
          const c2 = touched2[y];
          if (c2 >= c) S[row + c2] -= bc * bl[c2];
        }
        for (let y = 0; y < ntG; y++) {
          const g = touchedG[y];
          wa2[c * G + g] += bc * ua[g];
          wb2[c * G + g] += bc * ub[g];
        }
      }
    }
    for (let x = 0; x < ntG; x++) {
      const g = touchedG[x];
      ua[g] = 0;
      ub[g] = 0;
      seenG[g] = 0;
    }
    ntG = 0;
    for (let x = 0; x < nt2; x++) {
      const c = touched2[x];
      bl[c] = 0;
      seen2[c] = 0;
    }
    nt2 = 0;
  }
  // the subtraction filled the upper triangle only; D2'WD2 is symmetric
  for (let c = 0; c < K2; c++) for (let c2 = c + 1; c2 < K2; c2++) S[c2 * K2 + c] = S[c * K2 + c2];
  const left = new Float64Array(G * K2);
  const rightA = new Float64Array(G * K2);
  const rightB = new Float64Array(G * K2);
  if (K2 === 0) return { ca, cb, K2, left, rightA, rightB };
  const solve = gInverseSolver(S, K2);
  const za = new Float64Array(K2);
  for (let g = 0; g < G; g++) {
    for (let c = 0; c < K2; c++) {
      za[c] = u2a[c * G + g] - wa2[c * G + g];
      rightA[g * K2 + c] = za[c];
      rightB[g * K2 + c] = u2b[c * G + g] - wb2[c * G + g];
    }
    left.set(solve(za), g * K2);
  }
  return { ca, cb, K2, left, rightA, rightB };
}
