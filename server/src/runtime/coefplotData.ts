// The numbers a coefplot draws: for each stored model, its coefficients after keep()/drop()/rename(),
// each with the interval at the requested level. The interval uses the model's own t distribution
// (df_t: G-1 when clustered, N-K otherwise), so that at 95% it is exactly the model's ci_low/ci_high
// and at another level it is estimate ± t_{df}(1 - (1 - level/100)/2) · se.

import { normalTwoSidedP, tQuantile } from '../engine/dist';
import { ResultsError } from '../results/errors';
import { eventTermLabel, globMatch } from '../results/regressionTable';
import type { CoefplotPoint, EstimationResult } from '../results/types';

export interface CoefplotOptions {
  keep?: string[]; // coefficient names or globs, matched against the name before or after rename()
  drop?: string[];
  rename?: Record<string, string>; // term -> name on the axis (equal names share a row, as coefplot)
  level?: number; // percent, default 95
  labels?: boolean; // variable labels on the axis (coefplot's default); false: coefficient names
}

export interface CoefplotData {
  /** `at`: the category's position on the axis (event time k); absent: the i-th category sits at i */
  categories: { name: string; label: string; at?: number }[];
  series: { model: string; points: (CoefplotPoint & { category: string })[]; legend?: string }[];
  /** 'event_time': every model is an event study and the axis is the relative period k */
  axis?: 'event_time';
}

/** Event-study estimators as a legend names them. */
const ESTIMATOR_NAMES: Record<string, string> = { twfe: 'TWFE', sunab: 'Sun-Abraham', cs: 'Callaway-Sant\'Anna', bjs: 'Borusyak-Jaravel-Spiess' };

/** An event study's rows on the k axis: eventstudy (any estimator) and csdid (its dynamic aggregation). */
function eventRows(result: EstimationResult): NonNullable<EstimationResult['event_time']> | undefined {
  if (result.command !== 'eventstudy' && result.command !== 'csdid') return undefined;
  return result.event_time?.length ? result.event_time : undefined;
}

/** k as the axis shows it, with a typographic minus as the estimate axis' ticks. */
const kLabel = (k: number) => String(k).replace(/^-/, '\u2212');

/** The dummy name of relative period k, as eventstudy names it (`_k_m4`, `_k_0`): what keep()/drop() match. */
const eventTerm = (k: number) => (k < 0 ? `_k_m${-k}` : `_k_${k}`);

/** The interval of one coefficient at `level` percent with the model's degrees of freedom (`modelLevel`: the level of its ci_low/ci_high). */
export function coefInterval(row: { estimate: number; se: number; ci_low: number; ci_high: number }, df: number, level: number, modelLevel = 95): [number, number] {
  // At the model's own level its bounds: the same numbers as its table and JSON, not a recomputation.
  if (level === modelLevel) return [row.ci_low, row.ci_high];

  const q = tQuantile(1 - (1 - level / 100) / 2, df);
  return [row.estimate - q * row.se, row.estimate + q * row.se];
}

export function coefplotData(models: { name: string; result: EstimationResult }[], opts: CoefplotOptions = {}): CoefplotData {
  const level = opts.level ?? 95;
  if (!(level >= 10 && level <= 99.99)) throw new ResultsError(`levels() must be between 10 and 99.99, not ${level}`);
  const events = models.map((m) => eventRows(m.result));
  if (events.every((e) => e !== undefined)) return eventTimeData(models, events as NonNullable<EstimationResult['event_time']>[], opts, level);
  const ev = events.findIndex((e) => e !== undefined);
  if (ev >= 0) {
    // one axis cannot be both event time k and coefficient names
    const other = models[events.findIndex((e) => e === undefined)].name;
    throw new ResultsError(`${models[ev].name} is an event study (drawn on its event time k) and ${other} is not: plot them in separate coefplots`);
  }
  const rename = opts.rename ?? {};
  const matches = (patterns: string[], term: string, shown: string) => patterns.some((p) => globMatch(p, term) || globMatch(p, shown));
  const categories = new Map<string, string>();
  const series: CoefplotData['series'] = [];
  for (const { name, result } of models) {
    const df = result.df_t;
    const points: CoefplotData['series'][number]['points'] = [];
    for (const row of result.coefficients) {
      // collinear or unidentified coefficients have no estimate to draw
      if (!Number.isFinite(row.estimate)) continue;
      const shown = rename[row.term] ?? row.term;
      if (opts.keep?.length && !matches(opts.keep, row.term, shown)) continue;
      if (opts.drop?.length && matches(opts.drop, row.term, shown)) continue;
      if (!(df > 0)) throw new ResultsError(`model ${name} has no degrees of freedom for its intervals`);
      const [lo, hi] = coefInterval(row, df, level, result.level ?? 95);
      const label =
        rename[row.term] !== undefined ? shown : opts.labels === false ? row.term : (result.labels?.[row.term] ?? eventTermLabel(row.term) ?? row.term); // event dummies as tables show them: k = -4
      if (!categories.has(shown)) categories.set(shown, label);
      points.push({ term: row.term, category: shown, label: categories.get(shown)!, estimate: row.estimate, se: row.se, df, ci_low: lo, ci_high: hi, level });
    }
    series.push({ model: name, points });
  }
  return { categories: [...categories].map(([n, label]) => ({ name: n, label })), series };
}

/**
 * Event studies side by side: each model's event_time rows (the reference period, where the
 * estimator has one, is a row with estimate 0 and no interval) at their relative period k, one
 * category per integer k from the smallest to the largest, so that the axis is linear in k. csdid's
 * rows are its dynamic aggregation (aggte type "dynamic"), not its single ATT coefficient.
 */
function eventTimeData(models: { name: string; result: EstimationResult }[], events: NonNullable<EstimationResult['event_time']>[], opts: CoefplotOptions, level: number): CoefplotData {
  const matches = (patterns: string[], term: string) => patterns.some((p) => globMatch(p, term));
  const series: CoefplotData['series'] = [];
  const ks = new Set<number>();
  models.forEach(({ name, result }, j) => {
    // csdid and estimator(cs) report normal intervals (R did); the regressions their t(df_t)
    const normal = result.command === 'csdid' || result.estimator === 'cs';
    if (!normal && !(result.df_t > 0)) throw new ResultsError(`model ${name} has no degrees of freedom for its intervals`);
    const points: CoefplotData['series'][number]['points'] = [];
    for (const row of events[j]) {
      if (!Number.isFinite(row.estimate)) continue;
      const term = row.term ?? eventTerm(row.k);
      if (opts.keep?.length && !matches(opts.keep, term)) continue;
      if (opts.drop?.length && matches(opts.drop, term)) continue;
      const [lo, hi] = row.se === 0 ? [row.estimate, row.estimate] : normal ? normalInterval(row, level) : coefInterval(row, result.df_t, level);
      ks.add(row.k);
      points.push({ term, category: String(row.k), label: kLabel(row.k), estimate: row.estimate, se: row.se, df: normal ? null : result.df_t, ci_low: lo, ci_high: hi, level });
    }
    const est = result.command === 'csdid' ? 'cs' : result.estimator;
    series.push({ model: name, points, legend: est && ESTIMATOR_NAMES[est] ? `${name} (${ESTIMATOR_NAMES[est]})` : name });
  });
  const categories: CoefplotData['categories'] = [];
  if (ks.size) {
    const lo = Math.min(...ks);
    const hi = Math.max(...ks);
    for (let k = lo; k <= hi; k++) categories.push({ name: String(k), label: kLabel(k), at: k });
  }
  return { categories, series, axis: 'event_time' };
}

/** A normal interval (csdid's pointwise bands): the row's own at 95%, else estimate ± z · se. */
function normalInterval(row: { estimate: number; se: number; ci_low: number; ci_high: number }, level: number): [number, number] {
  if (level === 95) return [row.ci_low, row.ci_high];
  const z = normalCritical(1 - level / 100);
  return [row.estimate - z * row.se, row.estimate + z * row.se];
}

/** z with P(|Z| > z) = alpha, by bisection on the normal tail (to the last bit of a double). */
function normalCritical(alpha: number): number {
  let lo = 0;
  let hi = 40;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (normalTwoSidedP(mid) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
