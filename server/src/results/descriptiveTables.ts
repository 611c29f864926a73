// Tables for the descriptive commands: tabstat (statistics by variable, optionally by group,
// the study's Table 2 when asked for n mean sd min max), tabulate (one- and two-way) and describe.
// Their results are OtherResult shapes, so every field is checked before use.

import type { OtherResult } from './types';
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
  var: 'Variance',
  range: 'Range',
  iqr: 'IQR',
  skewness: 'Skewness',
  kurtosis: 'Kurtosis',
  cv: 'CV',
  semean: 'SE(mean)',
};
const COUNT_STATS = new Set(['n', 'count']);

const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const str = (x: unknown): string => (typeof x === 'string' ? x : x === null || x === undefined ? '' : String(x));
const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

export function tabstatTable(r: OtherResult, opts: { decimals?: number; labels?: Record<string, string> } = {}): TableModel | undefined {
  const stats = arr(r.statistics).map(str).filter(Boolean);
  const rows = arr(r.rows).filter((x): x is Record<string, unknown> => !!x && typeof x === 'object');
  if (!stats.length || !rows.length) return undefined;
  const d = clampDecimals(opts.decimals ?? DEFAULT_DECIMALS);
  const byGroup = rows.some((row) => row.group !== undefined);
  const cell = (s: string, v: unknown): Cell => {
    const n = num(v);
    if (n === undefined) return empty;
    return COUNT_STATS.has(s) ? { kind: 'count', value: n } : text(formatNumber(n, d));
  };
  const varLabel = (row: Record<string, unknown>) => (byGroup ? `${str(row.group)}: ` : '') + (opts.labels?.[str(row.var)] ?? str(row.var));
  const statCells = (row: Record<string, unknown>) => stats.map((s) => cell(s, row[s]));
  const title = byGroup && typeof r.by === 'string' ? `Statistics by ${r.by}` : undefined;
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
    const type = str(row.type);
    const first = !typed || type !== last;
    if (first || !sections.length) sections.push([]);
    last = type;
    const cells: Cell[] = [...(typed ? [text(varLabel(row))] : []), ...(symbols ? [text(str(row.var))] : []), ...statCells(row)];
    sections[sections.length - 1].push({ label: typed ? (first ? type : '') : varLabel(row), cells, role: 'data' });
  }
  const heads = [...(typed ? ['Variable'] : []), ...(symbols ? ['Symbol'] : []), ...stats.map((s) => STAT_TITLE[s] ?? s)];
  return { title, headers: [{ stub: typed ? 'Variable type' : 'Variable', cells: heads }], sections: typed ? sections : [sections.flat()], notes: [], ncols: heads.length };
}

export function tabulateTable(r: OtherResult): TableModel | undefined {
  const vars = arr(r.vars).map(str);
  const rows = arr(r.rows).filter((x): x is Record<string, unknown> => !!x && typeof x === 'object');
  if (!vars.length || !rows.length) return undefined;
  const total = num(r.total);
  if (Array.isArray(r.columns)) {
    // Two-way: one column per level of the second variable, plus the row total.
    const cols = arr(r.columns).map(str);
    const body: TableRow[] = rows.map((row) => {
      const f = arr(row.freq).map((x) => num(x) ?? 0);
      return { label: str(row.value), cells: [...f.map((v): Cell => ({ kind: 'count', value: v })), { kind: 'count', value: f.reduce((a, b) => a + b, 0) }], role: 'data' };
    });
    const colTotals = cols.map((_, j) => rows.reduce((a, row) => a + (num(arr(row.freq)[j]) ?? 0), 0));
    const totalRow: TableRow = { label: 'Total', cells: [...colTotals.map((v): Cell => ({ kind: 'count', value: v })), total === undefined ? empty : { kind: 'count', value: total }], role: 'stat' };
    return {
      title: `${vars[0]} × ${vars[1] ?? ''}`,
      headers: [{ stub: vars[0], cells: [...cols, 'Total'] }],
      sections: [body, [totalRow]],
      notes: [],
      ncols: cols.length + 1,
    };
  }
  const body: TableRow[] = rows.map((row) => ({
    label: str(row.value),
    cells: [
      num(row.freq) === undefined ? empty : { kind: 'count', value: num(row.freq)! },
      num(row.percent) === undefined ? empty : text(formatNumber(num(row.percent)!, 2)),
      num(row.cum) === undefined ? empty : text(formatNumber(num(row.cum)!, 2)),
    ],
    role: 'data',
  }));
  const totalRow: TableRow = { label: 'Total', cells: [total === undefined ? empty : { kind: 'count', value: total }, text('100.00'), empty], role: 'stat' };
  return { headers: [{ stub: vars[0], cells: ['Freq.', 'Percent', 'Cum.'] }], sections: [body, [totalRow]], notes: [], ncols: 3 };
}

export function describeTable(r: OtherResult): TableModel | undefined {
  const vars = arr(r.variables).filter((x): x is Record<string, unknown> => !!x && typeof x === 'object');
  if (!vars.length) return undefined;
  const body: TableRow[] = vars.map((v) => ({
    label: str(v.name),
    cells: [text(str(v.type)), num(v.missing) === undefined ? empty : { kind: 'count', value: num(v.missing)! }, text(str(v.label))],
    role: 'data',
  }));
  const n = num(r.rows);
  const p = r.panel && typeof r.panel === 'object' ? (r.panel as Record<string, unknown>) : undefined;
  const notes = [
    `${typeof r.file === 'string' && r.file ? `${r.file}: ` : ''}${n === undefined ? '' : `${n} observations, `}${vars.length} variables shown`,
    ...(p ? [`Panel: ${str(p.unit)} × ${str(p.time)}, ${str(p.units)} units, ${str(p.periods)} periods${p.balanced === true ? ' (balanced)' : p.balanced === false ? ' (unbalanced)' : ''}`] : []),
  ];
  return { headers: [{ stub: 'Variable', cells: ['Type', 'Missing', 'Label'] }], sections: [body], notes, ncols: 3 };
}
