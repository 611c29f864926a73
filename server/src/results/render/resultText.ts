// Any result as terminal text, for the CLI without --json: tables for estimations, summaries,
// esttab and entropy weights, one line for the rest.

import type { BoottestResult, CommandResult, EstimationResult, MatchResult, PlaceboResult, RitestResult, RunOutput } from '../types';
import { formatCount, formatNumber, formatShort, pEquals } from '../format';
import { type DisplayOptions, tablesForResult } from '../tables';
import { eventTermLabel } from '../regressionTable';
import { renderText } from './text';

export interface ResultTextContext extends DisplayOptions {
  /** Every result of the run so far: esttab looks its models up here. */
  results?: CommandResult[];
}

export function renderResultText(result: CommandResult, ctx: ResultTextContext = {}): string {
  const all = ctx.results ?? [result];
  switch (result.kind) {
    case 'data':
      return `Data: ${str(result.file)}: ${formatCount(num(result.rows), true)} rows, ${formatCount(num(result.columns), true)} columns\n`;
    case 'placebo':
      return placeboText(result as PlaceboResult, ctx.decimals);
    case 'boottest':
      return boottestText(result as BoottestResult, ctx.decimals);
    case 'ritest':
      return ritestText(result as RitestResult, ctx.decimals);
    case 'match': {
      const m = result as MatchResult;
      return `psmatch ${m.name}: ${formatCount(m.treated_matched, true)} treated rows matched, ${formatCount(m.controls_used, true)} controls used, ${formatCount(m.rows_kept, true)} rows kept\n`;
    }
    case 'table': {
      const text = tablesForResult(result, all, ctx).map(renderText).join('\n');
      const file = (result as { file?: unknown }).file;
      return typeof file === 'string' && file ? `${text}(written to ${file})\n` : text;
    }
    case 'estimation': {
      const r = result as EstimationResult;
      return tablesForResult(r, all, ctx).map(renderText).join('\n') + estimationExtras(r);
    }
    case 'summary':
    case 'index':
    case 'bacon':
      return tablesForResult(result, all, ctx).map(renderText).join('\n');
    default:
      return otherText(result);
  }
}

/** A whole run as text, each result after the other, esttab resolved against earlier models. */
export function renderRunText(output: RunOutput, display: DisplayOptions = {}): string {
  return output.results.map((r) => renderResultText(r, { ...display, results: output.results })).join('\n');
}

function estimationExtras(r: EstimationResult): string {
  const lines: string[] = [];
  if (r.first_stage?.length) {
    for (const fs of r.first_stage) lines.push(`First stage for ${fs.endog}: F = ${formatNumber(fs.f, 2)}`);
  }
  if (r.kp_rk_lm) lines.push(`Kleibergen-Paap rk LM: ${formatNumber(r.kp_rk_lm.stat, 2)} (df ${r.kp_rk_lm.df}, ${pEquals(r.kp_rk_lm.p)})`);
  if (typeof r.kp_rk_wald_f === 'number') lines.push(`Kleibergen-Paap rk Wald F: ${formatNumber(r.kp_rk_wald_f, 2)}`);
  if (typeof r.cragg_donald_f === 'number') lines.push(`Cragg-Donald Wald F: ${formatNumber(r.cragg_donald_f, 2)}`);
  if (r.att) lines.push(`Overall ATT (${r.estimator === 'bjs' ? 'imputation, static tau' : 'post-treatment cells weighted by size'}): ${formatNumber(r.att.estimate, 4)} (SE ${formatNumber(r.att.se, 4)})`);
  if (r.pretrend_test) lines.push(pretrendText(r.pretrend_test));
  if (r.pretrend && !r.pretrend_test) lines.push(pretrendText({ stat: r.pretrend.f, df1: r.pretrend.df, df2: r.pretrend.df2, p: r.pretrend.p }));
  if (r.singletons_removed) lines.push(`${formatCount(r.singletons_removed, true)} singleton observations dropped`);
  for (const o of r.omitted ?? []) lines.push(`${eventTermLabel(o.term) ?? o.term} omitted (${o.reason})`);
  for (const w of r.warnings ?? []) lines.push(`warning: ${w}`);
  return lines.length ? lines.join('\n') + '\n' : '';
}

export function pretrendText(t: { stat: number; df1: number; df2: number; p: number }): string {
  return `Pre-trend test (all leads = 0): F(${t.df1}, ${t.df2}) = ${formatNumber(t.stat, 2)}, ${pEquals(t.p)}`;
}

export function placeboText(r: PlaceboResult, decimals = 4): string {
  return (
    `Placebo: ${formatCount(r.reps, true)} draws; actual estimate ${formatNumber(r.actual, decimals)}; ` +
    `draws mean ${formatNumber(r.mean, decimals)}, SD ${formatNumber(r.sd, decimals)}; ` +
    `${pEquals(r.p_value)} (share of |draw| >= |actual|)\n`
  );
}

const WEIGHT_NAMES: Record<string, string> = { rademacher: 'Rademacher', webb: 'Webb', mammen: 'Mammen', normal: 'normal' };

/** boottest: the test, its p-value and interval, with the model it ran on. */
export function boottestText(r: BoottestResult, decimals = 4): string {
  const end = (x: number | null, inf: string) => (x === null ? inf : formatNumber(x, decimals));
  const lines = [
    `boottest ${r.term}${r.model ? ` (model ${r.model})` : ''}: wild cluster bootstrap-t, ${r.null_imposed ? 'null imposed (WCR)' : 'null not imposed (WCU)'}, ` +
      `${WEIGHT_NAMES[r.weighttype] ?? r.weighttype} weights, ${formatCount(r.reps, true)} ${r.enumerated ? 'sign vectors (all, enumerated)' : 'draws'}, ${formatCount(r.n_clusters, true)} clusters of ${r.cluster}`,
    `  ${r.term} = ${formatNumber(r.estimate, decimals)}, t = ${formatNumber(r.t, 3)}, ${pEquals(r.p_value)} (H0: ${r.term} = 0); ` +
      `${formatShort(r.level)}% CI [${end(r.ci_low, '-inf')}, ${end(r.ci_high, 'inf')}]`,
    ...r.warnings.map((w) => `  warning: ${w}`),
  ];
  return lines.join('\n') + '\n';
}

/** ritest: the permutation p-value with its Monte-Carlo interval. */
export function ritestText(r: RitestResult, decimals = 4): string {
  return (
    `ritest ${r.term}: ${formatCount(r.reps, true)} permutations of ${r.term} across ${r.permuted === 'observation' ? 'observations' : `${r.permuted} groups`}${r.strata ? ` within ${r.strata}` : ''}; ` +
    `actual ${formatNumber(r.actual, decimals)}; ${pEquals(r.p_value)} (share of |draw| >= |actual|; 95% Monte-Carlo interval ${formatNumber(r.p_ci[0], 4)} to ${formatNumber(r.p_ci[1], 4)})\n`
  );
}

function otherText(r: CommandResult): string {
  const fields = Object.entries(r)
    .filter(([k, v]) => k !== 'kind' && k !== 'seconds' && k !== 'line' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'))
    .map(([k, v]) => `${k} ${typeof v === 'number' ? formatShort(v) : String(v)}`);
  return `${r.kind}${fields.length ? ': ' + fields.join(', ') : ''}\n`;
}

const num = (x: unknown): number => (typeof x === 'number' ? x : NaN);
const str = (x: unknown): string => (typeof x === 'string' ? x : '');

