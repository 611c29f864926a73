// Runs spec text through the parser and the interpreter against a small CSV written to a temp folder.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '../../grammar/src/index';
import { runProgram, type RunOutcome } from '../../server/src/runtime/interpreter';
import { checkProgramFile } from '../../server/src/analysis/checkFile';
import type { DataTable } from '../../server/src/data/table';

export function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'pspec-rt-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export async function run(spec: string, files: Record<string, string> = {}, dir = tempDir(files)): Promise<RunOutcome & { dir: string }> {
  const program = parse(spec);
  if (program.errors.length) throw new Error(`parse errors: ${program.errors.map((e) => e.message).join('; ')}`);
  const out = await runProgram(program, { file: join(dir, 'spec.pspec') });
  if (!out.error) await assertNoStaticRuntimeErrors(program, join(dir, 'spec.pspec'));
  return { ...out, dir };
}

/** The static checks that stand in for run-time errors (expressions, weights): they must never fire on a spec that runs. */
const RUNTIME_MIRROR_CODES = new Set(['unknown-function', 'function-args', 'type-mismatch', 'weight-type', 'string-variable']);

/** Every spec the runtime tests run without error doubles as a no-false-positive case for the static check. */
async function assertNoStaticRuntimeErrors(program: ReturnType<typeof parse>, file: string): Promise<void> {
  const a = await checkProgramFile(program, file);
  const wrong = a.diagnostics.filter((d) => RUNTIME_MIRROR_CODES.has(d.code));
  if (wrong.length) throw new Error(`the static check flags a spec that runs: ${wrong.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).join('; ')}`);
}

/** Runs and fails the test on a run-time error. */
export async function runOk(spec: string, files: Record<string, string> = {}): Promise<RunOutcome & { dir: string }> {
  const out = await run(spec, files);
  if (out.error) throw new Error(`run error at line ${(out.error.range?.start.line ?? -1) + 1}: ${out.error.message}`);
  return out;
}

/** A numeric column as a plain array, NaN (missing) as null. */
export function col(table: DataTable | null, name: string): (number | null)[] {
  const c = table?.get(name);
  if (!c) throw new Error(`no column ${name}`);
  if (c.kind !== 'numeric') throw new Error(`${name} is not numeric`);
  return Array.from(c.values, (v) => (Number.isNaN(v) ? null : v));
}

export function strCol(table: DataTable | null, name: string): string[] {
  const c = table?.get(name);
  if (!c || c.kind !== 'string') throw new Error(`${name} is not a string column`);
  return Array.from(c.codes, (k) => (k < 0 ? '' : c.levels[k]));
}

export const near = (a: number | null, b: number, tol = 1e-12) => a !== null && Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
