// The one-way cluster score sums' inner loops, shared by the residual pass (ols.ts) and the VCOV's
// score sums (vcov.ts): sums[g * kz + q] += sum over rows lo..hi-1 in cluster g of f x_q, where f is
// the (weighted) residual and x null stands for the column of ones. The sum for a cluster accumulates
// in a register while its code repeats (data sorted by cluster repeat it); two columns per loop share
// the reads of the codes and f.

/** Columns q (x1) and q + 1 (x2; null: ones) at once. */
export function clusterScorePair(x1: Float64Array, x2: Float64Array | null, f: Float64Array, codes: Int32Array, sums: Float64Array, kz: number, q: number, lo: number, hi: number): void {
  let cur = codes[lo];
  let a1 = 0;
  let a2 = 0;
  for (let i = lo; i < hi; i++) {
    const ci = codes[i];
    if (ci !== cur) {
      sums[cur * kz + q] += a1;
      sums[cur * kz + q + 1] += a2;
      cur = ci;
      a1 = 0;
      a2 = 0;
    }
    const fi = f[i];
    a1 += fi * x1[i];
    a2 += x2 ? fi * x2[i] : fi;
  }
  sums[cur * kz + q] += a1;
  sums[cur * kz + q + 1] += a2;
}

/** Column q alone (x null: ones). */
export function clusterScoreOne(x: Float64Array | null, f: Float64Array, codes: Int32Array, sums: Float64Array, kz: number, q: number, lo: number, hi: number): void {
  let cur = codes[lo];
  let acc = 0;
  for (let i = lo; i < hi; i++) {
    const ci = codes[i];
    if (ci !== cur) {
      sums[cur * kz + q] += acc;
      cur = ci;
      acc = 0;
    }
    acc += x ? f[i] * x[i] : f[i];
  }
  sums[cur * kz + q] += acc;
}

/** Every column of xs, then (if `ones`) the column of ones, over rows lo..hi-1. */
export function clusterScores(xs: Float64Array[], ones: boolean, f: Float64Array, codes: Int32Array, sums: Float64Array, lo: number, hi: number): void {
  const k = xs.length;
  const kz = k + (ones ? 1 : 0);
  let q = 0;
  for (; q + 1 < kz; q += 2) clusterScorePair(xs[q], q + 1 < k ? xs[q + 1] : null, f, codes, sums, kz, q, lo, hi);
  if (q < kz) clusterScoreOne(q < k ? xs[q] : null, f, codes, sums, kz, q, lo, hi);
}
