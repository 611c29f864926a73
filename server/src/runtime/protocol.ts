// Messages between the language server (host) and the estimation worker (dist/worker.js).
import type { Range } from '../../../grammar/src/ast';
import type { CommandResult } from '../results/types';
import type { Progress } from './context';
import type { RunErrorKind } from './errors';

export interface RunRequest {
  type: 'run';
  text: string; // the spec's text (the editor's buffer, saved or not)
  file: string; // absolute path of the spec (relative paths resolve against its folder)
  baseDir?: string;
  upTo?: number; // last statement index to run
  lazy?: LazyRunSettings;
}

/** Lazy data (DuckDB) settings of a run: `panelspec.lazyThresholdBytes`, `panelspec.duckdb.*`. */
export interface LazyRunSettings {
  thresholdBytes?: number;
  memoryLimit?: string;
  tempDirectory?: string;
}
export interface CancelRequest {
  type: 'cancel';
}
export type HostMessage = RunRequest | CancelRequest;

export interface WorkerError {
  message: string;
  range?: Range;
  kind: RunErrorKind;
}

export type WorkerMessage =
  | { type: 'progress'; progress: Progress }
  | { type: 'result'; result: CommandResult }
  | { type: 'done'; results: CommandResult[]; error: WorkerError | null };
