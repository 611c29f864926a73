// What the SQL estimator is asked to fit: the in-memory engine's RegressionInput with column names
// in place of columns (the data stay in the database).
import type { VcovType } from '../../results/types';

/** The variance request: the in-memory VcovSpec with cluster column names (a#b = interaction). */
export interface SqlVcovSpec {
  type: VcovType;
  clusters?: string[];
}

/**
 * How the fit reaches the rows: compressed to cells; swept exactly by GROUP BY passes (one large FE, the
 * others small); or swept iteratively (alternating projections, any FEs); auto picks in that order.
 */
export type SqlRoute = 'auto' | 'compress' | 'sweep' | 'iterate';

export interface SqlRegressionSpec {
  depvar: string;
  regressors: string[];
  /** absorbed fixed effects: column names, `a#b` for an interaction */
  absorb: string[];
  weights?: string; // analytic weights column
  vce: SqlVcovSpec;
  /** report `_cons` (default: only when nothing is absorbed, as reg/reghdfe) */
  constant?: boolean;
  dropSingletons?: boolean; // default true (iteratively, as reghdfe)
  level?: number; // percent, default 95
  route?: SqlRoute;
  /** largest number of levels a FE may have to enter the sweep as dummy columns (default 60) */
  smallFeMax?: number;
  /** compress when the distinct cells are at most this share of the rows (default 0.2) ... */
  compressRatio?: number;
  /** ... and at most this many (default 2,000,000: they are fitted in memory) */
  compressMaxCells?: number;
}

/** A factor (FE or cluster) as SQL sees it: its name as written and the source columns it combines. */
export interface SqlFactor {
  name: string;
  parts: string[]; // source column names
}

export function parseFactor(name: string): SqlFactor {
  return { name, parts: name.split('#').map((s) => s.trim()).filter((s) => s.length > 0) };
}
