// The descriptive-statistics table (the study's Table 2: variable, N, mean, SD, min, max) and
// the other small tables a run produces: entropy weights and event-time estimates.

import type { EstimationResult, IndexResult, SummaryResult } from './types';
import { DEFAULT_DECIMALS, clampDecimals, formatNumber } from './format';
import { type Cell, type TableModel, empty, text } from './tableModel';
import { ResultsError } from './errors';

export interface SummaryOptions {
  title?: string;
  decimals?: number;
  labels?: Record<string, string>; // variable labels override the row's own label
  useLabels?: boolean; // show labels instead of names (default true when a label exists)
}

export function summaryTable(result: SummaryResult, opts: SummaryOptions = {}): TableModel {
  const d = clampDecimals(opts.decimals ?? DEFAULT_DECIMALS);
  const num = (x: number | null): Cell => (x === null || !Number.isFinite(x) ? empty : text(formatNumber(x, d)));
  const useLabels = opts.useLabels ?? true;
  const rows = result.rows.map((r) => ({
    label: useLabels ? (opts.labels?.[r.var] ?? r.label ?? r.var) : r.var,
    cells: [{ kind: 'count' as const, value: r.n }, num(r.mean), num(r.sd), num(r.min), num(r.max)],
    role: 'data' as const,
  }));
  return {
    title: opts.title,
    headers: [{ stub: 'Variable', cells: ['N', 'Mean', 'SD', 'Min', 'Max'] }],
    sections: [rows],
    notes: [],
    ncols: 5,
  };
}

export function indexWeightsTable(result: IndexResult, opts: { decimals?: number; labels?: Record<string, string> } = {}): TableModel {
  const d = clampDecimals(opts.decimals ?? DEFAULT_DECIMALS);
  const withEntropy = result.weights.some((w) => typeof w.entropy === 'number');
  const rows = result.weights.map((w) => ({
    label: opts.labels?.[w.var] ?? w.var,
    cells: [
      text(w.direction === 1 ? '+' : '−'),
      ...(withEntropy ? [typeof w.entropy === 'number' ? text(formatNumber(w.entropy, d)) : empty] : []),
      text(formatNumber(w.weight, d)),
    ],
    role: 'data' as const,
  }));
  return {
    title: `Entropy weights of ${result.name}`,
    headers: [{ stub: 'Indicator', cells: ['Direction', ...(withEntropy ? ['Entropy'] : []), 'Weight'] }],
    sections: [rows],
    notes: [],
    ncols: withEntropy ? 3 : 2,
  };
}

const ESTIMATOR_NAMES: Record<string, string> = { sunab: 'Sun-Abraham', bjs: 'BJS imputation', cs: 'Callaway-Sant\'Anna', twfe: 'TWFE' };

/** Event-study estimates by event time k, reference period marked. */
export function eventTimeTable(result: EstimationResult, opts: { decimals?: number } = {}): TableModel {
  const et = result.event_time;
  if (!et?.length) throw new ResultsError('this result has no event-time estimates');
  const d = clampDecimals(opts.decimals ?? DEFAULT_DECIMALS);
  const rows = et.map((e) => {
    const isRef = e.se === 0 && e.estimate === 0;
    return {
      label: String(e.k),
      cells: isRef
        ? [text('0 (ref.)'), empty, empty, empty]
        : [text(formatNumber(e.estimate, d)), text(formatNumber(e.se, d)), text(formatNumber(e.ci_low, d)), text(formatNumber(e.ci_high, d))],
      role: 'data' as const,
      ...(isRef ? { tip: `event time ${e.k}: the reference period (0 by construction)` } : { tip: `event time ${e.k}: ${formatNumber(e.estimate, d)}, SE ${formatNumber(e.se, d)}, ${result.level ?? 95}% CI [${formatNumber(e.ci_low, d)}, ${formatNumber(e.ci_high, d)}]` }),
    };
  });
  const notes: string[] = [];
  const est = result.estimator && result.estimator !== 'twfe' ? ESTIMATOR_NAMES[result.estimator] : null;
  if (result.att) notes.push(`Overall ATT: ${formatNumber(result.att.estimate, d)} (SE ${formatNumber(result.att.se, d)})`);
  const pt = result.pretrend_test;
  if (pt) notes.push(`Pre-trend test (leads = 0): F(${pt.df1}, ${pt.df2}) = ${formatNumber(pt.stat, 2)}, p = ${formatNumber(pt.p, 3)}`);
  if (result.estimator === 'bjs') notes.push('Leads from the regression on untreated rows; intervals estimate -/+ 1.96 SE, as didimputation');
  return {
    title: `Event study${est ? ` (${est})` : ''}: ${result.depvar}`,
    headers: [{ stub: 'k', cells: ['Estimate', 'SE', `${result.level ?? 95}% CI low`, `${result.level ?? 95}% CI high`] }],
    sections: [rows],
    notes,
    ncols: 4,
  };
}
