// The csdid engine's estimate -> the contract's JSON result (results/types.ts CsdidResult): cells and
// aggregates with their bands, plus the fields every estimation result carries (an `ATT`
// coefficient = the simple aggregate, `event_time` for the event-study plot).
import { normalTwoSidedP } from '../../engine/dist';
import type { Aggregate, CsdidEstimate, CsdidOptions } from '../../engine/did/csdid';
import type { CoefRow, CsdidAggregation, CsdidEffect, CsdidResult, EstimationResult } from '../../results/types';

const Z975 = 1.959963984540054;

export interface CsdidLabels {
  name: string | null;
  line: number;
  depvar: string;
  unit: string;
  covariates: string[];
  agg: CsdidResult['agg'];
  clusterVar: string | null;
}

function effect(att: number, se: number | null, crit: number): CsdidEffect {
  return { att, se, ci_low: se === null ? null : att - crit * se, ci_high: se === null ? null : att + crit * se };
}

function aggregation<K extends string>(a: Aggregate, key: K): CsdidAggregation<K> {
  const by = a.by.map((r) => ({ [key]: r.key, ...effect(r.att, r.se, a.crit) }) as Record<K, number> & CsdidEffect);
  return { ...effect(a.att, a.se, Z975), by, crit: a.crit };
}

/** The overall ATT as a coefficient row (normal inference, as did's summaries). */
function attCoefficient(att: number, se: number | null): CoefRow[] {
  if (se === null) return [];
  const z = att / se;
  return [{ term: 'ATT', estimate: att, se, t: z, p: normalTwoSidedP(z), ci_low: att - Z975 * se, ci_high: att + Z975 * se }];
}

export function toCsdidResult(est: CsdidEstimate, opts: CsdidOptions, labels: CsdidLabels): CsdidResult {
  const event = aggregation(est.event, 'e');
  return {
    kind: 'estimation',
    command: 'csdid',
    name: labels.name,
    line: labels.line,
    depvar: labels.depvar,
    n_units: est.nUnits,
    nobs: est.nUnits * est.periods.length,
    periods: est.periods,
    cohorts: est.cohorts,
    control_group: opts.control === 'never' ? 'nevertreated' : 'notyettreated',
    est_method: opts.method,
    base_period: opts.basePeriod,
    anticipation: opts.anticipation,
    covariates: labels.covariates,
    att_gt: est.cells.map((c) => ({
      group: c.group,
      time: c.time,
      ...(c.att === null ? { att: null, se: null, ci_low: null, ci_high: null } : effect(c.att, c.se, est.cellCrit)),
      post: c.post,
    })),
    aggregate: {
      simple: effect(est.simple.att, est.simple.se, Z975),
      event,
      group: aggregation(est.group, 'group'),
      calendar: aggregation(est.calendar, 'time'),
    },
    agg: labels.agg,
    pretrend: est.pretrend,
    bootstrap: est.bootstrap ? { ...est.bootstrap, weights: 'rademacher', cluster_var: labels.clusterVar } : null,
    coefficients: attCoefficient(est.simple.att, est.simple.se),
    // the universal base period's reference e = -1 (att 0, no se) shows as the plot's reference point
    event_time: event.by.map((r) => ({ k: r.e, estimate: r.att, se: r.se ?? 0, ci_low: r.ci_low ?? r.att, ci_high: r.ci_high ?? r.att })),
    vcov: { type: 'cluster', clusters: [labels.clusterVar && est.bootstrap ? labels.clusterVar : labels.unit], n_clusters: [est.bootstrap?.clusters ?? est.nUnits] },
    fixed_effects: [],
    omitted: [],
    singletons_removed: 0,
    r2: null,
    adj_r2: null,
    r2_within: null,
    ...(est.warnings.length ? { warnings: est.warnings } : {}),
    seconds: 0,
  };
}

/**
 * A csdid result where a model is stored: esttab, eststo and coefplot read only what it carries
 * (coefficients, nobs, vcov, fixed effects); the OLS-only fields (df_t, rmse ...) stay absent, as they
 * are in its JSON. The one place a CsdidResult is seen as an EstimationResult.
 */
export function asStoredModel(r: CsdidResult): EstimationResult {
  return r as unknown as EstimationResult;
}
