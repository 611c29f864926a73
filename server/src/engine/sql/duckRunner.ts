// A SqlRunner over DuckDB's native Node binding (@duckdb/node-api), for the tests, the bench and the
// lazy datasets: one in-process database, query progress polled while a query runs, cancel = interrupt.
import type { SqlRunner } from './runner';

export interface DuckRunnerOptions {
  path?: string; // database file; default in memory
  memoryLimit?: string; // e.g. '3GB'
  tempDirectory?: string;
  threads?: number;
}

export interface DuckRunner extends SqlRunner {
  close(): void;
}

export async function createDuckRunner(opts: DuckRunnerOptions = {}): Promise<DuckRunner> {
  // loaded lazily: the native binding is only needed when SQL-backed data are used
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const config: Record<string, string> = {};
  if (opts.memoryLimit) config.memory_limit = opts.memoryLimit;
  if (opts.tempDirectory) config.temp_directory = opts.tempDirectory;
  if (opts.threads) config.threads = String(opts.threads);
  const instance = await DuckDBInstance.create(opts.path ?? ':memory:', config);
  const con = await instance.connect();
  return {
    async all(sql, o) {
      if (o?.signal?.aborted) throw new Error('cancelled');
      const onAbort = () => con.interrupt();
      o?.signal?.addEventListener('abort', onAbort);
      const timer = o?.onProgress
        ? setInterval(() => {
            const pr = con.progress;
            if (pr.percentage >= 0) o.onProgress!(pr.percentage / 100);
          }, 250)
        : null;
      try {
        const reader = await con.runAndReadAll(sql);
        return reader.getRowObjectsJS() as Record<string, unknown>[];
      } finally {
        if (timer) clearInterval(timer);
        o?.signal?.removeEventListener('abort', onAbort);
      }
    },
    close() {
      con.closeSync();
      instance.closeSync();
    },
  };
}
