// esttab: estimation results side by side, one column per model, coefficient with stars over its
// standard error in parentheses, then fixed effects ("Yes"/"No"), N, R², within R², clusters.

import type { CoefRow, EstimationResult } from './types';
import { DEFAULT_DECIMALS, DEFAULT_STARS, clampDecimals, formatNumber, starsNote } from './format';
import { type Cell, type TableModel, type TableRow, empty, text } from './tableModel';
import { ResultsError } from './errors';
import { type StatKind, cohortCount, statDef } from './esttabStats';
import type { IndicateGroup, StarLevel, StatRowSpec } from './types';
import { type NumFormat, applyNumFormat, parseNumFormat } from './numberFormat';

export type { StatKind };

/** IV rows (first-stage F, Kleibergen-Paap) and the wild bootstrap rows (boottest) only appear when some model has them. */
export const DEFAULT_STATS: readonly StatKind[] = ['fe', 'nobs', 'r2', 'r2_within', 'clusters', 'first_f', 'kp_lm', 'kp_f', 'cd_f', 'sy10', 'p_boot', 'ci_boot'];

export interface TableOptions {
  keep?: string[]; // coefficient names or globs (`x*`, `_k_?`), as esttab
  drop?: string[];
  order?: string[]; // these first, in this order; the rest after in first-appearance order
  rename?: Record<string, string>; // term -> shown name (rows with the same shown name merge)
  title?: string;
  mtitles?: string[]; // column titles; default: each model's dependent variable
  decimals?: number;
  stars?: readonly number[]; // thresholds, loosest first
  labels?: Record<string, string>; // variable labels, used for terms, depvars and FE names
  stats?: readonly StatKind[];
  paren?: 'se' | 't' | 'p' | 'ci'; // what goes in parentheses under a coefficient (ci: the interval, in brackets)
  numbers?: boolean; // "(1) (2)" header row, default true
  // esttab's estout-style options (server/src/results/esttabSpec.ts); absent: the defaults above
  bFormat?: string; // b(%9.4f): estimates
  parenFormat?: string; // se(%9.4f) / t(2) / p(3)
  starLevels?: readonly StarLevel[]; // star(+ 0.10 * 0.05); [] = nostar; wins over `stars`
  statRows?: readonly StatRowSpec[]; // the whole footer (stats(), scalars(), r2, ar2, ...); wins over `stats`
  indicate?: readonly IndicateGroup[]; // Yes/No rows instead of the automatic FE rows
  indicateLabels?: readonly [string, string];
  mtitleRow?: 'depvars' | 'names' | false; // default depvars (or `mtitles`)
  notes?: boolean; // the standard notes (parentheses, stars), default true
  addnotes?: readonly string[];
}

const STAT_LABEL: Record<Exclude<StatKind, 'fe'>, string> = {
  nobs: 'N',
  r2: 'R²',
  adj_r2: 'Adjusted R²',
  r2_within: 'Within R²',
  clusters: 'Clusters',
  first_f: 'First-stage F',
  kp_lm: 'KP rk LM',
  kp_lm_p: 'KP rk LM p-value',
  kp_f: 'KP rk Wald F',
  cd_f: 'Cragg-Donald Wald F',
  sy10: 'Stock-Yogo 10% maximal IV size',
  vcov: 'Standard errors',
  p_boot: 'Wild bootstrap p',
  ci_boot: 'Wild bootstrap CI',
  cohorts: 'Cohorts',
};

/**
 * The readable row label of an event-study dummy: `_k_m4` -> "k = -4", `_k_0` -> "k = 0" (the
 * relative period, as the plot's axis and the JSON's event_time.k). Undefined for other terms.
 */
export function eventTermLabel(term: string): string | undefined {
  const m = /^_k_(m?)(\d+)$/.exec(term);
  if (!m) return undefined;
  const k = Number(m[2]) * (m[1] ? -1 : 1);
  return `k = ${k}`;
}

/**
 * The rows a model contributes to the table: its coefficients, and for an event study that reports
 * an overall average (estimator sunab: fixest's ATT aggregate; bjs: the imputation's static tau) an
 * `ATT` row first, so that its aggregate stands beside csdid's `ATT` and a TWFE coefficient
 * (rename(integration ATT)). estimator(cs) already carries `ATT` as its coefficient.
 */
export function tableCoefficients(r: EstimationResult): CoefRow[] {
  const a = r.att;
  if (r.command !== 'eventstudy' || !a || r.coefficients.some((c) => c.term === 'ATT')) return r.coefficients;
  const t = a.t ?? a.estimate / a.se;
  const row: CoefRow = { term: 'ATT', estimate: a.estimate, se: a.se, t, p: a.p ?? NaN, ci_low: a.ci_low ?? NaN, ci_high: a.ci_high ?? NaN };
  return [row, ...r.coefficients];
}

/** Stata-style glob: `*` any run of characters, `?` one character. */
export function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return re.test(name);
}

export function regressionTable(results: EstimationResult[], opts: TableOptions = {}): TableModel {
  if (!results.length) throw new ResultsError('no estimation results to tabulate');
  const decimals = clampDecimals(opts.decimals ?? DEFAULT_DECIMALS);
  const levels: readonly StarLevel[] = opts.starLevels ?? (opts.stars ?? DEFAULT_STARS).map((p, i) => ({ symbol: '*'.repeat(i + 1), p }));
  const labels = opts.labels ?? {};
  const label = (name: string): string => labels[name] ?? eventTermLabel(name) ?? name;
  const rowKey = (term: string): string => opts.rename?.[term] ?? term;
  const fmtB = formatter(opts.bFormat, decimals);
  const paren = opts.paren ?? 'se';
  // esttab prints p-values with three decimals unless p(fmt) says otherwise
  const fmtParen = formatter(opts.parenFormat, paren === 'p' ? 3 : decimals);

  // indicate(): the coefficients a group names leave the body (estout), the group gets a Yes/No row
  const indicated = (term: string) => (opts.indicate ?? []).some((g) => g.patterns.some((p) => termMatches(p, term)));
  const keys = orderedKeys(results, opts, rowKey).filter((k) => !indicated(k));
  const coefSection: TableRow[] = [];
  for (const key of keys) {
    const coefCells: Cell[] = [];
    const parenCells: Cell[] = [];
    for (const r of results) {
      const c = tableCoefficients(r).find((c) => rowKey(c.term) === key);
      if (!c) {
        coefCells.push(empty);
        parenCells.push(empty);
        continue;
      }
      coefCells.push({ kind: 'estimate', text: fmtB(c.estimate), stars: starSymbol(c.p, levels) });
      if (paren === 'ci') parenCells.push({ kind: 'paren', text: `${fmtParen(c.ci_low)}, ${fmtParen(c.ci_high)}`, brackets: true });
      else parenCells.push({ kind: 'paren', text: fmtParen(paren === 't' ? c.t : paren === 'p' ? c.p : c.se) });
    }
    // A renamed row shows the new name; otherwise the variable's label when there is one.
    const shown = opts.rename && Object.values(opts.rename).includes(key) ? key : label(key);
    coefSection.push({ label: shown === '_cons' ? 'Constant' : shown, cells: coefCells, role: 'coef', term: key });
    coefSection.push({ label: '', cells: parenCells, role: 'se', term: key });
  }

  const statSection: TableRow[] = [];
  const feSection: TableRow[] = [];
  if (opts.statRows) {
    // the user's footer, as estout: every row asked for, even where no model has the statistic
    if (!opts.indicate) feSection.push(...feRows(results, label));
    for (const spec of opts.statRows) statSection.push(userStatRow(spec, results, decimals));
  } else {
    for (const s of opts.stats ?? DEFAULT_STATS) {
      if (s === 'fe') {
        if (!opts.indicate) feSection.push(...feRows(results, label));
      } else {
        const row = statRow(s, results, decimals);
        if (row) statSection.push(row);
      }
    }
  }
  if (opts.indicate) feSection.push(...indicateRows(results, opts.indicate, opts.indicateLabels ?? ['Yes', 'No']));

  const headers = [];
  if (opts.numbers !== false) headers.push({ stub: '', cells: results.map((_, i) => `(${i + 1})`) });
  const mrow = opts.mtitleRow ?? 'depvars';
  if (mrow === 'names') headers.push({ stub: '', cells: results.map((r) => r.name ?? label(r.depvar)) });
  else if (mrow === 'depvars') headers.push({ stub: '', cells: results.map((r, i) => opts.mtitles?.[i] ?? label(r.depvar)) });

  const notes: string[] = [];
  if (opts.notes !== false) {
    notes.push(parenNote(results, paren, label));
    const legend = levels.filter((l) => l.symbol);
    if (legend.length) notes.push(starLegend(legend));
  }
  notes.push(...(opts.addnotes ?? []));

  return {
    title: opts.title,
    headers,
    sections: [coefSection, feSection, statSection].filter((s) => s.length),
    notes,
    ncols: results.length,
  };
}

/** A number formatter: the user's format when given (already validated), else fixed decimals. */
function formatter(written: string | undefined, decimals: number): (x: number | null | undefined) => string {
  const f: NumFormat | undefined = written ? parseNumFormat(written) : undefined;
  return f ? (x) => applyNumFormat(x, f) : (x) => formatNumber(x, decimals);
}

/** estout's stars: the symbol of the smallest level that p is below (levels sorted loosest first). */
function starSymbol(p: number | null | undefined, levels: readonly StarLevel[]): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '';
  let sym = '';
  for (const l of [...levels].sort((a, b) => b.p - a.p)) if (p < l.p) sym = l.symbol;
  return sym;
}

/** "* p<0.10, ** p<0.05, *** p<0.01", for the user's symbols too. */
function starLegend(levels: readonly StarLevel[]): string {
  const sorted = [...levels].sort((a, b) => b.p - a.p);
  const std = sorted.every((l, i) => l.symbol === '*'.repeat(i + 1));
  if (std) return starsNote(sorted.map((l) => l.p));
  return sorted.map((l) => starsNote([l.p]).replace(/^\*/, l.symbol)).join(', ');
}

/**
 * A coefficient pattern of indicate()/keep() against a term: Stata globs; `i.year` stands for the
 * factor's dummies (`2004.year`), as Stata expands it.
 */
function termMatches(pattern: string, term: string): boolean {
  const fv = /^i\.(.+)$/i.exec(pattern);
  return globMatch(fv ? `*.${fv[1]}` : pattern, term);
}

/**
 * indicate(): "Yes" where the model has a matching coefficient, fixed effect (any part of a#b) or
 * covariate (csdid's covariates are not coefficients: they enter its outcome and propensity models), or an
 * omitted (collinear) regressor, which Stata keeps as o.x and estout indicates, else "No".
 */
function indicateRows(results: EstimationResult[], groups: readonly IndicateGroup[], yesNo: readonly [string, string]): TableRow[] {
  return groups.map((g) => ({
    label: g.label,
    cells: results.map((r) => {
      const hit = (name: string) => g.patterns.some((p) => termMatches(p, name));
      const covariates = r.covariates ?? [];
      const has = r.coefficients.some((c) => hit(c.term)) || r.fixed_effects.some((fe) => hit(fe.name) || fe.name.split('#').some(hit)) || covariates.some(hit) || (r.omitted ?? []).some((o) => hit(o.term));
      return text(has ? yesNo[0] : yesNo[1]);
    }),
    role: 'fe' as const,
  }));
}

function userStatRow(spec: StatRowSpec, results: EstimationResult[], decimals: number): TableRow {
  const def = statDef(spec.stat);
  const f = spec.format ? parseNumFormat(spec.format) : undefined;
  const cells: Cell[] = results.map((r) => {
    if (f && def.value) {
      const v = def.value(r);
      return v === null || v === undefined || !Number.isFinite(v) ? empty : text(applyNumFormat(v, f));
    }
    if (def.kind) return statCell(def.kind, r, decimals);
    const v = def.value?.(r);
    return v === null || v === undefined || !Number.isFinite(v) ? empty : text(formatNumber(v, def.twoDecimals ? 2 : decimals));
  });
  return { label: spec.label ?? def.label, cells, role: 'stat' };
}

function orderedKeys(results: EstimationResult[], opts: TableOptions, rowKey: (t: string) => string): string[] {
  const seen: string[] = [];
  for (const r of results) for (const c of tableCoefficients(r)) if (!seen.includes(rowKey(c.term))) seen.push(rowKey(c.term));
  // Stata prints the intercept last.
  let keys = [...seen.filter((k) => k !== '_cons'), ...seen.filter((k) => k === '_cons')];
  if (opts.keep?.length) keys = keys.filter((k) => opts.keep!.some((p) => globMatch(p, k)));
  if (opts.drop?.length) keys = keys.filter((k) => !opts.drop!.some((p) => globMatch(p, k)));
  if (opts.order?.length) {
    const first: string[] = [];
    for (const p of opts.order) for (const k of keys) if (globMatch(p, k) && !first.includes(k)) first.push(k);
    keys = [...first, ...keys.filter((k) => !first.includes(k))];
  }
  return keys;
}

export function feRows(results: EstimationResult[], label: (n: string) => string): TableRow[] {
  const names: string[] = [];
  for (const r of results) for (const fe of r.fixed_effects) if (!names.includes(fe.name)) names.push(fe.name);
  return names.map((name) => ({
    label: `${name.split('#').map(label).join(' × ')} FE`,
    cells: results.map((r) => text(r.fixed_effects.some((fe) => fe.name === name) ? 'Yes' : 'No')),
    role: 'fe' as const,
  }));
}

export function statRow(s: Exclude<StatKind, 'fe'>, results: EstimationResult[], decimals: number): TableRow | undefined {
  const cells: Cell[] = results.map((r) => statCell(s, r, decimals));
  // N and R² always show; the others only when some model has them (within R² needs FE, etc.).
  const always = s === 'nobs' || s === 'r2';
  if (!always && cells.every((c) => c.kind === 'empty')) return undefined;
  return { label: STAT_LABEL[s], cells, role: 'stat' };
}

function statCell(s: Exclude<StatKind, 'fe'>, r: EstimationResult, decimals: number): Cell {
  const num = (x: number | null | undefined): Cell => (x === null || x === undefined || !Number.isFinite(x) ? empty : text(formatNumber(x, decimals)));
  switch (s) {
    case 'nobs':
      return { kind: 'count', value: r.nobs };
    case 'r2':
      return num(r.r2);
    case 'adj_r2':
      return num(r.adj_r2);
    case 'r2_within':
      return num(r.r2_within);
    case 'clusters':
      if (r.vcov.type !== 'cluster' || !r.vcov.n_clusters.length) return empty;
      if (r.vcov.n_clusters.length === 1) return { kind: 'count', value: r.vcov.n_clusters[0] };
      return text(r.vcov.n_clusters.join(' / '));
    case 'first_f': {
      const fs = (r.first_stage ?? []).map((f) => f.f).filter((f) => typeof f === 'number' && Number.isFinite(f));
      if (!fs.length) return empty;
      return text(fs.map((f) => formatNumber(f, 2)).join(' / '));
    }
    case 'kp_lm':
      // The statistic with its p-value in brackets, as the IV tables of applied papers show it.
      return r.kp_rk_lm && Number.isFinite(r.kp_rk_lm.stat) ? text(`${formatNumber(r.kp_rk_lm.stat, 2)} [${formatNumber(r.kp_rk_lm.p, 3)}]`) : empty;
    case 'kp_f':
      return r.kp_rk_wald_f === undefined || r.kp_rk_wald_f === null || !Number.isFinite(r.kp_rk_wald_f) ? empty : text(formatNumber(r.kp_rk_wald_f, 2));
    case 'kp_lm_p':
      return num(r.kp_rk_lm?.p);
    case 'cd_f':
      return typeof r.cragg_donald_f === 'number' && Number.isFinite(r.cragg_donald_f) ? text(formatNumber(r.cragg_donald_f, 2)) : empty;
    case 'sy10':
      // the critical value the weak-identification F is read against (Stock & Yogo 2005), as ivreg2 prints it
      return r.stock_yogo ? text(formatNumber(r.stock_yogo.size10, 2)) : empty;
    case 'vcov':
      return text(vcovLabel(r));
    case 'p_boot':
      return num(r.boottest?.p_value);
    case 'cohorts': {
      const n = cohortCount(r);
      return n === undefined ? empty : { kind: 'count', value: n };
    }
    case 'ci_boot': {
      const b = r.boottest;
      if (!b) return empty;
      const end = (x: number | null) => (x === null ? '∞' : formatNumber(x, decimals));
      return text(`[${b.ci_low === null ? '-∞' : end(b.ci_low)}, ${end(b.ci_high)}]`);
    }
  }
}

function vcovLabel(r: EstimationResult): string {
  switch (r.vcov.type) {
    case 'cluster':
      return `Cluster (${r.vcov.clusters.join(', ')})`;
    case 'robust':
      return 'Robust';
    case 'dkraay':
      return `Driscoll-Kraay (L=${r.vcov.lags ?? '?'})`;
    default:
      return 'IID';
  }
}

export function parenNote(results: EstimationResult[], paren: 'se' | 't' | 'p' | 'ci', label: (n: string) => string): string {
  if (paren === 't') return 't statistics in parentheses';
  if (paren === 'ci') {
    const levels = [...new Set(results.map((r) => r.level ?? 95))];
    return `${levels.length === 1 ? `${levels[0]}% confidence intervals` : 'Confidence intervals'} in brackets`;
  }
  if (paren === 'p') return 'p-values in parentheses';
  const kinds = new Set(results.map((r) => (r.vcov.type === 'cluster' ? `cluster:${r.vcov.clusters.join(',')}` : r.vcov.type)));
  if (kinds.size === 1) {
    const r = results[0];
    if (r.vcov.type === 'cluster') return `Standard errors clustered by ${r.vcov.clusters.map(label).join(' and ')} in parentheses`;
    if (r.vcov.type === 'robust') return 'Robust standard errors in parentheses';
    if (r.vcov.type === 'dkraay') return `Driscoll-Kraay standard errors (${r.vcov.lags ?? '?'} lags over ${r.vcov.time ? label(r.vcov.time) : 'time'}) in parentheses`;
  }
  return 'Standard errors in parentheses';
}
