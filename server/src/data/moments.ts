// The two passes that profile a numeric column (catalog.ts), over any row range so that the parse
// can run them chunk by chunk and on both threads (csvStream.ts): first count, sum, min, max and
// whether every value is an integer; then, about the mean, the squared deviations and the histogram.
// Ranges combine by adding (min/max by comparing), so a profile made in parts equals the one made in
// one go except for the rounding of the sums' order (the last bits of the mean and sd: display figures).

export const HISTOGRAM_BINS = 20;

export interface FirstPass {
  n: number;
  sum: number;
  min: number;
  max: number;
  integer: boolean;
}

export interface SecondPass {
  ss: number;
  corr: number;
  counts: Float64Array; // HISTOGRAM_BINS
}

export const emptyFirst = (): FirstPass => ({ n: 0, sum: 0, min: Infinity, max: -Infinity, integer: true });
export const emptySecond = (): SecondPass => ({ ss: 0, corr: 0, counts: new Float64Array(HISTOGRAM_BINS) });

/** Adds v[from, to) to `f` (missing values, NaN, skipped). */
export function firstPass(v: Float64Array, from: number, to: number, f: FirstPass): FirstPass {
  let n = f.n, sum = f.sum, min = f.min, max = f.max, integer = f.integer;
  for (let i = from; i < to; i++) {
    const x = v[i];
    if (x !== x) continue;
    n++;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
    if (integer && Math.floor(x) !== x) integer = false;
  }
  f.n = n; f.sum = sum; f.min = min; f.max = max; f.integer = integer;
  return f;
}

export function mergeFirst(a: FirstPass, b: FirstPass): FirstPass {
  return { n: a.n + b.n, sum: a.sum + b.sum, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max), integer: a.integer && b.integer };
}

/** Adds v[from, to)'s deviations about `mean` and its histogram over [min, max] to `s`. */
export function secondPass(v: Float64Array, from: number, to: number, mean: number, min: number, max: number, s: SecondPass): SecondPass {
  let ss = s.ss, corr = s.corr;
  const counts = s.counts;
  const scale = max > min ? HISTOGRAM_BINS / (max - min) : 0;
  for (let i = from; i < to; i++) {
    const x = v[i];
    if (x !== x) continue;
    const d = x - mean;
    ss += d * d;
    corr += d;
    const k = Math.floor((x - min) * scale);
    counts[k < HISTOGRAM_BINS ? k : HISTOGRAM_BINS - 1]++;
  }
  s.ss = ss; s.corr = corr;
  return s;
}

export function mergeSecond(a: SecondPass, b: SecondPass): SecondPass {
  const counts = new Float64Array(HISTOGRAM_BINS);
  for (let k = 0; k < HISTOGRAM_BINS; k++) counts[k] = a.counts[k] + b.counts[k];
  return { ss: a.ss + b.ss, corr: a.corr + b.corr, counts };
}
