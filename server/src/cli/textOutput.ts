// Results as text for the terminal: tables through the results module's renderers (text,
// markdown or LaTeX), short lines for the results that have no table.
import { renderTableString } from '../results/render/index';
import { tablesForResult } from '../results/tables';
import type { BoottestResult, CoefplotResult, CommandResult, RitestResult } from '../results/types';
import { boottestText, ritestText } from '../results/render/resultText';
import type { OutputFormat } from './args';

const num = (x: unknown, d = 4): string => (typeof x === 'number' && Number.isFinite(x) ? (Number.isInteger(x) ? String(x) : x.toFixed(d)) : '.');

const PLOT_NAMES: Record<string, string> = { placebo: 'placebo histogram', coefplot: 'coefficient plot', eventstudy: 'event-study plot', bacon: 'Goodman-Bacon plot' };

export function renderResult(r: CommandResult, all: CommandResult[], format: OutputFormat): string {
  const head = `[line ${r.line ?? '?'}] ${r.kind}`;
  let tables: string[] = [];
  try {
    tables = tablesForResult(r, all).map((m) => renderTableString(m, format));
  } catch (e) {
    tables = [`(table not available: ${(e as Error).message})`];
  }
  if (tables.length) return tables.join('\n');
  const x = r as Record<string, unknown>;
  switch (r.kind) {
    case 'data':
      return [`${head}: ${x.file} (${x.rows} rows, ${x.columns} columns${x.encoding && x.encoding !== 'utf-8' ? `, read as ${x.encoding}` : ''})`, ...((x.notes as string[] | undefined) ?? []).map((n) => `  note: ${n}`)].join('\n');
    case 'boottest':
      return `${head}: ${boottestText(r as BoottestResult).trimEnd()}`;
    case 'ritest':
      return `${head}: ${ritestText(r as RitestResult).trimEnd()}`;
    case 'placebo':
      return `${head}: ${x.reps} draws of ${x.treat ?? 'treatment'}; actual ${num(x.actual)}, mean ${num(x.mean)}, sd ${num(x.sd)}, p = ${num(x.p_value)}`;
    case 'match':
      return `${head}: ${x.name}: ${x.treated_matched} treated matched, ${x.controls_used} controls used, ${x.rows_kept} rows kept`;
    case 'export':
      return `${head}: wrote ${x.file} (${x.rows} rows, ${x.columns} columns)`;
    case 'graph':
      return `${head}: wrote ${x.file} (${PLOT_NAMES[String(x.plot)] ?? 'event-study plot'} of line ${x.source_line ?? '?'})`;
    case 'plot':
      return x.plot === 'coefplot' ? coefplotText(head, r as CoefplotResult) : head;
    case 'tabulate': {
      const rows = (x.rows as { value: string; freq: number | number[]; percent?: number }[]) ?? [];
      const lines = rows.map((row) => `  ${row.value.padEnd(16)} ${Array.isArray(row.freq) ? row.freq.join('  ') : `${row.freq}  ${num(row.percent, 2)}%`}`);
      return [`${head}: ${(x.vars as string[]).join(' x ')} (N = ${x.total})`, ...lines].join('\n');
    }
    case 'tabstat': {
      const stats = x.statistics as string[];
      const rows = x.rows as Record<string, unknown>[];
      return [`${head}`, `  ${'variable'.padEnd(16)}${stats.map((s) => s.padStart(12)).join('')}`, ...rows.map((row) => `  ${String((row.group ? `${row.group}: ` : '') + row.var).padEnd(16)}${stats.map((s) => num(row[s]).padStart(12)).join('')}`)].join('\n');
    }
    case 'describe': {
      const vars = x.variables as { name: string; type: string; label: string | null; missing: number }[];
      return [`${head}: ${x.rows} rows, ${x.columns} columns`, ...vars.map((v) => `  ${v.name.padEnd(20)} ${v.type.padEnd(8)} missing ${String(v.missing).padStart(6)}  ${v.label ?? ''}`)].join('\n');
    }
    default:
      return head;
  }
}

export function renderAll(results: CommandResult[], format: OutputFormat): string {
  return results
    .filter((r) => !(r as { quiet?: boolean }).quiet)
    .map((r) => renderResult(r, results, format))
    .join('\n\n');
}

/** A coefplot in the terminal: the plotted numbers, one line per model and coefficient. */
function coefplotText(head: string, r: CoefplotResult): string {
  const lines = [`${head} coefplot: ${r.models.join(' ')} (${r.level}% intervals)`];
  for (const s of r.series)
    for (const p of s.points) lines.push(`  ${s.model.padEnd(10)} ${p.label.padEnd(24)} ${num(p.estimate).padStart(10)}  [${num(p.ci_low)}, ${num(p.ci_high)}]`);
  return lines.join('\n');
}
