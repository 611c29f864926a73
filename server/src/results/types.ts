// The results that commands produce: exactly the JSON shapes of CONTRACT.md (never rename or drop
// a field there; extra fields are allowed). The CLI writes them, the webview and hovers read them.

import type { EsttabLayout } from './esttabSpec';

export type VcovType = 'iid' | 'robust' | 'cluster' | 'dkraay';

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
  /** Driscoll-Kraay: lags, the time variable and its number of periods in the sample */
  lags?: number;
  time?: string;
  periods?: number;
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
  pretrend_test?: { stat: number; df1: number; df2: number; p: number; leads?: number[] };
  /** did: who is treated when, in the estimation sample (for hovers and the results panel). */
  treatment?: TreatmentInfo;
  ref?: number | null; // eventstudy: the reference period k (bjs: the lead dropped as collinear, if any)
  /** eventstudy: which estimator (twfe is the dummy regression) */
  estimator?: 'twfe' | 'sunab' | 'bjs' | 'cs';
  /** eventstudy sunab/bjs: the overall post-treatment average (fixest's ATT aggregate; BJS's static tau) */
  att?: { estimate: number; se: number; t?: number; p?: number; ci_low?: number; ci_high?: number };
  /** did_imputation with pretrends(): joint test that the leads are zero, F(df, df2) */
  pretrend?: { f: number; df: number; df2: number; p: number };
  labels?: Record<string, string>; // variable labels of depvar and terms (`label var`), for tables
  /** the last boottest run on this model (esttab's p_boot and ci_boot rows) */
  boottest?: BoottestSummary;
  [extra: string]: unknown;
}

/** What esttab shows of a boottest: the bootstrap p-value and interval of one term. */
export interface BoottestSummary {
  term: string;
  p_value: number;
  ci_low: number | null;
  ci_high: number | null;
  level: number; // percent
  reps: number;
  weighttype: string;
  null_imposed: boolean;
}

/** `boottest TERM`: the wild cluster bootstrap-t of TERM = 0 (CONTRACT.md). */
export interface BoottestResult {
  kind: 'boottest';
  model: string | null;
  term: string;
  estimate: number;
  se: number; // with boottest's small-sample factor
  t: number;
  p_value: number;
  ci_low: number | null; // null: unbounded on that side
  ci_high: number | null;
  /** the exact crossings of p = 1 - level (fwildclusterboot's root finder stops within ~1e-6 of them) */
  ci_exact: [number | null, number | null];
  level: number;
  reps: number;
  enumerated: boolean;
  weighttype: string;
  null_imposed: boolean;
  n_clusters: number;
  cluster: string;
  seed: number | null;
  warnings: string[];
  line?: number;
  seconds: number;
}

/** `ritest TREAT _b[TREAT], reps(N): COMMAND`: randomization inference (CONTRACT.md). */
export interface RitestResult {
  kind: 'ritest';
  term: string;
  actual: number;
  reps: number;
  draws: number[];
  p_value: number;
  /** exact binomial 95% interval of p over the Monte-Carlo draws */
  p_ci: [number, number];
  mean: number;
  sd: number;
  seed: number;
  command: string;
  permuted: string; // the permutation groups: the xtset unit, the cluster() variable, or "observation"
  strata: string | null;
  groups: number;
  collinear_draws: number;
  line?: number;
  seconds: number;
  [extra: string]: unknown;
}

export interface DataResult {
  kind: 'data';
  file: string;
  rows: number;
  columns: number;
  /** Text files: the encoding the bytes were read as (utf-8, gb18030, big5 ...). */
  encoding?: string;
  /** What the reader changed or guessed (renamed columns, the encoding, cells read as missing). */
  notes?: string[];
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
  df: number | null; // degrees of freedom of the t quantile (the model's df_t); null: normal (csdid)
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
  categories: { name: string; label: string; at?: number }[];
  series: { model: string; points: (CoefplotPoint & { category: string })[]; legend?: string }[];
  /** 'event_time': event studies drawn on their relative period k (categories carry `at` = k) */
  axis?: 'event_time';
  seconds: number;
  [extra: string]: unknown;
}

/** One ATT(g,t) of csdid; att null where R reports NA, se null where R does (zero or NA). */
export interface CsdidCellRow {
  group: number;
  time: number;
  att: number | null;
  se: number | null;
  /** band att -/+ crit * se: pointwise normal, or the bootstrap's uniform band with wboot */
  ci_low: number | null;
  ci_high: number | null;
  post: boolean;
}

export interface CsdidEffect {
  att: number;
  se: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

export interface CsdidAggregation<K extends string> extends CsdidEffect {
  by: (Record<K, number> & CsdidEffect)[];
  /** critical value of the by-rows' band (1.96, or the bootstrap sup-t with wboot) */
  crit: number;
}

/**
 * csdid (Callaway and Sant'Anna 2021, as R did's att_gt + aggte): CONTRACT's fields, plus the fields
 * every estimation result has so that esttab, hovers and plots read it like one (one `ATT` coefficient,
 * the simple aggregate; `event_time` for the event-study plot; no R², no fixed effects).
 */
export interface CsdidResult {
  kind: 'estimation';
  command: 'csdid';
  name: string | null;
  line: number;
  depvar: string;
  n_units: number;
  /** rows used: units x periods of the balanced panel */
  nobs: number;
  periods: number[];
  cohorts: number[];
  control_group: 'nevertreated' | 'notyettreated';
  est_method: 'dr' | 'reg' | 'ipw';
  base_period: 'varying' | 'universal';
  anticipation: number;
  covariates: string[];
  att_gt: CsdidCellRow[];
  aggregate: {
    simple: CsdidEffect;
    event: CsdidAggregation<'e'>;
    group: CsdidAggregation<'group'>;
    calendar: CsdidAggregation<'time'>;
  };
  /** the aggregation agg() asked to show first */
  agg: 'simple' | 'event' | 'group' | 'calendar';
  pretrend: { stat: number; df: number; p: number } | null;
  bootstrap: { reps: number; seed: number; weights: 'rademacher'; clusters: number; cluster_var: string | null } | null;
  coefficients: CoefRow[];
  event_time: { k: number; estimate: number; se: number; ci_low: number; ci_high: number }[];
  vcov: VcovInfo;
  fixed_effects: FixedEffectInfo[];
  omitted: { term: string; reason: string }[];
  singletons_removed: number;
  r2: null;
  adj_r2: null;
  r2_within: null;
  warnings?: string[];
  seconds: number;
}

/** bacondecomp: the Goodman-Bacon decomposition of a TWFE coefficient. */
export interface BaconResultJson {
  kind: 'bacon';
  line?: number;
  depvar: string;
  treat: string;
  twfe: number; // the TWFE coefficient of TREAT (= sum of weight x estimate)
  nobs: number;
  n_units: number;
  n_periods: number;
  /** every 2x2 in bacondecomp's order; untreated null = never treated, "always" = treated from the first period */
  two_by_twos: {
    treated: number;
    untreated: number | 'always' | null;
    type: 'Treated vs Untreated' | 'Earlier vs Later Treated' | 'Later vs Earlier Treated' | 'Later vs Always Treated';
    estimate: number;
    weight: number;
  }[];
  /** per type: total weight and weighted average estimate (bacondecomp's summary) */
  by_type: { type: string; weight: number; avg_estimate: number }[];
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
  | CsdidResult
  | DataResult
  | PlaceboResult
  | IndexResult
  | SummaryResult
  | TableResult
  | MatchResult
  | CoefplotResult
  | BaconResultJson
  | BoottestResult
  | RitestResult
  | OtherResult;

export interface RunOutput {
  version: 1;
  file: string;
  results: CommandResult[];
}
