// Descriptive commands: summarize, tabstat, describe, tabulate.
import type { CommandContext } from '../context';
import { ifMask } from '../context';
import { RunError } from '../errors';
import { codeColumn, combineCodes } from '../factors';
import { Options, termText } from '../options';
import { describeValues, detailStats, namedStat, TABSTAT_STATS } from '../stats';
import { expandVarlist, plainNames } from '../varlist';
import type { DescribeResult, SummaryResult, SummaryRow, TabstatResult, TabstatRow, TabstatStatName } from '../../results/types';
import { summaryTable } from '../../results/summaryTable';
import { tabstatTable } from '../../results/descriptiveTables';
import { bodyTerms } from './common';
import { saveTableOption } from './files';

function numericVars(ctx: CommandContext): string[] {
  const table = ctx.session.requireData();
  const terms = bodyTerms(ctx);
  const names = terms.length ? plainNames(expandVarlist(terms, ctx.session), ctx.canonical) : table.columns.filter((c) => c.kind === 'numeric').map((c) => c.name);
  return names;
}

function values(ctx: CommandContext, name: string, mask: Uint8Array): Float64Array | null {
  const c = ctx.session.requireData().get(name);
  if (!c || c.kind !== 'numeric') return null;
  const src = c.values;
  const out = new Float64Array(mask.length);
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] && !Number.isNaN(src[i])) out[n++] = src[i];
  return out.subarray(0, n);
}

export async function cmdSummarize(ctx: CommandContext): Promise<void> {
  const opts = new Options(ctx.command);
  const table = ctx.session.requireData();
  const mask = ifMask(ctx);
  const rows: SummaryRow[] = [];
  for (const name of numericVars(ctx)) {
    const col = table.get(name);
    const vals = values(ctx, name, mask);
    if (!vals) {
      // Stata lists string variables with zero observations
      rows.push({ var: name, n: 0, mean: null, sd: null, min: null, max: null, ...(col?.label ? { label: col.label } : {}) });
      continue;
    }
    const d = describeValues(vals);
    const row: SummaryRow = { var: name, n: d.n, mean: d.mean, sd: d.sd, min: d.min, max: d.max };
    if (col?.label) row.label = col.label;
    if (opts.has('detail')) Object.assign(row, detailStats(vals), { sum: d.sum });
    rows.push(row);
  }
  // seconds is filled in by emit
  const result: SummaryResult = { kind: 'summary', rows, seconds: 0, ...(opts.has('detail') ? { detail: true } : {}) };
  const title = opts.text('title');
  const file = await saveTableOption(ctx, opts, () => summaryTable(result, { title }));
  ctx.emit({ ...result, ...(file ? { file } : {}) });
}

export async function cmdTabstat(ctx: CommandContext): Promise<void> {
  const opts = new Options(ctx.command);
  const table = ctx.session.requireData();
  const stats: TabstatStatName[] = (opts.has('statistics') ? opts.terms('statistics').map((t) => termText(t).toLowerCase()) : ['mean']).map((s) => {
    // `var` is Stata's abbreviation of variance; as a row key it would overwrite the row's variable name
    if (s === 'var') return 'variance';
    if (!isTabstatStat(s)) throw new RunError(`unknown statistic ${s}`, opts.range('statistics'));
    return s;
  });
  const mask = ifMask(ctx);
  const vars = numericVars(ctx);
  const groups: { label: string | null; mask: Uint8Array }[] = [];
  if (opts.has('by')) {
    const byNames = plainNames(expandVarlist(opts.terms('by'), ctx.session), 'by()');
    if (byNames.length !== 1) throw new RunError('by() takes one variable', opts.range('by'));
    const c = codeColumn(table, byNames[0]);
    for (let k = 0; k < c.nlevels; k++) groups.push({ label: c.labels[k], mask: mask.map((m, i) => (m && c.codes[i] === k ? 1 : 0)) });
  }
  if (!opts.has('nototal')) groups.push({ label: opts.has('by') ? 'Total' : null, mask });
  const types = varTypes(ctx, opts);
  const rows: TabstatRow[] = [];
  for (const g of groups)
    for (const v of vars) {
      const vals = values(ctx, v, g.mask) ?? [];
      const row: TabstatRow = { var: v };
      if (g.label !== null) row.group = g.label;
      if (types) row.type = types.get(v) ?? '';
      for (const s of stats) row[s] = namedStat(s, vals);
      rows.push(row);
    }
  const result: Omit<TabstatResult, 'seconds'> = { kind: 'tabstat', statistics: stats, by: opts.has('by') ? termText(opts.terms('by')[0]) : null, rows, ...(opts.has('symbols') ? { symbols: true } : {}) };
  const labels: Record<string, string> = {};
  for (const v of vars) {
    const l = table.get(v)?.label;
    if (l) labels[v] = l;
  }
  const file = await saveTableOption(ctx, opts, () => {
    const model = tabstatTable(result, { labels });
    if (!model) throw new RunError('tabstat: nothing to save (no variables or statistics)', opts.range('save'));
    const title = opts.text('title');
    return title ? { ...model, title } : model;
  });
  ctx.emit({ ...result, ...(file ? { file } : {}) });
}

/**
 * vartype("Explained variable" y "Core explanatory variable" did "Control variables" $controls): the
 * type column of a descriptive-statistics table, each text naming the variables after it.
 */
function varTypes(ctx: CommandContext, opts: Options): Map<string, string> | undefined {
  if (!opts.has('vartype')) return undefined;
  const out = new Map<string, string>();
  let current: string | undefined;
  for (const t of opts.terms('vartype')) {
    if (t.kind === 'str') {
      current = t.value;
      continue;
    }
    if (current === undefined) throw new RunError('vartype(): write a type in quotes, then its variables: vartype("Explained variable" y "Controls" x1 x2)', t.range);
    for (const name of plainNames(expandVarlist([t], ctx.session), 'vartype()')) out.set(name, current);
  }
  return out;
}

export function cmdDescribe(ctx: CommandContext): void {
  new Options(ctx.command);
  const session = ctx.session;
  const table = session.requireData();
  const terms = bodyTerms(ctx);
  const names = terms.length ? plainNames(expandVarlist(terms, session), 'describe') : table.names;
  const variables = names.map((name) => {
    const c = table.get(name)!;
    let missing = 0;
    if (c.kind === 'numeric') for (const v of c.values) missing += Number.isNaN(v) ? 1 : 0;
    else for (const k of c.codes) missing += k < 0 ? 1 : 0;
    const type: DescribeResult['variables'][number]['type'] = c.kind === 'string' ? 'string' : c.isInteger ?? isIntegerColumn(c.values) ? 'int' : 'double';
    return { name, type, label: c.label ?? null, missing, ...(c.renamedFrom ? { renamed_from: c.renamedFrom } : {}) };
  });
  let panel: DescribeResult['panel'] = null;
  if (session.panel) {
    const u = codeColumn(table, session.panel.unit);
    const t = codeColumn(table, session.panel.time);
    const counts = new Map<number, number>();
    for (const k of u.codes) if (k >= 0) counts.set(k, (counts.get(k) ?? 0) + 1);
    const sizes = Array.from(counts.values());
    const tv = t.labels.map(Number);
    panel = {
      unit: session.panel.unit,
      time: session.panel.time,
      units: u.nlevels,
      periods: t.nlevels,
      time_min: tv.length ? Math.min(...tv) : null,
      time_max: tv.length ? Math.max(...tv) : null,
      balanced: sizes.every((s) => s === t.nlevels),
      min_obs_per_unit: sizes.length ? Math.min(...sizes) : 0,
      max_obs_per_unit: sizes.length ? Math.max(...sizes) : 0,
    };
  }
  ctx.emit({ kind: 'describe', rows: table.nrows, columns: table.columns.length, file: session.dataFile, variables, panel });
}

function isIntegerColumn(v: Float64Array): boolean {
  for (const x of v) if (!Number.isNaN(x) && !Number.isInteger(x)) return false;
  return true;
}

export function cmdTabulate(ctx: CommandContext): void {
  new Options(ctx.command);
  const table = ctx.session.requireData();
  const names = plainNames(expandVarlist(bodyTerms(ctx), ctx.session), 'tabulate');
  if (names.length < 1 || names.length > 2) throw new RunError('tabulate takes one or two variables', ctx.command.range);
  const mask = ifMask(ctx);
  const coded = names.map((n) => codeColumn(table, n));
  if (names.length === 1) {
    const c = coded[0];
    const freq = new Array<number>(c.nlevels).fill(0);
    let total = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i] && c.codes[i] >= 0) {
      freq[c.codes[i]]++;
      total++;
    }
    const rows = c.labels.map((l, k) => ({ value: l, freq: freq[k], percent: total ? (100 * freq[k]) / total : 0 })).filter((r) => r.freq > 0);
    let cum = 0;
    ctx.emit({ kind: 'tabulate', vars: [names[0]], total, rows: rows.map((r) => ({ ...r, cum: (cum += r.percent) })) });
    return;
  }
  const cell = combineCodes(coded);
  const counts = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] && cell.codes[i] >= 0) {
    const key = `${coded[0].codes[i]},${coded[1].codes[i]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    total++;
  }
  const rows = coded[0].labels.map((r, a) => ({ value: r, freq: coded[1].labels.map((_, b) => counts.get(`${a},${b}`) ?? 0) }));
  ctx.emit({ kind: 'tabulate', vars: [names[0], names[1]], total, columns: coded[1].labels, rows });
}

/** A statistic tabstat knows: a name of TABSTAT_STATS or a percentile p1 ... p99. */
function isTabstatStat(s: string): s is TabstatStatName {
  return TABSTAT_STATS.has(s) || /^p\d{1,2}$/.test(s);
}
