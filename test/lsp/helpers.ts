// Shared helpers for the language-server tests: analysing a spec against the reference data.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from '../../grammar/src/index';
import { loadDatasetSync } from '../../server/src/data/load';
import { buildCatalog } from '../../server/src/data/catalog';
import { analyzeProgram, type Analysis } from '../../server/src/analysis/check';
import { fromCatalog } from '../../server/src/analysis/profile';
import type { DatasetState } from '../../server/src/analysis/scope';
import assert from 'node:assert/strict';

export const root = join(__dirname, '..', '..', '..');
export const dataDir = join(root, 'test', 'reference', 'data');

const states = new Map<string, DatasetState>();
function stateOf(abs: string): DatasetState {
  let s = states.get(abs);
  if (!s) {
    try {
      const d = loadDatasetSync(abs);
      s = { status: 'loaded', profile: fromCatalog(abs, buildCatalog(d.table), d.table) };
    } catch (e) {
      const err = e as { code?: string; detail?: string; message: string };
      s = { status: 'error', message: err.detail ?? err.message, notFound: err.code === 'not-found' };
    }
    states.set(abs, s);
  }
  return s;
}

/** Analyses a spec as if it were a file in test/reference/data/. */
export function analyze(text: string, dir = dataDir): Analysis {
  return analyzeProgram(parse(text), {
    resolvePath: (p) => (isAbsolute(p) ? p : resolve(dir, p)),
    dataset: stateOf,
  });
}

export const specFile = (name = 'spec.pspec'): string => join(dataDir, name);
export { dirname };

/** Range of the n-th occurrence of `needle` in `text` as {line, character} pairs. */
export function rangeOf(text: string, needle: string, nth = 0): { sl: number; sc: number; el: number; ec: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} not in text`);
  const before = text.slice(0, at).split('\n');
  const sl = before.length - 1;
  const sc = before[before.length - 1].length;
  return { sl, sc, el: sl, ec: sc + needle.length };
}
export function assertAt(d: { range: { start: { line: number; character: number }; end: { line: number; character: number } } } | undefined, text: string, needle: string, nth = 0): void {
  assert.ok(d, `no diagnostic for ${needle}`);
  const r = rangeOf(text, needle, nth);
  assert.deepEqual({ sl: d!.range.start.line, sc: d!.range.start.character, el: d!.range.end.line, ec: d!.range.end.character }, r);
}
