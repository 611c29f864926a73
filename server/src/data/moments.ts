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

/**
 * Both passes go over blocks of rows: a function called a few times on long loops gets optimized in
 * the middle of its loop, and then thrown out at the loop's end (whose code had never run); called
 * on blocks, it is optimized whole after the first ones (about 3x faster over 8 columns of 1M rows).
 */
const BLOCK = 1 << 12;

/** Adds v[from, to) to `f` (missing values, NaN, skipped). */
export function firstPass(v: Float64Array, from: number, to: number, f: FirstPass): FirstPass {
  for (let a = from; a < to; a += BLOCK) firstBlock(v, a, Math.min(to, a + BLOCK), f);
  return f;
}

/** Adds v[from, to)'s deviations about `mean` and its histogram over [min, max] to `s`. */
export function secondPass(v: Float64Array, from: number, to: number, mean: number, min: number, max: number, s: SecondPass): SecondPass {
  for (let a = from; a < to; a += BLOCK) secondBlock(v, a, Math.min(to, a + BLOCK), mean, min, max, s);
  return s;
}

function firstBlock(v: Float64Array, from: number, to: number, f: FirstPass): void {
  let n = 0, sum = f.sum, min = f.min, max = f.max;
  for (let i = from; i < to; i++) {
    const x = v[i];
    if (x === x) {
      n++;
      sum += x;
      min = x < min ? x : min;
      max = x > max ? x : max;
    }
  }
  // apart: while every value so far is an integer the check runs on each, and once one is not it stops
  let integer = f.integer;
  for (let i = from; integer && i < to; i++) {
    const x = v[i];
    if (Math.floor(x) !== x && x === x) integer = false;
  }
  f.n += n; f.sum = sum; f.min = min; f.max = max; f.integer = integer;
}

export function mergeFirst(a: FirstPass, b: FirstPass): FirstPass {
  return { n: a.n + b.n, sum: a.sum + b.sum, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max), integer: a.integer && b.integer };
}

function secondBlock(v: Float64Array, from: number, to: number, mean: number, min: number, max: number, s: SecondPass): void {
  // Two loops: each is faster alone than the two together.
  let ss = s.ss, corr = s.corr;
  for (let i = from; i < to; i++) {
    const x = v[i];
    if (x === x) {
      const d = x - mean;
      ss += d * d;
      corr += d;
    }
  }
  const counts = s.counts;
  const span = max - min;
  const scale = max > min ? HISTOGRAM_BINS / span : 0;
  if (span < Infinity) {
    // 0 <= (x - min) * scale <= 20 (a hair over at most, for x = max): truncation is the floor
    for (let i = from; i < to; i++) {
      const x = v[i];
      if (x === x) {
        const k = ((x - min) * scale) | 0;
        counts[k < HISTOGRAM_BINS ? k : HISTOGRAM_BINS - 1]++;
      }
    }
  } else {
    // a span beyond a double (values near +-1.8e308): scale is 0, and an infinite x - min makes NaN
    for (let i = from; i < to; i++) {
      const x = v[i];
      if (x !== x) continue;
      const k = Math.floor((x - min) * scale);
      counts[k < HISTOGRAM_BINS ? k : HISTOGRAM_BINS - 1]++;
    }
  }
  s.ss = ss; s.corr = corr;
}

export function mergeSecond(a: SecondPass, b: SecondPass): SecondPass {
  const counts = new Float64Array(HISTOGRAM_BINS);
  for (let k = 0; k < HISTOGRAM_BINS; k++) counts[k] = a.counts[k] + b.counts[k];
  return { ss: a.ss + b.ss, corr: a.corr + b.corr, counts };
}
