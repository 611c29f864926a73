// Staggered adoption basics shared by the heterogeneity-robust estimators: who is treated when.
// As CONTRACT.md reads an adoption variable: missing or 0 means never treated; otherwise the unit is
// treated from period ADOPT on and its relative period is k = TIME - ADOPT.

/** True when an adoption value marks a never-treated unit. */
export function neverTreated(adopt: number): boolean {
  return Number.isNaN(adopt) || adopt === 0;
}

/** Relative period of a row (NaN for never-treated rows or a missing time). */
export function relativePeriod(time: number, adopt: number): number {
  if (neverTreated(adopt) || Number.isNaN(time)) return NaN;
  return Math.round(time - adopt);
}

/** Largest time among the allowed rows (-Infinity if none). */
export function lastPeriod(time: Float64Array, sample?: Uint8Array): number {
  let hi = -Infinity;
  for (let i = 0; i < time.length; i++) if ((!sample || sample[i]) && time[i] > hi) hi = time[i];
  return hi;
}

