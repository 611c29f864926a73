// One kept run of a spec, as the results history stores it: when it ran, what ran (the whole file or
// one statement), with which PanelSpec, seeds and data, and what it produced. Pure (no `vscode`,
// no file system): the store writes these as JSON, the history page reads them back.

import type { CommandResult, RunOutput } from '../../../server/src/results/types';
import type { RunError } from '../../../server/src/protocol';

/**
 * A data file the run read, identified by its bytes. `scope` says what `sha256` covers: the whole
 * file (`full`), or, for files over FULL_HASH_LIMIT bytes, only the first MiB, with size and mtime
 * standing for the rest (`first-1MiB`). `missing` when the file could not be read after the run.
 */
export interface DataFingerprint {
  file: string; // as the spec wrote it
  path: string; // resolved against the spec's folder
  size?: number;
  mtime?: string; // ISO time of the last modification
  sha256?: string;
  scope?: 'full' | 'first-1MiB';
  missing?: string; // why no fingerprint (the file is gone, unreadable)
}

/** A seed the run used: a `set seed N` line, or a command's own seed (seed() option or the session's). */
export interface SeedUse {
  line: number; // 1-based
  source: string; // "set seed", "placebo", "ritest", "boottest", "csdid wboot"
  seed: number;
}

export interface RunRecord {
  id: string; // unique within the spec's history, sortable by time
  uri: string;
  time: string; // ISO time the run finished
  version: string; // PanelSpec's version
  line?: number; // 0-based: a run of one statement (CodeLens "Run"), not of the whole file
  seconds?: number;
  error?: RunError;
  seeds: SeedUse[];
  data: DataFingerprint[];
  text?: string; // the spec text that ran (result lines refer to it)
  output: RunOutput;
}

/** What the history list shows of a run without reading its results. */
export interface RunSummary {
  id: string;
  time: string;
  version: string;
  line?: number;
  seconds?: number;
  error?: string;
  errorLine?: number; // 0-based
  models: string[]; // each estimation's name, or its command and depvar
  results: number;
  seeds: SeedUse[];
  data: DataFingerprint[];
}

/** A run id: the finish time (sortable, file-name safe) and a counter for runs in the same millisecond. */
export function runId(time: Date, n: number): string {
  return `${time.toISOString().replace(/[:.]/g, '-')}-${String(n).padStart(3, '0')}`;
}

export const RUN_ID_PATTERN = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-\d{3}$/;

/** An estimation's short name for the history list: `b1`, else `reghdfe y`. */
export function modelLabel(r: CommandResult): string | undefined {
  if (r.kind !== 'estimation') return undefined;
  return r.name ? r.name : `${r.command} ${r.depvar}`;
}

export function summarize(rec: RunRecord): RunSummary {
  return {
    id: rec.id,
    time: rec.time,
    version: rec.version,
    ...(rec.line !== undefined ? { line: rec.line } : {}),
    ...(rec.seconds !== undefined ? { seconds: rec.seconds } : {}),
    ...(rec.error ? { error: rec.error.message, errorLine: rec.error.line } : {}),
    models: rec.output.results.map(modelLabel).filter((m): m is string => m !== undefined),
    results: rec.output.results.length,
    seeds: rec.seeds,
    data: rec.data,
  };
}

/**
 * The seeds a run used: every `set seed N` line of the text that ran (comments skipped), and the
 * seed each randomised command reports it drew with (its seed() option, else the session's seed,
 * else its default), so a record says how to reproduce the draws even when no seed was written.
 */
export function runSeeds(text: string | undefined, results: readonly CommandResult[]): SeedUse[] {
  const out: SeedUse[] = [];
  if (text !== undefined) {
    let inBlock = false;
    text.split(/\r?\n/).forEach((raw, i) => {
      let s = raw;
      if (inBlock) {
        const end = s.indexOf('*/');
        if (end < 0) return;
        s = s.slice(end + 2);
        inBlock = false;
      }
      s = s.replace(/\/\*.*?\*\//g, '');
      if (s.includes('/*')) {
        inBlock = true;
        s = s.slice(0, s.indexOf('/*'));
      }
      const m = /^\s*set\s+seed\s+(-?\d+)\b/.exec(s.replace(/\/\/.*$/, ''));
      if (m && !/^\s*\*/.test(s)) out.push({ line: i + 1, source: 'set seed', seed: Number(m[1]) });
    });
  }
  for (const r of results) {
    if (typeof r.line !== 'number') continue;
    const seed = commandSeed(r);
    if (seed) out.push({ line: r.line, source: seed.source, seed: seed.seed });
  }
  return out.sort((a, b) => a.line - b.line);
}

function commandSeed(r: CommandResult): { source: string; seed: number } | undefined {
  switch (r.kind) {
    case 'placebo':
      return typeof r.seed === 'number' ? { source: 'placebo', seed: r.seed } : undefined;
    case 'ritest':
      return typeof r.seed === 'number' ? { source: 'ritest', seed: r.seed } : undefined;
    case 'boottest':
      return typeof r.seed === 'number' ? { source: 'boottest', seed: r.seed } : undefined;
    case 'estimation': {
      const b = 'bootstrap' in r ? (r.bootstrap as { seed?: unknown } | null) : null;
      return b && typeof b.seed === 'number' ? { source: `${r.command} wboot`, seed: b.seed } : undefined;
    }
    default:
      return undefined;
  }
}

/** The data files a run read (`use`), each once, in the order read. */
export function dataFiles(results: readonly CommandResult[]): string[] {
  const seen = new Set<string>();
  for (const r of results) if (r.kind === 'data' && typeof r.file === 'string' && r.file) seen.add(r.file);
  return [...seen];
}

/** Checks a record read back from disk (a hand-edited or truncated file must not break the panel). */
export function isRunRecord(x: unknown): x is RunRecord {
  if (!x || typeof x !== 'object') return false;
  const o = x as Record<string, unknown>;
  const out = o.output as Record<string, unknown> | undefined;
  return (
    typeof o.id === 'string' &&
    RUN_ID_PATTERN.test(o.id) &&
    typeof o.uri === 'string' &&
    typeof o.time === 'string' &&
    typeof o.version === 'string' &&
    Array.isArray(o.seeds) &&
    Array.isArray(o.data) &&
    !!out &&
    typeof out === 'object' &&
    Array.isArray(out.results)
  );
}
