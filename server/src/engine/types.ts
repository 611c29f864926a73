// The estimation engine's input and output. The engine knows nothing of specs or data files:
// the runtime turns a command into numeric columns and integer codes, the engine returns numbers.

import type { CoefRow, EventTimeRow, FixedEffectInfo, IvDiagnostics, PretrendTest, VcovType } from '../results/types';

export interface NamedColumn {
  name: string;
  values: Float64Array; // full length of the dataset; NaN = missing
}

/** A categorical variable as integer codes 0..n-1 (-1 = missing). Interactions (`a#b`) arrive pre-combined. */
export interface Factor {
  name: string;
  codes: Int32Array;
  nlevels?: number; // max code + 1 when known
}

export interface VcovSpec {
  type: VcovType;
  clusters?: Factor[]; // one or more cluster variables (multi-way: Cameron-Gelbach-Miller)
  /** Driscoll-Kraay: the time variable, codes = rank of the time value (0 = earliest, -1 missing) */
  time?: Factor;
  lags?: number; // Driscoll-Kraay lags
}

export interface RegressionInput {
  depvar: NamedColumn;
  regressors: NamedColumn[]; // exogenous regressors in the order written
  endogenous?: NamedColumn[]; // IV: instrumented regressors
  instruments?: NamedColumn[]; // IV: excluded instruments
  fixedEffects: Factor[]; // absorbed; empty = none
  constant: boolean; // report `_cons` (reg, and reghdfe/did as Stata prints it is NOT required by the contract)
  weights?: Float64Array; // analytic weights
  vcov: VcovSpec;
  sample?: Uint8Array; // 1 = row allowed by `if`; rows with a missing value in any model variable are dropped too
  dropSingletons?: boolean; // default true (reghdfe: iteratively)
  tolerance?: number; // demeaning tolerance, default 1e-10 (relative)
  level?: number; // confidence level of ci_low / ci_high in percent, default 95 (t with the model's df_t)
  maxIterations?: number;
}

/** What the engine computes; the runtime adds command, name, line, seconds. IV fits add their diagnostics, event studies their event-time rows. */
export interface EstimationCore extends Partial<IvDiagnostics> {
  depvar: string;
  nobs: number;
  df_resid: number;
  df_t: number;
  df_k: number;
  r2: number;
  adj_r2: number;
  r2_within: number | null;
  adj_r2_within: number | null;
  rmse: number;
  sigma: number;
  ssr: number;
  tss: number;
  f: number | null;
  f_df: [number, number];
  f_p: number | null;
  vcovType: VcovType;
  clusters: string[];
  n_clusters: number[];
  fixed_effects: FixedEffectInfo[];
  singletons_removed: number;
  missing_removed: number;
  coefficients: CoefRow[];
  omitted: { term: string; reason: string }[];
  vcov: number[][];
  iterations: number;
  converged: boolean;
  warnings: string[];
  /** Rows (indices into the full dataset) used in estimation, ascending. */
  sampleRows: Int32Array;
  residuals?: Float64Array; // in sampleRows order
  /** per regressor: share of its (weighted, centred) sum of squares left after absorbing the FEs (near 0: barely identified) */
  within_share?: Record<string, number>;
  /** per kept regressor: variance-inflation factor among the demeaned regressors */
  vif?: Record<string, number>;
  /** sqrt of the eigenvalue ratio of the demeaned regressors' correlation matrix */
  condition_number?: number | null;
  vcov_scale?: number; // reported V over the uncorrected sandwich
  sum_weights?: number; // with [aw=]
  /** Driscoll-Kraay: its lags, the time variable and the number of periods in the sample */
  dkraay?: { lags: number; time: string; periods: number };
  level?: number; // the input's level (percent), when given
  event_time?: EventTimeRow[];
  pretrend_test?: PretrendTest | null;
}

/** A problem with the model that the user must fix (no observations, constant depvar, ...). */
export class EstimationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EstimationError';
  }
}
