// Descriptive statistics with Stata's definitions: sd with n-1, summarize-detail percentiles,
// skewness and kurtosis from the population moments (as `summarize, detail` prints them).
// Values arrive as typed arrays: a 1M-row column sorts natively (no comparator) in tens of ms.

type Values = ArrayLike<number>;

/** The values in ascending order, as a new typed array (the input is left alone). */
export function sortedCopy(vals: Values): Float64Array {
  return Float64Array.from(vals).sort();
}

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
 * Stata's summarize/_pctile percentile: with P = n p / 100, the (ceil P)-th smallest value when P is
 * not an integer, the mean of the P-th and (P+1)-th when it is.
 */
export function stataPercentile(sorted: Values, p: number): number | null {
  const n = sorted.length;
  if (!n) return null;
  const P = (n * p) / 100;
  const i = Math.floor(P + 1e-12);
  if (Math.abs(P - Math.round(P)) < 1e-9 * Math.max(1, P)) {
    const k = Math.round(P);
    if (k <= 0) return sorted[0];
    if (k >= n) return sorted[n - 1];
    return (sorted[k - 1] + sorted[k]) / 2;
  }
  return sorted[Math.min(n - 1, i)];
}

export const DETAIL_PERCENTILES = [1, 5, 10, 25, 50, 75, 90, 95, 99] as const;

export function detailStats(vals: Values): Record<string, number | null> {
  const sorted = sortedCopy(vals);
  const out: Record<string, number | null> = {};
  for (const p of DETAIL_PERCENTILES) out[`p${p}`] = stataPercentile(sorted, p);
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
  if (pm) return stataPercentile(sortedCopy(vals), Number(pm[1]));
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
      return stataPercentile(sortedCopy(vals), 50);
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
      const s2 = sortedCopy(vals);
      const q3 = stataPercentile(s2, 75);
      const q1 = stataPercentile(s2, 25);
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
