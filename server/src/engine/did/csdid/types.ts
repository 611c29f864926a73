// Inputs, options and results of the Callaway-Sant'Anna (2021) estimator (R `did` 2.1.2's att_gt +
// aggte). Row arrays come in; everything after panel building works per unit on typed arrays.

/** The 2x2 estimator of every ATT(g,t) cell: DRDID's drdid_panel, reg_did_panel, std_ipw_did_panel. */
export type CsdidMethod = 'dr' | 'reg' | 'ipw';
/** Comparison units: never treated only, or never treated plus not yet treated (R's control_group). */
export type CsdidControl = 'never' | 'notyet';
/** R's base_period: 'varying' (short differences before treatment) or 'universal' (always g-1-anticipation). */
export type CsdidBasePeriod = 'varying' | 'universal';

export interface CsdidColumn {
  name: string;
  values: Float64Array;
}

/** One value per data row; rows with a missing outcome, covariate, unit or time are left out, as R does. */
export interface CsdidInput {
  unit: Float64Array;
  time: Float64Array;
  /** first treated period; 0 or NaN = never treated */
  gvar: Float64Array;
  y: Float64Array;
  covariates: CsdidColumn[];
  /** multiplier-bootstrap cluster (must be constant within a unit); used only with the bootstrap, as R */
  cluster?: CsdidColumn;
  /** how a unit value reads in messages (string ids come in as codes) */
  unitLabel?: (value: number) => string;
}

export interface CsdidBootstrap {
  reps: number;
  seed: number;
}

export interface CsdidOptions {
  control: CsdidControl;
  method: CsdidMethod;
  basePeriod: CsdidBasePeriod;
  /** R's anticipation: periods before g in which units may already react */
  anticipation: number;
  /** multiplier bootstrap (R's bstrap = TRUE, cband = TRUE); analytic influence-function errors without it */
  bootstrap?: CsdidBootstrap;
  /** aggte's min_e / max_e: event times outside are left out of the event summary, and cells after
   *  g + max_e out of the simple and group summaries (as R) */
  eventWindow?: { min: number; max: number };
}

/** One ATT(g,t). att null: R's NA (the cell could not be estimated, see warnings); se null: zero or NA. */
export interface AttGtCell {
  group: number;
  time: number;
  att: number | null;
  se: number | null;
  /** true for t >= g (R's `post`) */
  post: boolean;
}

export interface AggregateRow {
  /** event time e, cohort g or calendar period t */
  key: number;
  att: number;
  se: number | null;
}

export interface Aggregate {
  att: number;
  se: number | null;
  by: AggregateRow[];
  /** critical value of the by-rows' confidence band: uniform (bootstrap sup-t) or pointwise normal */
  crit: number;
}

export interface CsdidEstimate {
  nUnits: number;
  periods: number[];
  cohorts: number[];
  cells: AttGtCell[];
  /** critical value for the cells' band: 1.96 analytic, the bootstrap sup-t otherwise */
  cellCrit: number;
  simple: { att: number; se: number | null };
  event: Aggregate;
  group: Aggregate;
  calendar: Aggregate;
  /** Wald test that every pre-treatment ATT(g,t) is 0; null when R returns none (no pre-periods, singular) */
  pretrend: { stat: number; df: number; p: number } | null;
  warnings: string[];
  bootstrap: { reps: number; seed: number; clusters: number } | null;
}
