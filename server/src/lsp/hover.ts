// Hovers: a command's syntax and options, an option's doc, a variable's profile (type, N, missing,
// mean, sd, min, max or distinct/top values, label, rename, histogram sparkline), the panel shape
// on xtset ids, a global's expansion; after a run, a regressor's estimate with SE, t, p, CI and
// stars, the depvar's fit, and a model's summary in esttab.
import { MarkupKind, type Hover, type Position } from './lspApi';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { egenFunctions, resolveExprFunction } from '../../../grammar/src/commands';
import { commandInfo, optionInfo } from '../analysis/commands';
import { sparkline, type ColumnProfile } from '../analysis/profile';
import { panelShape } from '../data/catalog';
import { statementIndexAt, type Scope, type VarSymbol } from '../analysis/scope';
import { nodeAt, type Node } from '../analysis/visit';
import type { CoefRow, CommandResult, CsdidResult, EstimationResult } from '../results/types';
import { isCsdid } from '../results/csdidTables';
import { fmt } from './completion';
import { toRange } from './convert';
import { DEFAULT_STARS, starsFor } from '../results/format';
import type { DocAnalysis } from './documents';
import { STALE_NOTE, type ResultsStore } from './resultsStore';

export function hover(doc: TextDocument, a: DocAnalysis, pos: Position, results: ResultsStore, levels: readonly number[] = DEFAULT_STARS): Hover | null {
  const offset = doc.offsetAt(pos);
  const i = statementIndexAt(a.program, pos.line);
  const st = a.program.statements[i];
  if (!st || offset < st.range.start.offset || offset > st.range.end.offset) return null;
  const node = nodeAt(a.nodes(i), offset);
  if (!node) return null;
  const value = hoverText(node, a, a.scope.before[i], results, st.range.start.line, st.range.end.line, levels);
  return value ? { contents: { kind: MarkupKind.Markdown, value }, range: toRange(node.range) } : null;
}

function hoverText(n: Node, a: DocAnalysis, scope: Scope, results: ResultsStore, from: number, to: number, levels: readonly number[]): string | undefined {
  switch (n.kind) {
    case 'command': {
      const info = commandInfo(n.cmd.name);
      if (!info) return undefined;
      const opts = info.options.map((o) => `- \`${o.name}${o.args === 'none' ? '' : '()'}\`${o.required ? ' (required)' : ''}: ${o.doc}`).join('\n');
      const doc = `\`\`\`panelspec\n${info.syntax}\n\`\`\`\n\n${info.doc}${opts ? `\n\n**Options**\n\n${opts}` : ''}`;
      const placed = results.at(a.uri, a.text, from, to);
      const last = resultSummary(placed?.result, levels);
      return last ? `${placed!.stale ? STALE_NOTE + '\n\n' : ''}${last}\n\n---\n\n${doc}` : doc;
    }
    case 'option': {
      const info = commandInfo(n.cmd.name);
      const o = info ? optionInfo(info, n.option.name) : undefined;
      return o ? `**${o.name}${o.args === 'none' ? '' : '()'}** (${info!.name})\n\n${o.doc}` : undefined;
    }
    case 'global': {
      const g = scope.globals.get(n.name);
      return g ? `**$${n.name}** expands to\n\n\`\`\`panelspec\n${g.text}\n\`\`\`` : `**$${n.name}** is not defined above`;
    }
    case 'function': {
      const f = egenFunctions().find((x) => x.name === n.name) ?? resolveExprFunction(n.name);
      return f ? `\`${f.signature}\`\n\n${f.doc}` : undefined;
    }
    case 'model': {
      const m = results.model(a.uri, a.text, n.name);
      if (m) return (m.stale ? STALE_NOTE + '\n\n' : '') + modelSummary(m.result as EstimationResult, levels);
      const s = scope.models.get(n.name);
      return s ? `**${n.name}**: ${s.command} (line ${s.line + 1}); run the file to see its results` : undefined;
    }
    case 'path': {
      const u = a.scope.uses.find((x) => x && x.range.start.offset === n.range.start.offset);
      if (!u) return undefined;
      if (u.state.status === 'loaded') return `**${u.written}**: ${u.state.profile.rows.toLocaleString('en-US')} rows × ${u.state.profile.columns.length} columns`;
      if (u.state.status === 'error') return `**${u.written}**: ${u.state.message}`;
      return `**${u.written}**: loading…`;
    }
    case 'variable': {
      const parts: string[] = [];
      const placed = results.estimationAt(a.uri, a.text, from, to);
      const est = placed?.result as EstimationResult | undefined;
      if (placed?.stale && (n.role === 'regressor' || n.role === 'depvar')) parts.push(STALE_NOTE);
      if (est && (n.role === 'regressor' || n.role === 'depvar')) {
        if (n.role === 'depvar') parts.push(fitSummary(est));
        else {
          const row = findCoef(est, n.name, a.text.slice(n.range.start.offset - (n.tsOp ? n.tsOp.end.offset - n.tsOp.start.offset : 0), n.range.end.offset));
          if (row) parts.push(coefSummary(est, row, levels));
          const t = treatmentOf(est);
          if (t && t.var === n.name) parts.push(treatmentSummary(t));
          else {
            const om = est.omitted.find((o) => o.term === n.name);
            if (om) parts.push([`**${n.name}** omitted (${om.reason})`, ...diagnosticsLines(est, n.name)].join('\n'));
          }
        }
      }
      const v = scope.vars.get(n.name);
      let panel = scope.xtset;
      if (commandInfo(n.cmd.name)?.name === 'xtset' && n.cmd.body.kind === 'terms') {
        const [u, t] = n.cmd.body.terms;
        if (u?.kind === 'var' && t?.kind === 'var') panel = { unit: u.name, time: t.name, range: n.cmd.range };
      }
      if (v) parts.push(variableSummary(v, scope, panel));
      else if (n.role === 'new') parts.push(`**${n.name}**: new variable`);
      else if (scope.varsKnown) parts.push(`**${n.name}**: unknown variable`);
      return parts.join('\n\n---\n\n') || undefined;
    }
    default:
      return undefined;
  }
}

/** The last run's result of this statement, in a few lines (shown over the command's doc). */
function resultSummary(r: CommandResult | undefined, levels: readonly number[]): string | undefined {
  if (!r) return undefined;
  switch (r.kind) {
    case 'estimation': {
      const est = r;
      const agg = aggregatesSummary(r);
      const lines = agg ? [agg, '', modelSummary(est, levels)] : [modelSummary(est, levels)];
      if (est.event_time?.length)
        lines.push('', `| k | estimate | ${isCsdid(est) ? 95 : (est.level ?? 95)}% CI |`, '|---|---|---|', ...est.event_time.map((e) => `| ${e.k} | ${fmt(e.estimate)} | [${fmt(e.ci_low)}, ${fmt(e.ci_high)}] |`));
      if (!isCsdid(est) && est.kp_rk_wald_f !== undefined) lines.push('', `Kleibergen-Paap rk Wald F ${fmt(est.kp_rk_wald_f)}${est.kp_rk_lm ? ` · rk LM ${fmt(est.kp_rk_lm.stat)} (p ${fmt(est.kp_rk_lm.p)})` : ''}`);
      return lines.join('\n');
    }
    case 'placebo': {
      const p = r;
      return `**placebo**: ${p.reps} draws · actual ${fmt(p.actual)} · mean ${fmt(p.mean)} · sd ${fmt(p.sd)} · p = ${fmt(p.p_value)}`;
    }
    case 'summary':
      return r.rows.map((x) => `\`${x.var}\`: N ${x.n} · mean ${fmt(x.mean)} · sd ${fmt(x.sd)} · [${fmt(x.min)}, ${fmt(x.max)}]`).join('\n\n');
    case 'table': {
      const t = r;
      return `**esttab**: ${t.models.join(', ')}${t.file ? ` → ${t.file}` : ''}`;
    }
    default:
      return undefined;
  }
}

/** A row of csdid's aggregates as the result holds it. */
interface Effect {
  att: number;
  se: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

function isEffect(x: unknown): x is Effect {
  return !!x && typeof x === 'object' && typeof (x as Effect).att === 'number';
}

/**
 * The heterogeneity-robust aggregates of csdid or `eventstudy, estimator(cs|sunab|bjs)`: the simple,
 * event, group and calendar ATTs with SE and CI, the cohorts and the control group; or the overall
 * ATT of sunab and bjs. Undefined for other results.
 */
export function aggregatesSummary(r: CommandResult): string | undefined {
  const x = r as unknown as { command?: string; estimator?: string; aggregate?: Record<string, unknown>; att?: { estimate?: number; se?: number; ci_low?: number; ci_high?: number }; cohorts?: unknown; control_group?: string; n_units?: number; name?: string | null; line?: number };
  const title = `**${x.command === 'csdid' ? 'csdid' : `eventstudy, estimator(${x.estimator})`}**${x.name ? ` ${x.name}` : ''} (line ${x.line})`;
  const agg = x.aggregate;
  if (agg && typeof agg === 'object') {
    const rows = (['simple', 'event', 'group', 'calendar'] as const).flatMap((k) => {
      const e = agg[k];
      if (!isEffect(e)) return [];
      const ci = e.ci_low !== null && e.ci_high !== null ? `[${fmt(e.ci_low)}, ${fmt(e.ci_high)}]` : '';
      return [`| ${k} | ${fmt(e.att)} | ${e.se === null ? '' : `(${fmt(e.se)})`} | ${ci} |`];
    });
    const cohorts = Array.isArray(x.cohorts) ? x.cohorts.filter((c): c is number => typeof c === 'number') : [];
    const controls = x.control_group === 'notyettreated' ? 'not-yet-treated and never-treated units' : 'never-treated units';
    return [
      title,
      '',
      '| ATT | estimate | SE | 95% CI |',
      '|---|---|---|---|',
      ...rows,
      '',
      `${cohorts.length} cohorts${cohorts.length ? ` (${cohorts.map((c) => fmt(c)).join(', ')})` : ''} · controls: ${controls}${typeof x.n_units === 'number' ? ` · ${x.n_units} units` : ''}`,
    ].join('\n');
  }
  if ((x.estimator === 'sunab' || x.estimator === 'bjs') && typeof x.att?.estimate === 'number') {
    const se = typeof x.att.se === 'number' ? x.att.se : null;
    const ci = typeof x.att.ci_low === 'number' && typeof x.att.ci_high === 'number' ? ` · 95% CI [${fmt(x.att.ci_low)}, ${fmt(x.att.ci_high)}]` : '';
    return `${title}\n\noverall ATT ${fmt(x.att.estimate)}${se !== null ? ` (${fmt(se)})` : ''}${ci}`;
  }
  return undefined;
}

function findCoef(est: EstimationResult, name: string, written: string): CoefRow | undefined {
  return est.coefficients.find((c) => c.term === written) ?? est.coefficients.find((c) => c.term === name);
}

function coefSummary(est: EstimationResult, c: CoefRow, levels: readonly number[]): string {
  const lines = [
    `**${c.term}** = ${fmt(c.estimate)}${starsFor(c.p, levels)}  (${est.name ?? est.command}, line ${est.line})`,
    '',
    `| SE | t | p | ${est.level ?? 95}% CI |`,
    `|---|---|---|---|`,
    `| ${fmt(c.se)} | ${fmt(c.t)} | ${c.p < 1e-4 ? c.p.toExponential(1) : fmt(c.p)} | [${fmt(c.ci_low)}, ${fmt(c.ci_high)}] |`,
    '',
    sampleLine(est),
  ];
  lines.push(...diagnosticsLines(est, c.term));
  return lines.join('\n');
}

/** What a `did` result says about its treatment (the runtime adds it; older results lack it). */
interface TreatmentInfo {
  var: string;
  treated_units: number;
  never_treated_units: number;
  cohorts: { time: number; units: number }[];
}

export function treatmentOf(est: EstimationResult): TreatmentInfo | undefined {
  const t = (est as unknown as { treatment?: unknown }).treatment as Partial<TreatmentInfo> | undefined;
  if (!t || typeof t !== 'object' || typeof t.var !== 'string' || typeof t.treated_units !== 'number') return undefined;
  return { var: t.var, treated_units: t.treated_units, never_treated_units: typeof t.never_treated_units === 'number' ? t.never_treated_units : 0, cohorts: Array.isArray(t.cohorts) ? t.cohorts : [] };
}

/** The treatment's adoption pattern: treated and never-treated units, units per adoption cohort. */
export function treatmentSummary(t: TreatmentInfo): string {
  const cohorts = t.cohorts.map((c) => `${fmt(c.time)} (${c.units})`).join(', ');
  return [
    `**treatment** \`${t.var}\`: ${t.treated_units} treated units · ${t.never_treated_units} never treated`,
    cohorts ? `\n\nadoption cohorts (${t.cohorts.length}): ${cohorts}` : '',
  ].join('');
}

/** Identification and collinearity diagnostics of one regressor, with a warning when they are poor. */
export function diagnosticsLines(est: EstimationResult, term: string): string[] {
  const out: string[] = [];
  const share = est.within_share?.[term];
  if (typeof share === 'number') {
    const pct = `${(share * 100).toFixed(share < 0.001 ? 3 : 1)}%`;
    out.push('', share < 0.01 ? `⚠ almost no within-FE variation: ${pct} of its variance is left after the fixed effects, so the estimate rests on very few changes` : `within-FE variation: ${pct} of the total`);
  }
  const vif = est.vif?.[term];
  if (typeof vif === 'number') out.push('', vif > 10 ? `⚠ VIF ${fmt(vif)} (> 10): strongly collinear with the other regressors` : `VIF ${fmt(vif)}`);
  if (typeof est.condition_number === 'number') out.push('', `condition number ${fmt(est.condition_number)}`);
  return out;
}

function sampleLine(est: EstimationResult): string {
  const dropped: string[] = [];
  if (est.missing_removed) dropped.push(`${est.missing_removed} with missing values`);
  if (est.singletons_removed) dropped.push(`${est.singletons_removed} singletons`);
  const cl = est.vcov.type === 'cluster' ? ` · ${est.vcov.clusters.map((c, i) => `${est.vcov.n_clusters[i]} clusters (${c})`).join(', ')}` : ` · ${est.vcov.type} SE`;
  return `N = ${est.nobs}${dropped.length ? ` (dropped ${dropped.join(', ')})` : ''}${cl}`;
}

function fitSummary(est: EstimationResult): string {
  return [
    `**${est.depvar}** (${est.name ?? est.command}, line ${est.line})`,
    '',
    `R² ${fmt(est.r2)} · adj. R² ${fmt(est.adj_r2)}${est.r2_within !== null && est.r2_within !== undefined ? ` · within R² ${fmt(est.r2_within)}` : ''} · RMSE ${fmt(est.rmse)}`,
    '',
    sampleLine(est),
  ].join('\n');
}

function modelSummary(est: EstimationResult | CsdidResult, levels: readonly number[]): string {
  const rows = est.coefficients.slice(0, 8).map((c) => `| ${c.term} | ${fmt(c.estimate)}${starsFor(c.p, levels)} | (${fmt(c.se)}) |`);
  return [
    `**${est.name}**: ${est.command} ${est.depvar} (line ${est.line})`,
    '',
    '| term | estimate | SE |',
    '|---|---|---|',
    ...rows,
    est.coefficients.length > 8 ? `| … ${est.coefficients.length - 8} more | | |` : '',
    '',
    `N = ${est.nobs} · R² ${fmt(est.r2)}${est.r2_within !== null ? ` · within R² ${fmt(est.r2_within)}` : ''}`,
  ]
    .filter((x, i, arr) => x !== '' || arr[i - 1] !== '')
    .join('\n');
}

const shapes = new WeakMap<object, Map<string, ReturnType<typeof panelShape> | undefined>>();
function cachedShape(table: NonNullable<import('../analysis/profile').DatasetProfile['table']>, unit: string, time: string) {
  let m = shapes.get(table);
  if (!m) shapes.set(table, (m = new Map()));
  const key = unit + '\u0000' + time;
  if (!m.has(key)) {
    try {
      m.set(key, panelShape(table, unit, time));
    } catch {
      m.set(key, undefined); // ids not in the data, or a string time variable
    }
  }
  return m.get(key);
}

export function variableSummary(v: VarSymbol, scope: Scope, panel: Scope['xtset'] = scope.xtset): string {
  // paragraphs are joined by blank lines: single newlines would run together in markdown
  const paras = [`**${v.name}**${v.label ? ` — ${v.label}` : ''}`];
  if (v.renamedFrom) paras.push(`renamed from \`${v.renamedFrom}\``);
  const p: ColumnProfile | undefined = v.profile;
  if (!p) {
    paras.push(`${v.type === 'string' ? 'string' : 'numeric'}, created by ${v.origin}${v.definedAt ? ` on line ${v.definedAt.start.line + 1}` : ''}`);
  } else if (p.kind === 'numeric') {
    paras.push(
      `${p.isInteger ? 'numeric (integer)' : 'numeric'} · N ${p.n} · missing ${p.missing}`,
      ['| mean | sd | min | max |', '|---|---|---|---|', `| ${fmt(p.mean)} | ${fmt(p.sd)} | ${fmt(p.min)} | ${fmt(p.max)} |`].join('\n'),
    );
    const sp = p.histogram ? sparkline(p.histogram.counts) : '';
    if (sp) paras.push(`\`${sp}\` (${fmt(p.histogram!.lo)} … ${fmt(p.histogram!.hi)})`);
  } else {
    paras.push(`string · N ${p.n} · missing ${p.missing} · ${p.distinct} distinct`);
    if (p.top.length) paras.push('top: ' + p.top.slice(0, 5).map((t) => `\`${t.value}\` (${t.count})`).join(', '));
  }
  // panel ids: the shape of the panel
  const x = panel;
  const table = scope.use?.state.status === 'loaded' ? scope.use.state.profile.table : undefined;
  if (x && table && (v.name === x.unit || v.name === x.time)) {
    const shape = cachedShape(table, x.unit, x.time);
    if (shape)
      paras.push(
        `panel (${x.unit} × ${x.time}): ${shape.units} units, ${shape.periods} periods (${fmt(shape.minTime)}–${fmt(shape.maxTime)}), ${shape.balanced ? 'balanced' : `unbalanced${shape.gaps ? `, ${shape.gaps} gaps` : ''}`}${shape.duplicates ? `, ${shape.duplicates} duplicate unit-time rows` : ''}`,
      );
  }
  return paras.join('\n\n');
}
