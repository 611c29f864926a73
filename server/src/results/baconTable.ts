// The table of a Goodman-Bacon decomposition: one row per 2x2 comparison (type, estimate, weight),
// then the totals by type as bacondecomp's summary prints them, and the TWFE estimate they make up.

import type { BaconResultJson } from './types';
import { DEFAULT_DECIMALS, clampDecimals, formatNumber } from './format';
import { type TableModel, type TableRow, text } from './tableModel';

function untreatedLabel(u: BaconResultJson['two_by_twos'][number]['untreated']): string {
  return u === null ? 'never treated' : u === 'always' ? 'always treated' : String(u);
}

export function baconTable(r: BaconResultJson, opts: { decimals?: number } = {}): TableModel {
  const d = clampDecimals(opts.decimals ?? DEFAULT_DECIMALS);
  const pairs: TableRow[] = r.two_by_twos.map((p) => ({
    label: `${p.treated} vs ${untreatedLabel(p.untreated)}`,
    cells: [text(p.type), text(formatNumber(p.estimate, d)), text(formatNumber(p.weight, d))],
    role: 'data',
  }));
  const totals: TableRow[] = r.by_type.map((t) => ({
    label: t.type,
    cells: [text('(all)'), text(formatNumber(t.avg_estimate, d)), text(formatNumber(t.weight, d))],
    role: 'data',
  }));
  return {
    title: `Goodman-Bacon decomposition of ${r.treat} on ${r.depvar}${r.line ? ` (line ${r.line})` : ''}`,
    headers: [{ stub: 'Treated vs control', cells: ['Type', 'Estimate', 'Weight'] }],
    sections: [pairs, totals],
    notes: [`TWFE estimate ${formatNumber(r.twfe, d)} = sum of weight x estimate over the ${r.two_by_twos.length} comparisons (${r.n_units} units, ${r.n_periods} periods).`],
    ncols: 3,
  };
}
