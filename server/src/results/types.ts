// The results that commands produce: exactly the JSON shapes of CONTRACT.md (never rename or drop
// a field there). The CLI writes them, the webview and hovers read them. The union is closed: every
// kind and every field a command writes is declared here, so a reader never guesses.

export type VcovType = 'iid' | 'robust' | 'cluster' | 'dkraay';

/** What the interpreter stamps on every result it records (`ctx.emit`). */
export interface Recorded {
  line?: number; // 1-based line of the command in the spec
  seconds: number;
  quiet?: boolean; // run under `quietly`: recorded, not printed
}

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

/** A first-stage regression of ivreghdfe (one per endogenous regressor). */
export interface FirstStageInfo {
  endog: string;
  coefficients: CoefRow[]; // excluded instruments first, then exogenous regressors
  f: number; // F of the excluded instruments, iid (fixest ivf)
  f_p: number;
  f_df: [number, number];
  wald_f: number; // Wald F of the excluded instruments with the estimation's vcov (fixest ivwald)
  wald_p: number;
  r2_partial?: number;
}

export interface TestStat {
  stat: number;
  df: number;
  p: number;
}

export interface StockYogoValues {
  size10: number;
  size15: number;
  size20: number;
  size25: number;
}

/** ivreghdfe's identification diagnostics (kp_rk_wald_f as ivreg2; fixest's values beside). */
export interface IvDiagnostics {
  first_stage: FirstStageInfo[];
  kp_rk_lm: TestStat;
  kp_rk_wald: TestStat | null;
  kp_rk_wald_f: number;
  kp_rk_wald_f_fixest: number | null;
  cragg_donald_f: number;
  cragg_donald_f_ivreg2: number;
  stock_yogo: StockYogoValues | null;
  endogenous: string[];
  instruments: string[];
  fixest: { kpr: TestStat | null; kpr_column: TestStat | null; cd: number };
}

export interface EventTimeRow {
  k: number;
  estimate: number;
  se: number;
  ci_low: number;
  ci_high: number;
  term?: string; // the dummy's coefficient name (absent for the reference period)
}

export interface PretrendTest {
  stat: number;
  df1: number;
  df2: number;
  p: number;
  leads: number[]; // the k of the leads tested
}

export interface EstimationResult extends Recorded, Partial<IvDiagnostics> {
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
  r2_p?: number | null; // pseudo R² (esttab pr2), for a likelihood model
  df_t: number; // degrees of freedom of the t / interval distribution
  df_k: number; // K used in the small-sample factor
  level?: number; // level() in percent when written: ci_low / ci_high are at this level (else 95)
  vcov: VcovInfo;
  vcov_scale?: number; // reported V over the uncorrected sandwich
  sum_weights?: number; // with [aw=]
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
  // eventstudy
  event_time?: EventTimeRow[];
  pretrend_test?: PretrendTest | null;
  ref?: number | null; // the reference period k (bjs: the lead dropped as collinear, if any)
  /** eventstudy: which estimator (twfe is the dummy regression) */
  estimator?: 'twfe' | 'sunab' | 'bjs' | 'cs';
  /** eventstudy sunab/bjs: the overall post-treatment average (fixest's ATT aggregate; BJS's static tau) */
  att?: { estimate: number; se: number; t?: number; p?: number; ci_low?: number; ci_high?: number };
  /** eventstudy sunab: the cohort x period interactions behind the period coefficients */
  cohort_cells?: { cohort: number; k: number; term: string; estimate: number; se: number; weight: number }[];
  /** csdid (stored as a model): its adoption cohorts and covariates, for esttab's cohorts row and indicate() */
  cohorts?: number[];
  covariates?: string[];
  /** did_imputation with pretrends(): joint test that the leads are zero, F(df, df2) */
  pretrend?: { f: number; df: number; df2: number; p: number };
  window?: [number, number];
  treat?: string; // the adoption-time variable
  /** did: who is treated when, in the estimation sample (for hovers and the results panel). */
  treatment?: TreatmentInfo;
  labels?: Record<string, string>; // variable labels of depvar and terms (`label var`), for tables
  /** the last boottest run on this model (esttab's p_boot and ci_boot rows) */
  boottest?: BoottestSummary;
  // did_imputation: treated and untreated rows, and the FE fit on untreated rows that imputes Y(0)
  n_treated?: number;
  n_untreated?: number;
  untreated_fit?: { nobs: number; r2: number; ssr: number };
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
export interface BoottestResult extends Recorded {
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
  /** bootstrap clusters (the weights are drawn per cluster) */
  n_clusters: number;
  /** the error clustering variables, space-separated (two for two-way clustering) */
  cluster: string;
  /** the bootstrap clusters: `cluster` when one-way, else bootcluster() or the intersection `c1#c2` */
  bootcluster: string;
  seed: number | null;
  warnings: string[];
}

/** `ritest TREAT _b[TREAT], reps(N): COMMAND`: randomization inference (CONTRACT.md). */
export interface RitestResult extends Recorded {
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
}

export interface DataResult extends Recorded {
  kind: 'data';
  file: string;
  rows: number;
  columns: number;
  /** Text files: the encoding the bytes were read as (utf-8, gb18030, big5 ...). */
  encoding?: string;
  /** What the reader changed or guessed (renamed columns, the encoding, cells read as missing). */
  notes?: string[];
  /** Opened in DuckDB without loading it (`use ..., lazy`, a glob, a compressed or large file). */
  lazy?: boolean;
}

export interface PlaceboResult extends Recorded {
  kind: 'placebo';
  name?: string | null;
  reps: number;
  draws: number[];
  actual: number;
  mean: number;
  sd: number;
  p_value: number;
  treat?: string;
  depvar?: string;
  actual_se?: number;
  units?: number; // units given the placebo treatment per draw
  seed?: number;
  treated_units?: number;
  adoption_times?: number[];
  collinear_draws?: number;
  /** what the draws are, for the histogram's caption (ritest's: permutation draws) */
  noun?: string;
}

export interface IndexResult extends Recorded {
  kind: 'index';
  name: string;
  method: 'entropy';
  weights: { var: string; direction: 1 | -1; weight: number; entropy?: number }[];
  nobs?: number;
  shift?: number;
  scale?: number;
  warnings?: string[];
}

export interface SummaryRow {
  var: string;
  n: number;
  mean: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
  label?: string;
  // detail
  variance?: number | null;
  skewness?: number | null;
  kurtosis?: number | null;
  sum?: number | null;
  p1?: number | null;
  p5?: number | null;
  p10?: number | null;
  p25?: number | null;
  p50?: number | null;
  p75?: number | null;
  p90?: number | null;
  p95?: number | null;
  p99?: number | null;
}

export interface SummaryResult extends Recorded {
  kind: 'summary';
  rows: SummaryRow[];
  detail?: boolean;
  file?: string; // save(): the table written
}

/** tabstat's statistics by the names written (`p50`: any percentile p1 ... p99; `var` is read as variance). */
export type TabstatStatName =
  | 'n' | 'count' | 'mean' | 'sd' | 'min' | 'max' | 'sum' | 'median' | 'variance' | 'range' | 'cv' | 'semean' | 'iqr' | 'skewness' | 'kurtosis'
  | `p${number}`;

export type TabstatRow = {
  var: string;
  group?: string; // by(): the group's value, or Total
  type?: string; // vartype(): the variable's role
} & { [stat in TabstatStatName]?: number | null };

export interface TabstatResult extends Recorded {
  kind: 'tabstat';
  statistics: TabstatStatName[];
  by: string | null;
  rows: TabstatRow[];
  symbols?: boolean;
  file?: string;
}

export interface DescribeResult extends Recorded {
  kind: 'describe';
  rows: number;
  columns: number;
  file: string | null;
  variables: { name: string; type: 'string' | 'int' | 'double'; label: string | null; missing: number; renamed_from?: string }[];
  panel: {
    unit: string;
    time: string;
    units: number;
    periods: number;
    time_min: number | null;
    time_max: number | null;
    balanced: boolean;
    min_obs_per_unit: number;
    max_obs_per_unit: number;
  } | null;
}

/** tabulate with one variable: frequencies, percents and cumulative percents per value. */
export interface OneWayTabulate extends Recorded {
  kind: 'tabulate';
  vars: [string];
  total: number;
  rows: { value: string; freq: number; percent: number; cum: number }[];
}

/** tabulate with two variables: counts per row value, one per column value. */
export interface TwoWayTabulate extends Recorded {
  kind: 'tabulate';
  vars: [string, string];
  total: number;
  columns: string[];
  rows: { value: string; freq: number[] }[];
}

export type TabulateResult = OneWayTabulate | TwoWayTabulate;

export interface ExportResult extends Recorded {
  kind: 'export';
  file: string;
  rows: number;
  columns: number;
}

export interface GraphResult extends Recorded {
  kind: 'graph';
  file: string;
  plot: 'eventstudy' | 'placebo' | 'coefplot' | 'bacon';
  source_line: number | null;
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
  paren?: 'se' | 't' | 'p' | 'ci'; // ci: the confidence interval in brackets
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

export interface TableResult extends Recorded, EsttabLayout {
  kind: 'table';
  models: string[];
  file: string | null;
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
}

export interface BalanceRow {
  var: string;
  mean_treated_before: number;
  mean_control_before: number;
  smd_before: number;
  mean_treated_after: number;
  mean_control_after: number;
  smd_after: number;
}

export interface MatchGroup {
  group: string;
  treated: number;
  controls: number;
  treated_matched: number;
  coefficients: Record<string, number>;
}

export interface MatchResult extends Recorded {
  kind: 'match';
  name: string;
  treated_matched: number;
  controls_used: number;
  rows_kept: number;
  treated_unmatched?: number;
  balance?: BalanceRow[];
  groups?: MatchGroup[];
  warnings?: string[];
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
export interface CoefplotResult extends Recorded {
  kind: 'plot';
  plot: 'coefplot';
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
export interface CsdidResult extends Recorded {
  kind: 'estimation';
  command: 'csdid' | 'eventstudy'; // eventstudy: estimator(cs), the dynamic aggregate as its coefficient
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
  labels?: Record<string, string>;
  // eventstudy estimator(cs)
  estimator?: 'cs';
  treat?: string;
  att?: { estimate: number; se: number | null };
  window?: [number, number];
}

/** bacondecomp: the Goodman-Bacon decomposition of a TWFE coefficient. */
export interface BaconResultJson extends Recorded {
  kind: 'bacon';
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
  | TabstatResult
  | DescribeResult
  | TabulateResult
  | ExportResult
  | GraphResult;

/** What a command hands to `ctx.emit`: a result without the fields the interpreter stamps. */
export type NewResult = CommandResult extends infer R ? (R extends CommandResult ? Omit<R, keyof Recorded> : never) : never;

/** The result kinds. */
export type ResultKind = CommandResult['kind'];

export interface RunOutput {
  version: 1;
  file: string;
  results: CommandResult[];
}
