// Fixed results for the renderer tests, built by hand in the shapes of CONTRACT.md.

import type { CoefRow, EstimationResult, PlaceboResult, SummaryResult } from '../../server/src/results/types';

export function coef(term: string, estimate: number, se: number, p: number): CoefRow {
  return { term, estimate, se, t: estimate / se, p, ci_low: estimate - 1.96 * se, ci_high: estimate + 1.96 * se };
}

export function estimation(over: Partial<EstimationResult> = {}): EstimationResult {
  return {
    kind: 'estimation',
    command: 'did',
    name: 'm1',
    line: 12,
    depvar: 'y',
    nobs: 5130,
    df_resid: 5112,
    r2: 0.95123,
    adj_r2: 0.94,
    r2_within: 0.12345,
    rmse: 1,
    df_t: 284,
    df_k: 18,
    vcov: { type: 'cluster', clusters: ['city'], n_clusters: [285] },
    fixed_effects: [
      { name: 'city', levels: 285 },
      { name: 'year', levels: 18 },
    ],
    singletons_removed: 0,
    coefficients: [coef('treat', 0.39, 0.077, 0.0000008), coef('gdp_pc', -0.0123, 0.01, 0.08), coef('pop', 0.002, 0.01, 0.6)],
    omitted: [],
    seconds: 0.01,
    ...over,
  };
}

export function eventStudy(): EstimationResult {
  const ks = [-4, -3, -2, -1, 0, 1, 2, 3];
  return estimation({
    command: 'eventstudy',
    name: 'es',
    line: 20,
    coefficients: [],
    ref: -1,
    event_time: ks.map((k) =>
      k === -1 ? { k, estimate: 0, se: 0, ci_low: 0, ci_high: 0 } : { k, estimate: k < 0 ? 0.01 * k : 0.1 * (k + 1), se: 0.03, ci_low: (k < 0 ? 0.01 * k : 0.1 * (k + 1)) - 0.0588, ci_high: (k < 0 ? 0.01 * k : 0.1 * (k + 1)) + 0.0588 },
    ),
    pretrend_test: { stat: 1.234, df1: 3, df2: 284, p: 0.298, leads: [-4, -3, -2] },
  });
}

export function placebo(n = 500): PlaceboResult {
  // A deterministic spread of draws around 0 (no RNG: the test must not depend on a seed).
  const draws = Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.05);
  const mean = draws.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { kind: 'placebo', line: 30, reps: n, draws, actual: 0.39, mean, sd, p_value: 0, seconds: 1 };
}

export function summary(): SummaryResult {
  return {
    kind: 'summary',
    seconds: 0,
    rows: [
      { var: 'y', n: 5130, mean: 1.5, sd: 0.25, min: 0, max: 3.75, label: 'Log green TFP' },
      { var: 'treat', n: 5130, mean: 0.2, sd: 0.4, min: 0, max: 1 },
      { var: 'gdp_pc', n: 5100, mean: null, sd: null, min: null, max: null },
    ],
  };
}
