// csdid's tables: the aggregation agg() asked for first, then the other three, the ATT(g,t) cells
// and a notes line with the pre-trend test, the control group and how errors were computed.
import { DEFAULT_DECIMALS, clampDecimals, formatNumber } from './format';
import { empty, text, type Cell, type TableModel, type TableRow } from './tableModel';
import type { CommandResult, CsdidEffect, CsdidResult } from './types';

export const isCsdid = (r: CommandResult): r is CsdidResult => r.kind === 'estimation' && r.command === 'csdid';

const HEADERS = ['ATT', 'SE', 'CI low', 'CI high'];

function effectCells(e: CsdidEffect | { att: number | null; se: number | null; ci_low: number | null; ci_high: number | null }, d: number): Cell[] {
  const num = (x: number | null): Cell => (x === null || !Number.isFinite(x) ? empty : text(formatNumber(x, d)));
  return [num(e.att), num(e.se), num(e.ci_low), num(e.ci_high)];
}

/** A row's tooltip: what it estimates, with its estimate, SE and interval ("ATT(g=2004, t=2006): 0.0123, SE 0.0045, CI [...]"). */
function effectTip(what: string, e: { att: number | null; se: number | null; ci_low: number | null; ci_high: number | null }, d: number): string {
  const f = (x: number | null) => (x === null || !Number.isFinite(x) ? '.' : formatNumber(x, d));
  return `${what}: ${f(e.att)}, SE ${f(e.se)}, CI [${f(e.ci_low)}, ${f(e.ci_high)}]`;
}

function table(title: string, stub: string, overall: CsdidEffect | null, rows: { label: string; e: CsdidEffect; what?: string }[], d: number, notes: string[] = []): TableModel {
  const body: TableRow[] = rows.map((r) => ({ label: r.label, cells: effectCells(r.e, d), role: 'data', ...(r.what ? { tip: effectTip(r.what, r.e, d) } : {}) }));
  const sections = overall ? [[{ label: 'Overall', cells: effectCells(overall, d), role: 'data' as const }], body] : [body];
  return { title, headers: [{ stub, cells: HEADERS }], sections: sections.filter((s) => s.length), notes, ncols: 4 };
}

function notes(r: CsdidResult): string[] {
  const out: string[] = [];
  const p = r.pretrend;
  out.push(p ? `Pre-trend Wald test (all pre-treatment ATT(g,t) = 0): chi2(${p.df}) = ${formatNumber(p.stat, 2)}, p = ${formatNumber(p.p, 4)}` : 'Pre-trend Wald test: not available (no pre-treatment cells, or a singular covariance)');
  const control = r.control_group === 'nevertreated' ? 'never treated' : 'not yet treated';
  const se = r.bootstrap
    ? `multiplier bootstrap (${r.bootstrap.reps} Rademacher draws, seed ${r.bootstrap.seed}${r.bootstrap.cluster_var ? `, clustered by ${r.bootstrap.cluster_var}` : ''}); by-row intervals are uniform bands`
    : 'analytic influence-function errors, clustered by unit; 95% normal intervals';
  out.push(`${r.n_units} units, ${r.periods.length} periods; controls: ${control}; method ${r.est_method}; ${r.base_period} base period${r.anticipation ? `; anticipation ${r.anticipation}` : ''}; ${se}`);
  for (const w of r.warnings ?? []) out.push(`Warning: ${w}`);
  return out;
}

export function csdidTables(r: CsdidResult, display: { decimals?: number } = {}): TableModel[] {
  const d = clampDecimals(display.decimals ?? DEFAULT_DECIMALS);
  const head = `${r.name ? `${r.name}: ` : ''}csdid ${r.depvar}${r.line ? ` (line ${r.line})` : ''}`;
  const a = r.aggregate;
  const byAgg: Record<CsdidResult['agg'], TableModel> = {
    simple: table(`${head}: overall ATT (simple)`, '', null, [{ label: 'ATT', e: a.simple }], d),
    event: table(`${head}: by event time (dynamic)`, 'e', a.event, a.event.by.map((b) => ({ label: String(b.e), e: b, what: `ATT at event time ${b.e}` })), d),
    group: table(`${head}: by cohort (group)`, 'cohort', a.group, a.group.by.map((b) => ({ label: String(b.group), e: b, what: `ATT of cohort ${b.group}` })), d),
    calendar: table(`${head}: by period (calendar)`, 'period', a.calendar, a.calendar.by.map((b) => ({ label: String(b.time), e: b, what: `ATT in period ${b.time}` })), d),
  };
  const order: CsdidResult['agg'][] = [r.agg, ...(['simple', 'event', 'group', 'calendar'] as const).filter((k) => k !== r.agg)];
  const cells = table(`${head}: ATT(g,t)`, 'g, t', null, r.att_gt.map((c) => ({ label: `${c.group}, ${c.time}`, e: { att: c.att ?? NaN, se: c.se, ci_low: c.ci_low, ci_high: c.ci_high }, what: `ATT(g=${c.group}, t=${c.time})` })), d, notes(r));
  return [...order.map((k) => byAgg[k]), cells];
}
