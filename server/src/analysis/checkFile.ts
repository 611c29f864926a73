// Static checks of a whole spec file for the CLI (`panelspec run` exits 1 on errors before running
// anything): loads the datasets its `use` statements name (through the data layer's cache), then
// runs the same checks as the editor.
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Program } from '../../../grammar/src/ast';
import { parse } from '../../../grammar/src/index';
import { DatasetCache } from '../data/dataset-cache';
import { analyzeProgram, type Analysis } from './check';
import { canonicalCommand } from './commands';
import { fromCatalog } from './profile';
import { usePath, type DatasetState } from './scope';

/** Loads every dataset `program` uses and returns their states by absolute path. */
export async function loadDatasetStates(program: Program, baseDir: string, cache = new DatasetCache()): Promise<Map<string, DatasetState>> {
  const states = new Map<string, DatasetState>();
  for (const st of program.statements) {
    if (canonicalCommand(st.command.name) !== 'use') continue;
    const p = usePath(st.command);
    if (!p) continue;
    const abs = isAbsolute(p.written) ? p.written : resolve(baseDir, p.written);
    if (states.has(abs)) continue;
    const r = await cache.get(abs);
    if (r.ok) states.set(abs, { status: 'loaded', profile: fromCatalog(abs, r.catalog, r.data.table) });
    else states.set(abs, { status: 'error', message: r.error.detail ?? r.error.message, notFound: r.error.code === 'not-found' });
  }
  return states;
}

/** Parses and checks a spec; `file` locates relative data paths. */
export async function checkSpecText(text: string, file: string, cache?: DatasetCache): Promise<Analysis> {
  const program = parse(text);
  const baseDir = dirname(file);
  const states = await loadDatasetStates(program, baseDir, cache);
  return analyzeProgram(program, {
    resolvePath: (p) => (isAbsolute(p) ? p : resolve(baseDir, p)),
    dataset: (abs) => states.get(abs) ?? { status: 'pending' },
  });
}

/** `FILE:LINE:COL: error: MESSAGE` lines (1-based), as the CLI prints them. */
export function formatDiagnostics(file: string, a: Analysis): string[] {
  return a.diagnostics.map((d) => `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity === 'error' ? 'error' : 'warning'}: ${d.message}`);
}
