// Results as text, for the terminal (the CLI without --json) and the results panel's one-line
// results: tables through the table renderers (text, markdown or LaTeX), one line for the results
// that have no table.
import { renderTableString } from './index';
import { tablesForResult } from '../tables';
import type { BoottestResult, CoefplotResult, CommandResult, GraphResult, RitestResult } from '../types';
import { formatCount, formatNumber, formatShort, pEquals } from '../format';

/** The text formats a result prints in. */
export type TextFormat = 'text' | 'markdown' | 'latex';

const num = (x: number | null | undefined, d = 4): string => (typeof x === 'number' && Number.isFinite(x) ? (Number.isInteger(x) ? String(x) : x.toFixed(d)) : '.');

/**
 * One result: its tables (estimations, esttab, summaries, tabstat, tabulate, describe, entropy
 * weights), or one line (`[line N] kind: ...`). `all`: the run's results (esttab looks its models up there).
 */
export function renderResult(r: CommandResult, all: CommandResult[], format: TextFormat = 'text'): string {
  const head = `[line ${r.line ?? '?'}] ${r.kind}`;
  let tables: string[] = [];
  try {
    tables = tablesForResult(r, all).map((m) => renderTableString(m, format));
  } catch (e) {
    tables = [`(table not available: ${(e as Error).message})`];
  }
  if (tables.length) return tables.join('\n');
  switch (r.kind) {
    case 'data':
      return [`${head}: ${r.file} (${r.rows} rows, ${r.columns} columns${r.encoding && r.encoding !== 'utf-8' ? `, read as ${r.encoding}` : ''})`, ...(r.notes ?? []).map((n) => `  note: ${n}`)].join('\n');
    case 'boottest':
      return `${head}: ${boottestText(r).trimEnd()}`;
    case 'ritest':
      return `${head}: ${ritestText(r).trimEnd()}`;
    case 'placebo':
      return `${head}: ${r.reps} draws of ${r.treat ?? 'treatment'}; actual ${num(r.actual)}, mean ${num(r.mean)}, sd ${num(r.sd)}, p = ${num(r.p_value)}`;
    case 'match':
      return `${head}: ${r.name}: ${r.treated_matched} treated matched, ${r.controls_used} controls used, ${r.rows_kept} rows kept`;
    case 'export':
      return `${head}: wrote ${r.file} (${r.rows} rows, ${r.columns} columns)`;
    case 'graph':
      return `${head}: wrote ${r.file} (${GRAPH_WHAT[r.plot]} of line ${r.source_line ?? '?'})`;
    case 'plot':
      return coefplotText(head, r);
    default:
      return head;
  }
}

const GRAPH_WHAT: Record<GraphResult['plot'], string> = { placebo: 'placebo histogram', coefplot: 'coefficient plot', eventstudy: 'event-study plot', bacon: 'Goodman-Bacon plot' };

/** A whole run, each printed result after the other (results run under `quietly` are left out). */
export function renderAll(results: CommandResult[], format: TextFormat = 'text'): string {
  return results
    .filter((r) => !r.quiet)
    .map((r) => renderResult(r, results, format))
    .join('\n\n');
}

const WEIGHT_NAMES: Record<string, string> = { rademacher: 'Rademacher', webb: 'Webb', mammen: 'Mammen', normal: 'normal' };

/** boottest: the test, its p-value and interval, with the model it ran on. */
export function boottestText(r: BoottestResult, decimals = 4): string {
  const end = (x: number | null, inf: string) => (x === null ? inf : formatNumber(x, decimals));
  const lines = [
    `boottest ${r.term}${r.model ? ` (model ${r.model})` : ''}: wild cluster bootstrap-t, ${r.null_imposed ? 'null imposed (WCR)' : 'null not imposed (WCU)'}, ` +
      `${WEIGHT_NAMES[r.weighttype] ?? r.weighttype} weights, ${formatCount(r.reps, true)} ${r.enumerated ? 'sign vectors (all, enumerated)' : 'draws'}, ${formatCount(r.n_clusters, true)} ${r.bootcluster === r.cluster ? `clusters of ${r.cluster}` : `bootstrap clusters of ${r.bootcluster}, errors clustered by ${r.cluster.split(' ').join(' and ')}`}`,
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

/** A coefplot in the terminal: the plotted numbers, one line per model and coefficient. */
function coefplotText(head: string, r: CoefplotResult): string {
  const lines = [`${head} coefplot: ${r.models.join(' ')} (${r.level}% intervals)`];
  for (const s of r.series)
    for (const p of s.points) lines.push(`  ${s.model.padEnd(10)} ${p.label.padEnd(24)} ${num(p.estimate).padStart(10)}  [${num(p.ci_low)}, ${num(p.ci_high)}]`);
  return lines.join('\n');
}
