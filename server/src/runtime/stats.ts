// Descriptive statistics with Stata's definitions: sd with n-1, summarize-detail percentiles,
// skewness and kurtosis from the population moments (as `summarize, detail` prints them).
// Percentiles come from selection, not a full sort: small columns by Floyd-Rivest on a typed-array
// copy, large ones by bucketing first (see orderStatsByBuckets), so the nine percentiles of `detail`
// cost a few linear passes per column instead of n log n.

type Values = ArrayLike<number>;


export interface Describe {
  n: number;
  mean: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
  sum: number;
}

export function describeValues(vals: Values): Describe {
  const n = vals.length;
  if (!n) return { n: 0, mean: null, sd: null, min: null, max: null, sum: 0 };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = vals[i];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (vals[i] - mean) * (vals[i] - mean);
  return { n, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : null, min, max, sum };
}

/**
 * The 0-based ranks whose mean is Stata's summarize/_pctile percentile: with P = n p / 100, the
 * (ceil P)-th smallest value when P is not an integer, the mean of the P-th and (P+1)-th when it is.
 * `lo === hi` when one value is the answer. One definition shared by the sorted and selection paths.
 */
export function percentileRanks(n: number, p: number): { lo: number; hi: number } {
  const P = (n * p) / 100;
  if (Math.abs(P - Math.round(P)) < 1e-9 * Math.max(1, P)) {
    const k = Math.round(P);
    if (k <= 0) return { lo: 0, hi: 0 };
    if (k >= n) return { lo: n - 1, hi: n - 1 };
    return { lo: k - 1, hi: k };
  }
  const i = Math.min(n - 1, Math.floor(P + 1e-12));
  return { lo: i, hi: i };
}

/** Stata's percentile of values already in ascending order. */
export function stataPercentile(sorted: Values, p: number): number | null {
  const n = sorted.length;
  if (!n) return null;
  const { lo, hi } = percentileRanks(n, p);
  return lo === hi ? sorted[lo] : (sorted[lo] + sorted[hi]) / 2;
}

/**
 * Stata's percentiles of unsorted values (no NaN), by selection: the same numbers stataPercentile
 * gives on the sorted values. The input is left alone.
 */
export function stataPercentiles(vals: Values, ps: readonly number[]): (number | null)[] {
  const n = vals.length;
  if (!n) return ps.map(() => null);
  const ranks = ps.map((p) => percentileRanks(n, p));
  const wanted = [...new Set(ranks.flatMap((r) => [r.lo, r.hi]))].sort((a, b) => a - b);
  const at = n > BUCKET_MIN_N ? orderStatsByBuckets(vals, wanted) : null;
  if (at) return ranks.map(({ lo, hi }) => (lo === hi ? at.get(lo)! : (at.get(lo)! + at.get(hi)!) / 2));
  const a = Float64Array.from(vals);
  selectRanks(a, wanted, 0, wanted.length - 1, 0, n - 1);
  return ranks.map(({ lo, hi }) => (lo === hi ? a[lo] : (a[lo] + a[hi]) / 2));
}

const BUCKET_MIN_N = 4096;
const BUCKETS = 1 << 16;

/**
 * Order statistics of large columns by one bucketing pass: values go to equal-width buckets between
 * min and max (monotone in the value, so bucket order is value order), counts locate each rank's
 * bucket, and only the values of those buckets are copied and selected; a bucket holding a single
 * repeated value (a dummy's 0s) answers at once. Four linear passes instead of a selection over the
 * whole column per rank. Null when the range is not finite (then the plain selection runs).
 */
function orderStatsByBuckets(vals: Values, ranks: number[]): Map<number, number> | null {
  const n = vals.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = vals[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const out = new Map<number, number>();
  if (min === max) {
    for (const r of ranks) out.set(r, min);
    return out;
  }
  // BUCKETS - 1 over the range: the maximum lands in the last bucket without a (mispredicted) clamp
  const scale = (BUCKETS - 1) / (max - min);
  if (!Number.isFinite(scale) || !Number.isFinite(max - min) || scale === 0) return null;
  const bucket = new Int32Array(n);
  const counts = new Int32Array(BUCKETS);
  for (let i = 0; i < n; i++) {
    // (v - min) * scale lies in [0, BUCKETS - 1] (rounding up by at most an ulp): truncation = floor
    let b = ((vals[i] - min) * scale) | 0;
    if (b > BUCKETS - 1) b = BUCKETS - 1;
    bucket[i] = b;
    counts[b]++;
  }
  // each wanted rank's bucket (slot[bucket] = its index in targets), and the values below it
  const slot = new Int32Array(BUCKETS).fill(-1);
  const targets: { bucket: number; start: number; ranks: number[] }[] = [];
  let b = 0;
  let before = 0; // values in buckets below b
  for (const r of ranks) {
    while (before + counts[b] <= r) before += counts[b++];
    let t = targets[targets.length - 1];
    if (!t || t.bucket !== b) {
      t = { bucket: b, start: before, ranks: [] };
      slot[b] = targets.length;
      targets.push(t);
    }
    t.ranks.push(r);
  }
  // buckets with no wanted rank map to a spare slot whose min/max are never read, so the passes
  // below have no data-dependent branch (a dummy's 0/1 buckets would mispredict half the time)
  const spare = targets.length;
  for (let i = 0; i < BUCKETS; i++) if (slot[i] < 0) slot[i] = spare;
  const lo = new Float64Array(spare + 1).fill(Infinity);
  const hi = new Float64Array(spare + 1).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const k = slot[bucket[i]];
    const v = vals[i];
    if (v < lo[k]) lo[k] = v;
    if (v > hi[k]) hi[k] = v;
  }
  // copy the values of the buckets that hold more than one distinct value; the others write to a
  // scratch cell at the end of buf that never advances
  const offset = new Int32Array(spare + 1).fill(-1);
  let size = 0;
  targets.forEach((t, k) => {
    if (lo[k] === hi[k]) for (const r of t.ranks) out.set(r, lo[k]);
    else {
      offset[k] = size;
      size += counts[t.bucket];
    }
  });
  if (size === 0) return out;
  const buf = new Float64Array(size + 1);
  const fill = new Int32Array(spare + 1).fill(size);
  const step = new Int32Array(spare + 1);
  for (let k = 0; k < spare; k++) {
    if (offset[k] < 0) continue;
    fill[k] = offset[k];
    step[k] = 1;
  }
  for (let i = 0; i < n; i++) {
    const k = slot[bucket[i]];
    buf[fill[k]] = vals[i];
    fill[k] += step[k];
  }
  targets.forEach((t, k) => {
    if (offset[k] < 0) return;
    const from = offset[k];
    const local = t.ranks.map((r) => from + r - t.start);
    selectRanks(buf, local, 0, local.length - 1, from, from + counts[t.bucket] - 1);
    t.ranks.forEach((r, j) => out.set(r, buf[local[j]]));
  });
  return out;
}

/**
 * Puts the order statistic of each rank in ranks[rFrom..rTo] at its index, within a[left..right]:
 * selects the middle rank first, so each half of the ranks works only on its side of the array.
 */
function selectRanks(a: Float64Array, ranks: number[], rFrom: number, rTo: number, left: number, right: number): void {
  if (rFrom > rTo || left > right) return;
  const mid = (rFrom + rTo) >> 1;
  const k = ranks[mid];
  floydRivest(a, k, left, right);
  selectRanks(a, ranks, rFrom, mid - 1, left, k - 1);
  selectRanks(a, ranks, mid + 1, rTo, k + 1, right);
}

/**
 * Floyd-Rivest selection (as in Vladimir Agafonkin's quickselect): afterwards a[k] is the k-th
 * smallest of a[left..right], smaller-or-equal values before it, greater-or-equal after. Ties split
 * evenly (both scans stop on equal values), so a column of one repeated value stays linear.
 */
export function floydRivest(a: Float64Array, k: number, left: number, right: number): void {
  while (right > left) {
    if (right - left > 600) {
      // narrow [left, right] to a sample-based window likely to hold the k-th value
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (m * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - m) * s) / n + sd));
      floydRivest(a, k, newLeft, newRight);
    }
    const t = a[k];
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right] > t) swap(a, left, right);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i] < t) i++;
      while (a[j] > t) j--;
    }
    if (a[left] === t) swap(a, left, j);
    else {
      j++;
      swap(a, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const x = a[i];
  a[i] = a[j];
  a[j] = x;
}

export const DETAIL_PERCENTILES = [1, 5, 10, 25, 50, 75, 90, 95, 99] as const;

export function detailStats(vals: Values): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  const pct = stataPercentiles(vals, DETAIL_PERCENTILES);
  DETAIL_PERCENTILES.forEach((p, i) => (out[`p${p}`] = pct[i]));
  const n = vals.length;
  if (!n) return { ...out, variance: null, skewness: null, kurtosis: null };
  let total = 0;
  for (let i = 0; i < n; i++) total += vals[i];
  const mean = total / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = vals[i] - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  out.variance = n > 1 ? (m2 * n) / (n - 1) : null;
  out.skewness = m2 > 0 ? m3 / Math.pow(m2, 1.5) : null;
  out.kurtosis = m2 > 0 ? m4 / (m2 * m2) : null;
  return out;
}

/** A named statistic for tabstat (n mean sd min max sum p1..p99 median iqr var cv range semean). */
export function namedStat(stat: string, vals: Values): number | null {
  const d = describeValues(vals);
  const s = stat.toLowerCase();
  const pm = /^p(\d{1,2})$/.exec(s);
  if (pm) return stataPercentiles(vals, [Number(pm[1])])[0];
  switch (s) {
    case 'n':
    case 'count':
      return d.n;
    case 'mean':
      return d.mean;
    case 'sd':
      return d.sd;
    case 'min':
      return d.min;
    case 'max':
      return d.max;
    case 'sum':
      return d.sum;
    case 'median':
      return stataPercentiles(vals, [50])[0];
    case 'var':
    case 'variance':
      return d.sd === null ? null : d.sd * d.sd;
    case 'range':
      return d.max === null || d.min === null ? null : d.max - d.min;
    case 'cv':
      return d.sd === null || !d.mean ? null : d.sd / d.mean;
    case 'semean':
      return d.sd === null ? null : d.sd / Math.sqrt(d.n);
    case 'iqr': {
      const [q1, q3] = stataPercentiles(vals, [25, 75]);
      return q3 === null || q1 === null ? null : q3 - q1;
    }
    case 'skewness':
    case 'kurtosis':
      return detailStats(vals)[s];
    default:
      throw new Error(`unknown statistic ${stat}`);
  }
}

export const TABSTAT_STATS = new Set(['n', 'count', 'mean', 'sd', 'min', 'max', 'sum', 'median', 'var', 'variance', 'range', 'cv', 'semean', 'iqr', 'skewness', 'kurtosis']);
