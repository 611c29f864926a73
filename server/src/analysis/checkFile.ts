// Static checks of a whole spec file outside the editor (the CLI's `panelspec run` exits 1 on errors
// before running anything): loads the datasets its `use` statements name (through the data layer's
// cache), then runs the same checks as the editor. The datasets found are the ones the scope
// resolves, so `use "$dir/panel.csv"` is loaded too.
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Program } from '../../../grammar/src/ast';
import { parse } from '../../../grammar/src/index';
import { DatasetCache } from '../data/dataset-cache';
import { autoLazyReason } from '../data/duck/source';
import type { LoadedData } from '../data/load';
import { analyzeProgram, type Analysis } from './check';
import { fromCatalog } from './profile';
import { buildScope, type DatasetState } from './scope';

export interface CheckFileOptions {
  cache?: DatasetCache;
  /** Filled with every dataset loaded, by absolute path (the CLI hands them to the run: data is read once). */
  loaded?: Map<string, LoadedData>;
  /** Files at least this large open lazily at run time: the check does not load them (default 1 GB). */
  lazyThresholdBytes?: number;
}

const resolverFor = (baseDir: string) => (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));

/** Absolute paths of the datasets `program` uses, as the scope resolves them (globals in paths expanded). */
export function datasetPaths(program: Program, baseDir: string): string[] {
  const paths = new Set<string>();
  buildScope(program, {
    resolvePath: resolverFor(baseDir),
    dataset: (abs) => {
      paths.add(abs);
      return { status: 'pending' };
    },
  });
  return [...paths];
}

/** Loads every dataset `program` uses and returns their states by absolute path. */
export async function loadDatasetStates(program: Program, baseDir: string, cache = new DatasetCache(), loaded?: Map<string, LoadedData>, lazyThresholdBytes?: number): Promise<Map<string, DatasetState>> {
  const states = new Map<string, DatasetState>();
  for (const abs of datasetPaths(program, baseDir)) {
    // a file the run opens lazily (too large to load) is not loaded for the check either
    if (await autoLazyReason(abs, lazyThresholdBytes)) continue;
    const t0 = performance.now();
    const r = await cache.get(abs);
    if (r.ok) {
      states.set(abs, { status: 'loaded', profile: fromCatalog(abs, r.catalog, r.data.table) });
      loaded?.set(abs, { ...r.data, readSeconds: (performance.now() - t0) / 1000 });
    } else states.set(abs, { status: 'error', message: r.error.detail ?? r.error.message, notFound: r.error.code === 'not-found' });
  }
  return states;
}

/** Checks a parsed spec; `file` (absolute) locates relative data paths. */
export async function checkProgramFile(program: Program, file: string, opts: CheckFileOptions = {}): Promise<Analysis> {
  const baseDir = dirname(file);
  const states = await loadDatasetStates(program, baseDir, opts.cache, opts.loaded, opts.lazyThresholdBytes);
  return analyzeProgram(program, {
    resolvePath: resolverFor(baseDir),
    dataset: (abs) => states.get(abs) ?? { status: 'pending' },
  });
}

/** Parses and checks a spec; `file` locates relative data paths. */
export async function checkSpecText(text: string, file: string, cache?: DatasetCache): Promise<Analysis> {
  return checkProgramFile(parse(text), file, { cache });
}

/** `FILE:LINE:COL: error: MESSAGE` lines (1-based), as the CLI prints them. */
export function formatDiagnostics(file: string, a: Analysis): string[] {
  return a.diagnostics.map((d) => `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity === 'error' ? 'error' : 'warning'}: ${d.message}`);
}
