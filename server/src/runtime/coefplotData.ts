// The numbers a coefplot draws: for each stored model, its coefficients after keep()/drop()/rename(),
// each with the interval at the requested level. The interval uses the model's own t distribution
// (df_t: G-1 when clustered, N-K otherwise), so that at 95% it is exactly the model's ci_low/ci_high
// and at another level it is estimate ± t_{df}(1 - (1 - level/100)/2) · se.

import { tQuantile } from '../engine/dist';
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
  categories: { name: string; label: string }[];
  series: { model: string; points: (CoefplotPoint & { category: string })[] }[];
}

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
