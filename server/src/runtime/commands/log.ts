// log using "FILE" [, replace append text] / log close: a text log of what the run shows, as Stata
// keeps one. The header says where and when it was opened; each result after it is written as the
// command line shows it (tables, notes), with the statement's line and time taken; `log close`, or
// the end of the run (also one stopped by an error, which the log then records), closes it.
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { CommandResult } from '../../results/types';
import { renderResult } from '../../results/render/resultText';
import type { CommandContext } from '../context';
import { RunError } from '../errors';
import { Options } from '../options';
import type { Session } from '../session';
import { bodyTerms } from './common';
import { expandStringGlobals } from '../globals';

const RULE = '-'.repeat(79);

function stamp(d: Date): string {
  const mon = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const t = d.toISOString().slice(11, 19);
  return `${String(d.getUTCDate()).padStart(2)} ${mon} ${d.getUTCFullYear()}, ${t} UTC`;
}

export function cmdLog(ctx: CommandContext): void {
  const s = ctx.session;
  const terms = bodyTerms(ctx);
  const sub = terms[0];
  if (sub?.kind === 'var' && sub.name.toLowerCase() === 'close') {
    if (!s.log) throw new RunError('log close: no log is open', ctx.command.nameRange);
    closeLog(s, null);
    return;
  }
  const using = ctx.command.using;
  if (!using || terms.length) throw new RunError('write `log using "FILE.log" [, replace append]` or `log close`', ctx.command.nameRange);
  if (s.log) throw new RunError(`log using: a log is already open (${s.log.written}); \`log close\` it first`, ctx.command.nameRange);
  const opts = new Options(ctx.command);
  const written = expandStringGlobals(using.path, s, using.range);
  const path = isAbsolute(written) ? written : resolve(s.baseDir, written);
  const append = opts.has('append');
  if (existsSync(path) && !append && !opts.has('replace')) throw new RunError(`file ${written} already exists (add option replace to overwrite it, or append)`, using.range, 'data');
  const header = [RULE, `      name:  <unnamed>`, `       log:  ${path}`, `  log type:  text`, ` opened on:  ${stamp(new Date())}`, ''].join('\n') + '\n';
  try {
    mkdirSync(dirname(path), { recursive: true });
    if (append) appendFileSync(path, header);
    else writeFileSync(path, header);
  } catch (e) {
    throw new RunError(`cannot write ${written}: ${(e as Error).message}`, using.range, 'data');
  }
  s.log = { path, written, from: s.results.length };
}

/** One result as the log shows it: the command line's text, its notes and the time it took. */
function entry(r: CommandResult, all: CommandResult[]): string {
  const lines = [`. [line ${r.line ?? '?'}]`, renderResult(r, all, 'text')];
  const warnings = (r as { warnings?: unknown }).warnings;
  if (Array.isArray(warnings)) for (const w of warnings) lines.push(`note: ${typeof w === 'string' ? w : JSON.stringify(w)}`);
  const secs = (r as { seconds?: unknown }).seconds;
  if (typeof secs === 'number' && Number.isFinite(secs)) lines.push(`(${secs.toFixed(3)} s)`);
  return lines.join('\n') + '\n\n';
}

/** Writes the results since `log using`, the error that stopped the run (if any), and the closing lines. */
export function closeLog(s: Session, error: { message: string; line?: number } | null): void {
  const log = s.log;
  if (!log) return;
  s.log = null;
  const body = s.results
    .slice(log.from)
    .filter((r) => !(r as { quiet?: boolean }).quiet)
    .map((r) => entry(r, s.results))
    .join('');
  const err = error ? `error${error.line ? ` at line ${error.line}` : ''}: ${error.message}\n\n` : '';
  const footer = [`      name:  <unnamed>`, `       log:  ${log.path}`, `  log type:  text`, ` closed on:  ${stamp(new Date())}`, RULE, ''].join('\n');
  appendFileSync(log.path, body + err + footer);
}
