// One model's full coefficient table, as Stata's reghdfe prints it: coefficient, standard error,
// t, p and the confidence interval at the model's level() (95 % unless level() was written), then
// the fixed effects and fit statistics of esttab's default footer. The CLI's text output and the
// results panel show an estimation this way; esttab keeps the side-by-side layout.
import type { EstimationResult } from './types';
import { DEFAULT_DECIMALS, clampDecimals, formatNumber } from './format';
import { type Cell, type TableModel, type TableRow, empty, text } from './tableModel';
import { DEFAULT_STATS, eventTermLabel, feRows, parenNote, statRow } from './regressionTable';

const COLUMNS = 6;

export function coefficientTable(r: EstimationResult, opts: { decimals?: number; labels?: Record<string, string>; title?: string } = {}): TableModel {
  const d = clampDecimals(opts.decimals ?? DEFAULT_DECIMALS);
  const level = r.level ?? 95;
  const label = (name: string): string => opts.labels?.[name] ?? eventTermLabel(name) ?? name;
  const num = (x: number, decimals = d): Cell => text(formatNumber(x, decimals));
  const coefRows: TableRow[] = r.coefficients.map((c) => ({
    label: c.term === '_cons' ? 'Constant' : label(c.term),
    cells: [num(c.estimate), num(c.se), num(c.t, 2), num(c.p, 3), num(c.ci_low), num(c.ci_high)],
    role: 'data',
    term: c.term,
  }));
  // the footer's one value per model sits in the first column
  const widen = (row: TableRow): TableRow => ({ ...row, cells: [...row.cells, ...Array<Cell>(COLUMNS - row.cells.length).fill(empty)] });
  const fe = feRows([r], label).map(widen);
  const stats = DEFAULT_STATS.flatMap((s) => (s === 'fe' ? [] : [statRow(s, [r], d)])).filter((row): row is TableRow => row !== undefined).map(widen);
  return {
    title: opts.title,
    headers: [{ stub: label(r.depvar), cells: ['Coefficient', 'Std. err.', 't', 'P>|t|', `[${level}% conf.`, 'interval]'] }],
    sections: [coefRows, fe, stats].filter((s) => s.length),
    notes: [parenNote([r], 'se', label).replace(/ in parentheses$/, '')],
    ncols: COLUMNS,
  };
}
