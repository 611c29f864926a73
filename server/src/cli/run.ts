// `panelspec run FILE`: parse, check statically (exit 1 with nothing run), run (exit 2 on a run-time
// error, results before it still written), print or write JSON. Every error is one line
// `FILE:LINE:COL: error: MESSAGE`; nothing here lets a stack trace through.
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from '../../../grammar/src/index';
import type { Program, Range } from '../../../grammar/src/ast';
import { checkProgramFile } from '../analysis/checkFile';
import { canonicalCommand } from '../analysis/commands';
import { expandGlobals, usePath, type GlobalSymbol } from '../analysis/scope';
import type { LoadedData } from '../data/load';
import { runProgram } from '../runtime/interpreter';
import type { CommandResult } from '../results/types';
import type { CliCommand } from './args';
import { renderAll } from '../results/render/resultText';

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  cwd: string;
}

export const EXIT_OK = 0;
export const EXIT_SPEC = 1;
export const EXIT_RUNTIME = 2;

export function formatError(file: string, range: Range | undefined, message: string): string {
  const line = range ? range.start.line + 1 : 1;
  const col = range ? range.start.character + 1 : 1;
  return visibleControls(`${file}:${line}:${col}: error: ${message.replace(/\s*\n\s*/g, ' ')}`);
}

/** Control characters echoed from a spec (ESC, NUL ...) shown as `U+001B`, never sent raw to a terminal. */
export function visibleControls(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** Where a path leads (links resolved when it exists), to compare output and input files. */
function samePath(a: string, b: string): boolean {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(a) === real(b);
}

/** The data files the spec's `use`/`import` lines name (as written; `$globals` expanded when plain). */
function dataFilesNamed(program: Program, baseDir: string): string[] {
  const globals = new Map<string, GlobalSymbol>();
  const out: string[] = [];
  for (const st of program.statements) {
    const canon = canonicalCommand(st.command.name);
    const b = st.command.body;
    if (canon === 'global' && b.kind === 'global') globals.set(b.name, { name: b.name, text: b.text.trim().replace(/^"(.*)"$/, '$1'), terms: [], nameRange: b.nameRange });
    if (canon !== 'use' && canon !== 'import') continue;
    const p = usePath(st.command);
    if (p) out.push(resolve(baseDir, expandGlobals(p.written, globals)));
  }
  return out;
}

export async function runSpec(cmd: Extract<CliCommand, { kind: 'run' }>, io: CliIO): Promise<number> {
  const shown = cmd.file;
  const abs = isAbsolute(cmd.file) ? cmd.file : resolve(io.cwd, cmd.file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    io.err(formatError(shown, undefined, `cannot read the spec: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`));
    return EXIT_SPEC;
  }
  const jsonPath = cmd.json ? (isAbsolute(cmd.json) ? cmd.json : resolve(io.cwd, cmd.json)) : null;
  const program = parse(text);
  // --json OUT must not overwrite what the run reads: the spec itself or one of its data files
  if (jsonPath) {
    const victim = [abs, ...dataFilesNamed(program, dirname(abs))].find((f) => samePath(f, jsonPath));
    if (victim) {
      io.err(formatError(shown, undefined, `--json ${cmd.json} would overwrite ${victim === abs ? 'the spec itself' : `the data file ${victim}`}: choose another output file`));
      return EXIT_SPEC;
    }
  }
  const writeJson = (results: CommandResult[], extra: Record<string, unknown>): boolean => {
    if (!jsonPath) return true;
    try {
      writeFileSync(jsonPath, JSON.stringify({ version: 1, file: cmd.file, results, ...extra }, jsonReplacer, 2) + '\n');
      return true;
    } catch (e) {
      io.err(formatError(shown, undefined, `cannot write ${cmd.json}: ${(e as Error).message}`));
      return false;
    }
  };

  const baseDir = dirname(abs);
  const preloaded = new Map<string, LoadedData>();
  const errors: { range: Range; message: string }[] = program.errors.map((e) => ({ range: e.range, message: e.message }));
  if (cmd.check) {
    // every finding at once, as the editor shows them: a syntax error on one line must not hide an
    // unknown variable on another (the checker repeats the parser's errors: keep one of each)
    const key = (e: { range: Range; message: string }) => `${e.range.start.offset}:${e.message}`;
    const seen = new Set(errors.map(key));
    for (const e of await staticErrors(program, abs, preloaded, cmd.lazy.thresholdBytes)) if (!seen.has(key(e))) errors.push(e);
  }
  if (errors.length) {
    errors.sort((a, b) => a.range.start.offset - b.range.start.offset);
    for (const e of errors) io.err(formatError(shown, e.range, e.message));
    writeJson([], { errors: errors.map((e) => ({ line: e.range.start.line + 1, column: e.range.start.character + 1, message: e.message })) });
    return EXIT_SPEC;
  }

  const duck = { memoryLimit: cmd.lazy.memoryLimit, tempDirectory: cmd.lazy.tempDirectory };
  const outcome = await runProgram(program, { file: abs, baseDir, preloaded, duck, lazyThresholdBytes: cmd.lazy.thresholdBytes });
  const results = outcome.results;
  const extra: Record<string, unknown> = {};
  if (outcome.error) {
    const r = outcome.error.range;
    extra.error = { line: r ? r.start.line + 1 : null, column: r ? r.start.character + 1 : null, message: outcome.error.message, kind: outcome.error.kind };
  }
  const wrote = writeJson(results, extra);
  if (!jsonPath && !cmd.quiet) {
    const textOut = renderAll(results, cmd.format);
    if (textOut) io.out(textOut);
  }
  if (outcome.error) {
    io.err(formatError(shown, outcome.error.range, outcome.error.message));
    return EXIT_RUNTIME;
  }
  return wrote ? EXIT_OK : EXIT_RUNTIME;
}

/** The static checker's errors (unknown command, option, variable ...), through the analysis module's
 * file check; each dataset it loads goes into `preloaded` so the run reads it only once. */
async function staticErrors(program: Program, file: string, preloaded: Map<string, LoadedData>, lazyThresholdBytes?: number): Promise<{ range: Range; message: string }[]> {
  try {
    const a = await checkProgramFile(program, file, { loaded: preloaded, lazyThresholdBytes });
    // a data file that cannot be read is a data error at run time (exit 2, results before its `use`
    // still written), not an error in the spec: the run reports it at that `use`
    return a.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'data-file').map((d) => ({ range: d.range, message: d.message }));
  } catch {
    return []; // a checker failure must not stop a valid spec from running
  }
}

/** NaN and infinities are not JSON: write them as null. */
function jsonReplacer(_k: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  return v;
}
