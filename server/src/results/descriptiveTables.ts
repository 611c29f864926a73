// Tables for the descriptive commands: tabstat (statistics by variable, optionally by group,
// the study's Table 2 when asked for n mean sd min max), tabulate (one- and two-way) and describe.

import type { DescribeResult, TabstatResult, TabstatRow, TabulateResult } from './types';
import { DEFAULT_DECIMALS, clampDecimals, formatNumber } from './format';
import { type Cell, type TableModel, type TableRow, empty, text } from './tableModel';

const STAT_TITLE: Record<string, string> = {
  n: 'N',
  count: 'N',
  mean: 'Mean',
  sd: 'SD',
  min: 'Min',
  max: 'Max',
  sum: 'Sum',
  median: 'Median',
  p50: 'Median',
  variance: 'Variance',
  range: 'Range',
  iqr: 'IQR',
  skewness: 'Skewness',
  kurtosis: 'Kurtosis',
  cv: 'CV',
  semean: 'SE(mean)',
};
const COUNT_STATS = new Set(['n', 'count']);

const num = (x: number | null | undefined): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

export function tabstatTable(r: Omit<TabstatResult, 'seconds'>, opts: { decimals?: number; labels?: Record<string, string> } = {}): TableModel | undefined {
  const stats = r.statistics;
  const rows = r.rows;
  if (!stats.length || !rows.length) return undefined;
  const d = clampDecimals(opts.decimals ?? DEFAULT_DECIMALS);
  const byGroup = rows.some((row) => row.group !== undefined);
  const cell = (s: string, v: number | null | undefined): Cell => {
    const n = num(v);
    if (n === undefined) return empty;
    return COUNT_STATS.has(s) ? { kind: 'count', value: n } : text(formatNumber(n, d));
  };
  const varLabel = (row: TabstatRow) => (byGroup ? `${row.group ?? ''}: ` : '') + (opts.labels?.[row.var] ?? row.var);
  const statCells = (row: TabstatRow) => stats.map((s) => cell(s, row[s]));
  const title = byGroup && r.by !== null ? `Statistics by ${r.by}` : undefined;
  const typed = rows.some((row) => typeof row.type === 'string');
  const symbols = r.symbols === true;
  if (!typed && !symbols) {
    const body: TableRow[] = rows.map((row) => ({ label: varLabel(row), cells: statCells(row), role: 'data' }));
    return { title, headers: [{ stub: 'Variable', cells: stats.map((s) => STAT_TITLE[s] ?? s) }], sections: [body], notes: [], ncols: stats.length };
  }
  // The layout of a paper's descriptive-statistics table: variable type (once per group, a rule
  // between groups), variable, symbol (its name in the data), then the statistics.
  const sections: TableRow[][] = [];
  let last: string | undefined;
  for (const row of rows) {
    const type = row.type ?? '';
    const first = !typed || type !== last;
    if (first || !sections.length) sections.push([]);
    last = type;
    const cells: Cell[] = [...(typed ? [text(varLabel(row))] : []), ...(symbols ? [text(row.var)] : []), ...statCells(row)];
    sections[sections.length - 1].push({ label: typed ? (first ? type : '') : varLabel(row), cells, role: 'data' });
  }
  const heads = [...(typed ? ['Variable'] : []), ...(symbols ? ['Symbol'] : []), ...stats.map((s) => STAT_TITLE[s] ?? s)];
  return { title, headers: [{ stub: typed ? 'Variable type' : 'Variable', cells: heads }], sections: typed ? sections : [sections.flat()], notes: [], ncols: heads.length };
}

export function tabulateTable(r: TabulateResult): TableModel | undefined {
  if (!r.rows.length) return undefined;
  const total = r.total;
  if ('columns' in r) {
    // Two-way: one column per level of the second variable, plus the row total.
    const cols = r.columns;
    const body: TableRow[] = r.rows.map((row) => ({
      label: row.value,
      cells: [...row.freq.map((v): Cell => ({ kind: 'count', value: v })), { kind: 'count', value: row.freq.reduce((a, b) => a + b, 0) }],
      role: 'data',
    }));
    const colTotals = cols.map((_, j) => r.rows.reduce((a, row) => a + (row.freq[j] ?? 0), 0));
    const totalRow: TableRow = { label: 'Total', cells: [...colTotals.map((v): Cell => ({ kind: 'count', value: v })), { kind: 'count', value: total }], role: 'stat' };
    return {
      title: `${r.vars[0]} × ${r.vars[1]}`,
      headers: [{ stub: r.vars[0], cells: [...cols, 'Total'] }],
      sections: [body, [totalRow]],
      notes: [],
      ncols: cols.length + 1,
    };
  }
  const body: TableRow[] = r.rows.map((row) => ({
    label: row.value,
    cells: [{ kind: 'count', value: row.freq }, text(formatNumber(row.percent, 2)), text(formatNumber(row.cum, 2))],
    role: 'data',
  }));
  const totalRow: TableRow = { label: 'Total', cells: [{ kind: 'count', value: total }, text('100.00'), empty], role: 'stat' };
  return { headers: [{ stub: r.vars[0], cells: ['Freq.', 'Percent', 'Cum.'] }], sections: [body, [totalRow]], notes: [], ncols: 3 };
}

export function describeTable(r: DescribeResult): TableModel | undefined {
  const vars = r.variables;
  if (!vars.length) return undefined;
  const body: TableRow[] = vars.map((v) => ({
    label: v.name,
    cells: [text(v.type), { kind: 'count', value: v.missing }, text(v.label ?? '')],
    role: 'data',
  }));
  const p = r.panel;
  const notes = [
    `${r.file ? `${r.file}: ` : ''}${r.rows} observations, ${vars.length} variables shown`,
    ...(p ? [`Panel: ${p.unit} × ${p.time}, ${p.units} units, ${p.periods} periods${p.balanced ? ' (balanced)' : ' (unbalanced)'}`] : []),
  ];
  return { headers: [{ stub: 'Variable', cells: ['Type', 'Missing', 'Label'] }], sections: [body], notes, ncols: 3 };
}
