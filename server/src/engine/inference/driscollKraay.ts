// Driscoll-Kraay (1998) standard errors as fixest computes them (`vcov = DK(L) ~ time`): the scores
// s_i = w_i e_i x~_i are summed within each period (S_t, cross-sectional sums), and the meat is a
// Bartlett-weighted HAC over those period sums:
//   Omega = sum_t S_t S_t' + sum_{l=1..L} (1 - l/(L+1)) sum_t (S_t S_{t+l}' + S_{t+l} S_t').
// Periods are the sorted distinct time values, so a lag counts periods, not calendar distance.

/** Bartlett kernel weights w_0..w_L, w_l = 1 - l/(L+1). */
export function bartlettWeights(lags: number): Float64Array {
  const w = new Float64Array(lags + 1);
  for (let l = 0; l <= lags; l++) w[l] = 1 - l / (lags + 1);
  return w;
}

/**
 * The Driscoll-Kraay meat from per-period score sums.
 * @param sums T x k row-major, rows in time order
 */
export function driscollKraayMeat(sums: Float64Array, T: number, k: number, lags: number): Float64Array {
  if (!Number.isInteger(lags) || lags < 0 || lags >= T) throw new RangeError(`Driscoll-Kraay lag ${lags} outside 0..${T - 1}`);
  const w = bartlettWeights(lags);
  const m = new Float64Array(k * k);
  for (let l = 0; l <= lags; l++) {
    const wl = w[l];
    for (let t = 0; t + l < T; t++) {
      const a = t * k;
      const b = (t + l) * k;
      for (let p = 0; p < k; p++) {
        const sp = sums[a + p];
        const sq = sums[b + p];
        for (let q = 0; q < k; q++) {
          // S_t S_{t+l}' + (its transpose when l > 0)
          m[p * k + q] += l === 0 ? wl * sp * sums[b + q] : wl * (sp * sums[b + q] + sq * sums[a + q]);
        }
      }
    }
  }
  return m;
}

/**
 * Renumbers time codes (ranks of the time value over the whole data, -1 missing) to 0..T-1 in time order
 * over the sample rows, so that period t+1 follows period t among the periods the sample holds.
 */
export function periodCodes(rankCodes: Int32Array, rows: Int32Array): { codes: Int32Array; T: number } {
  let top = -1;
  for (let j = 0; j < rows.length; j++) top = Math.max(top, rankCodes[rows[j]]);
  const present = new Int32Array(top + 1).fill(-1);
  for (let j = 0; j < rows.length; j++) present[rankCodes[rows[j]]] = 1;
  let T = 0;
  for (let c = 0; c <= top; c++) if (present[c] === 1) present[c] = T++;
  const codes = new Int32Array(rows.length);
  for (let j = 0; j < rows.length; j++) codes[j] = present[rankCodes[rows[j]]];
  return { codes, T };
}
