// The results that commands produce: exactly the JSON shapes of CONTRACT.md (never rename or drop
// a field there; extra fields are allowed). The CLI writes them, the webview and hovers read them.

export type VcovType = 'iid' | 'robust' | 'cluster';

export interface CoefRow {
  term: string;
  estimate: number;
  se: number;
  t: number;
  p: number;
  ci_low: number;
  ci_high: number;
}

export interface VcovInfo {
  type: VcovType;
  clusters: string[];
  n_clusters: number[];
}

export interface FixedEffectInfo {
  name: string; // `city`, or `province#year` for an interaction
  levels: number; // levels in the estimation sample
  nested?: boolean; // nested in a cluster variable (not counted in K for clustered SEs)
}

/** A did model's treatment timing: units ever treated, never treated, and adoption cohorts. */
export interface TreatmentInfo {
  var: string; // the treatment dummy
  unit: string; // the unit variable (xtset's, or the first fe() variable)
  time: string | null; // the time variable cohorts are read from (null: cohorts not available)
  treated_units: number;
  never_treated_units: number;
  /** One entry per adoption time: the first period with treatment = 1, in order of time. */
  cohorts: { time: number; units: number }[];
}

export interface EstimationResult {
  kind: 'estimation';
  command: string; // canonical name: reg | reghdfe | did | ivreghdfe | eventstudy
  name: string | null; // eststo name
  line: number; // 1-based line of the command in the spec
  depvar: string;
  nobs: number;
  df_resid: number;
  r2: number;
  adj_r2: number;
  r2_within: number | null;
  adj_r2_within?: number | null;
  rmse: number; // sqrt(SSR / n), as fixest
  sigma?: number; // sqrt(SSR / (n - K))
  ssr?: number;
  f?: number | null; // model F (Wald test of all slopes, with the model's vcov)
  f_df?: [number, number];
  f_p?: number | null;
  df_t: number; // degrees of freedom of the t / interval distribution
  df_k: number; // K used in the small-sample factor
  vcov: VcovInfo;
  fixed_effects: FixedEffectInfo[];
  singletons_removed: number;
  missing_removed?: number;
  coefficients: CoefRow[];
  omitted: { term: string; reason: string }[];
  vcov_matrix?: number[][]; // rows/cols in `coefficients` order
  iterations?: number; // demeaning iterations (max over columns)
  converged?: boolean;
  warnings?: string[];
  within_share?: Record<string, number>; // per regressor: demeaned / raw (weighted, centred) variance in the sample
  vif?: Record<string, number>; // per kept regressor: variance-inflation factor after absorbing the FEs
  condition_number?: number | null; // of the unit-diagonal demeaned X'WX (sqrt of the eigenvalue ratio)
  seconds: number;
  // command-specific
  first_stage?: { endog: string; coefficients: CoefRow[]; f: number; [k: string]: unknown }[];
  kp_rk_lm?: { stat: number; df: number; p: number };
  kp_rk_wald_f?: number;
  cragg_donald_f?: number;
  stock_yogo?: { size10: number; size15: number; size20: number; size25: number } | null;
  event_time?: { k: number; estimate: number; se: number; ci_low: number; ci_high: number; term?: string }[];
  pretrend_test?: { stat: number; df1: number; df2: number; p: number };
  /** did: who is treated when, in the estimation sample (for hovers and the results panel). */
  treatment?: TreatmentInfo;
  ref?: number; // eventstudy: the reference period k
  labels?: Record<string, string>; // variable labels of depvar and terms (`label var`), for tables
  [extra: string]: unknown;
}

export interface DataResult {
  kind: 'data';
  file: string;
  rows: number;
  columns: number;
  line?: number;
  seconds: number;
}

export interface PlaceboResult {
  kind: 'placebo';
  line?: number;
  name?: string | null;
  reps: number;
  draws: number[];
  actual: number;
  mean: number;
  sd: number;
  p_value: number;
  seconds: number;
  [extra: string]: unknown;
}

export interface IndexResult {
  kind: 'index';
  line?: number;
  name: string;
  method: 'entropy';
  weights: { var: string; direction: 1 | -1; weight: number; entropy?: number }[];
  seconds: number;
}

export interface SummaryRow {
  var: string;
  n: number;
  mean: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
  label?: string;
  [stat: string]: unknown; // detail: p1 p5 ... skewness kurtosis
}

export interface SummaryResult {
  kind: 'summary';
  line?: number;
  rows: SummaryRow[];
  seconds: number;
  [extra: string]: unknown;
}

// esttab's estout-style options as the table result carries them (read by esttabSpec.ts)
export interface StarLevel {
  symbol: string;
  p: number;
}

export interface StatRowSpec {
  stat: string; // canonical name (esttabStats)
  label?: string;
  format?: string; // as written, e.g. "%9.3f"
}

export interface IndicateGroup {
  label: string;
  patterns: string[];
}

/** What esttab's options ask for beyond keep/drop/order/rename/title/mtitles/label/decimals. */
export interface EsttabLayout {
  b_format?: string;
  paren?: 'se' | 't' | 'p';
  paren_format?: string;
  star_levels?: StarLevel[]; // [] for nostar
  stat_rows?: StatRowSpec[]; // the whole footer, when any footer option is given
  indicate?: IndicateGroup[];
  indicate_labels?: [string, string];
  numbers?: false;
  mtitle_row?: 'names' | false; // `mtitles` without a list: model names; `nomtitles`: no titles row
  notes?: false;
  addnotes?: string[];
}

export interface TableResult extends EsttabLayout {
  kind: 'table';
  line?: number;
  models: string[];
  file: string | null;
  seconds: number;
  // esttab options, so that renderers (CLI text, webview) show the table as written
  keep?: string[];
  drop?: string[];
  order?: string[];
  rename?: Record<string, string>;
  title?: string;
  mtitles?: string[];
  labels?: Record<string, string>; // variable labels when esttab ran (`label var`)
  decimals?: number;
  // b_format, paren, star_levels, stat_rows, indicate, ... (EsttabLayout): estout-style options
  [extra: string]: unknown;
}

export interface MatchResult {
  kind: 'match';
  line?: number;
  name: string;
  treated_matched: number;
  controls_used: number;
  rows_kept: number;
  seconds: number;
  [extra: string]: unknown;
}

/** One coefficient of one model in a coefplot: the interval at `level` (percent). */
export interface CoefplotPoint {
  term: string; // the coefficient as the model names it
  label: string; // what the axis shows: rename() target, else the variable label (unless nolabels), else term
  estimate: number;
  se: number;
  df: number; // degrees of freedom of the t quantile (the model's df_t)
  ci_low: number;
  ci_high: number;
  level: number;
}

/** coefplot: point estimates with intervals of several stored models (CONTRACT-compatible extra kind). */
export interface CoefplotResult {
  kind: 'plot';
  plot: 'coefplot';
  line?: number;
  models: string[];
  level: number;
  vertical: boolean; // coefficients on the x axis (Stata's `vertical`); default: on the y axis
  xline: number[];
  yline: number[];
  title: string | null;
  /** The categorical axis, in order: one entry per (renamed) coefficient name. */
  categories: { name: string; label: string }[];
  series: { model: string; points: (CoefplotPoint & { category: string })[] }[];
  seconds: number;
  [extra: string]: unknown;
}

/** Anything else a command reports (describe, tab, export, ...): `kind` names it. */
export interface OtherResult {
  kind: string;
  line?: number;
  seconds: number;
  [extra: string]: unknown;
}

export type CommandResult =
  | EstimationResult
  | DataResult
  | PlaceboResult
  | IndexResult
  | SummaryResult
  | TableResult
  | MatchResult
  | CoefplotResult
  | OtherResult;

export interface RunOutput {
  version: 1;
  file: string;
  results: CommandResult[];
}
