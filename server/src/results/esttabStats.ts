// The statistics esttab's stats(), scalars(), r2, ar2 and pr2 can put under the coefficients, by
// the names Stata users write (the e() scalars of reghdfe/ivreghdfe: N, r2, r2_a, r2_within,
// N_clust, widstat, ...) and by PanelSpec's own row names (clusters, first_f, kp_f, ...).

import type { EstimationResult } from './types';

/** PanelSpec's built-in statistic rows (the default footer is a list of these). */
export type StatKind = 'fe' | 'nobs' | 'r2' | 'adj_r2' | 'r2_within' | 'clusters' | 'first_f' | 'kp_lm' | 'kp_lm_p' | 'kp_f' | 'cd_f' | 'sy10' | 'vcov' | 'p_boot' | 'ci_boot' | 'cohorts';

export interface StatDef {
  label: string;
  /** The built-in row this is, for its default formatting (counts, 2-decimal F statistics...). */
  kind?: Exclude<StatKind, 'fe'>;
  /** The number a user format applies to (undefined: not a number, e.g. `vcov`). */
  value?: (r: EstimationResult) => number | null | undefined;
  /** Shown with 2 decimals when no format is given (test statistics, as ivreg2 prints them). */
  twoDecimals?: boolean;
}

/**
 * Adoption cohorts in the estimation sample: csdid's treated groups, a did model's first treated
 * periods, sunab's cohort x period cells (distinct cohorts). Undefined where the model does not say.
 */
export function cohortCount(r: EstimationResult): number | undefined {
  if (r.cohorts) return r.cohorts.length;
  if (r.treatment?.time) return r.treatment.cohorts.length;
  if (r.cohort_cells) return new Set(r.cohort_cells.map((c) => c.cohort)).size;
  return undefined;
}

const clusterCount = (i: number) => (r: EstimationResult) => (r.vcov.type === 'cluster' ? r.vcov.n_clusters[i] : undefined);

const DEFS: Record<string, StatDef> = {
  N: { label: 'N', kind: 'nobs', value: (r) => r.nobs },
  r2: { label: 'R²', kind: 'r2', value: (r) => r.r2 },
  r2_a: { label: 'Adjusted R²', kind: 'adj_r2', value: (r) => r.adj_r2 },
  r2_p: { label: 'Pseudo R²', value: (r) => (r as { r2_p?: number | null }).r2_p },
  r2_within: { label: 'Within R²', kind: 'r2_within', value: (r) => r.r2_within },
  N_clust: {
    label: 'Clusters',
    kind: 'clusters',
    // reghdfe's e(N_clust) with several cluster variables is the smallest count
    value: (r) => (r.vcov.type === 'cluster' && r.vcov.n_clusters.length ? Math.min(...r.vcov.n_clusters) : undefined),
  },
  N_clust1: { label: 'Clusters (1)', value: clusterCount(0) },
  N_clust2: { label: 'Clusters (2)', value: clusterCount(1) },
  df_r: { label: 'Residual df', value: (r) => r.df_resid },
  rmse: { label: 'RMSE', value: (r) => r.sigma ?? r.rmse }, // Stata's e(rmse) divides by N - K
  F: { label: 'F', value: (r) => r.f, twoDecimals: true },
  num_singletons: { label: 'Singletons dropped', value: (r) => r.singletons_removed },
  widstat: { label: 'KP rk Wald F', kind: 'kp_f', value: (r) => r.kp_rk_wald_f ?? r.cragg_donald_f, twoDecimals: true },
  cdf: { label: 'Cragg-Donald Wald F', kind: 'cd_f', value: (r) => r.cragg_donald_f, twoDecimals: true },
  idstat: { label: 'KP rk LM', value: (r) => r.kp_rk_lm?.stat, twoDecimals: true },
  idp: { label: 'KP rk LM p-value', kind: 'kp_lm_p', value: (r) => r.kp_rk_lm?.p },
  // PanelSpec's own row names
  first_f: { label: 'First-stage F', kind: 'first_f' },
  kp_lm: { label: 'KP rk LM', kind: 'kp_lm' },
  sy10: { label: 'Stock-Yogo 10% maximal IV size', kind: 'sy10', value: (r) => r.stock_yogo?.size10, twoDecimals: true },
  vcov: { label: 'Standard errors', kind: 'vcov' },
  // the last boottest on the model (wild cluster bootstrap p-value and interval of its term)
  p_boot: { label: 'Wild bootstrap p', kind: 'p_boot', value: (r) => r.boottest?.p_value },
  ci_boot: { label: 'Wild bootstrap CI', kind: 'ci_boot' },
  // staggered-adoption estimators: how many adoption cohorts the model uses
  cohorts: { label: 'Cohorts', kind: 'cohorts', value: cohortCount },
};

/** Other spellings: esttab's flag names and PanelSpec's row names. */
const ALIASES: Record<string, string> = {
  obs: 'N',
  nobs: 'N',
  ar2: 'r2_a',
  adj_r2: 'r2_a',
  pr2: 'r2_p',
  r2_w: 'r2_within',
  clusters: 'N_clust',
  kp_f: 'widstat',
  cd_f: 'cdf',
  kp_lm_p: 'idp',
};

/** The canonical name of a statistic as written (case kept for N/F, as Stata's e() names). */
export function resolveStat(written: string): string | undefined {
  if (DEFS[written]) return written;
  if (ALIASES[written]) return ALIASES[written];
  const lower = written.toLowerCase();
  for (const k of Object.keys(DEFS)) if (k.toLowerCase() === lower) return k;
  return ALIASES[lower];
}

export function statDef(name: string): StatDef {
  return DEFS[name];
}

export function statNames(): string[] {
  return Object.keys(DEFS);
}
