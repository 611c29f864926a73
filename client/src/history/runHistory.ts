// The results history as the extension uses it: every finished run recorded (in the order the runs
// finished) in the store, and read back for the panel's history pages. Listing waits for the
// records still being written, so a run's own history shows it.

import { dirname } from 'node:path';
import type { ResultsParams } from '../../../server/src/protocol';
import { HistoryStore } from './historyStore';
import { buildRecord } from './recordRun';
import type { RunRecord, RunSummary } from './runRecord';

export interface HistoryLog {
  info(s: string): void;
  warn(s: string): void;
}

export class RunHistory {
  private readonly store: HistoryStore;
  private writing: Promise<unknown> = Promise.resolve();
  private seq = 0;

  constructor(
    root: string,
    readonly maxRuns: () => number,
    private readonly version: string,
    private readonly log: HistoryLog,
    /** The spec's file path for a uri (data paths are relative to its folder), if it has one. */
    private readonly specPath: (uri: string) => string | undefined,
  ) {
    this.store = new HistoryStore(root, maxRuns);
  }

  /** Keeps a finished run (fire and forget: a failure is logged, never shown as the run's error). */
  record(params: ResultsParams, time = new Date()): Promise<void> {
    if (this.maxRuns() <= 0) return Promise.resolve();
    const seq = ++this.seq % 1000;
    const path = this.specPath(params.uri);
    const job = this.writing.then(async () => {
      const rec = await buildRecord(params, { version: this.version, time, seq, specDir: path ? dirname(path) : undefined });
      const dropped = await this.store.add(rec);
      if (dropped.length) this.log.info(`history: kept ${rec.id}, dropped ${dropped.length} older run(s) of ${params.uri}`);
    });
    this.writing = job.catch((e: unknown) => this.log.warn(`history: could not keep the run: ${(e as Error)?.message ?? String(e)}`));
    return this.writing as Promise<void>;
  }

  async list(uri: string): Promise<RunSummary[]> {
    await this.writing;
    return this.store.list(uri);
  }

  async read(uri: string, id: string): Promise<RunRecord | undefined> {
    await this.writing;
    return this.store.read(uri, id);
  }
}
