// One embedded DuckDB per runtime session: the lazy-data backend. Opened on first use (a spec that
// never says `use ..., lazy` never loads the native binding), in memory, with the memory limit,
// spill directory and thread count the settings give. Queries run one at a time on one connection
// (the connection is what `interrupt()` and the query progress refer to); each may be cancelled
// through an AbortSignal and reports DuckDB's own progress while it runs.
import { cpus, tmpdir, totalmem } from 'node:os';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { duckErrorMessage, DuckCancelled, DuckError } from './errors';

export interface DuckSettings {
  /** DuckDB's memory_limit, e.g. "3GB" (default: 60 % of RAM). */
  memoryLimit?: string;
  /** Where DuckDB spills what does not fit (default: the OS temp folder). */
  tempDirectory?: string;
  /** Worker threads (default: the machine's cores). */
  threads?: number;
}

export interface QueryOptions {
  signal?: AbortSignal;
  /** Called with DuckDB's progress of the running query, 0..1, while it runs (when DuckDB knows it). */
  onProgress?: (fraction: number) => void;
}

/** How often the running query's progress is read. */
const PROGRESS_POLL_MS = 200;

export function defaultMemoryLimit(): string {
  return `${Math.max(256, Math.floor((totalmem() * 0.6) / 2 ** 20))}MB`;
}

export class DuckSession {
  private opened: Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> | null = null;
  /** Queries run one after another on the connection. */
  private queue: Promise<unknown> = Promise.resolve();
  private names = 0;

  constructor(readonly settings: DuckSettings = {}) {}

  /** A fresh relation name for this session (`ps_3`): every data step creates its own. */
  freshName(prefix = 'ps'): string {
    return `${prefix}_${++this.names}`;
  }

  /** The rows of a query, as plain objects (BIGINT/HUGEINT come back as numbers, NULL as null). */
  async all(sql: string, opts: QueryOptions = {}): Promise<Record<string, unknown>[]> {
    return this.serial(async (conn) => {
      const reader = await this.tracked(conn, opts, () => conn.runAndReadAll(sql));
      return reader.getRowObjectsJS().map(plainRow);
    });
  }

  /** The columns of a query's result, by name (values as in `all`): for reading many rows. */
  async columns(sql: string, opts: QueryOptions = {}): Promise<Record<string, unknown[]>> {
    return this.serial(async (conn) => {
      const reader = await this.tracked(conn, opts, () => conn.runAndReadAll(sql));
      const cols = reader.getColumnsObjectJS() as Record<string, unknown[]>;
      for (const k in cols) {
        const c = cols[k];
        for (let i = 0; i < c.length; i++) if (typeof c[i] === 'bigint') c[i] = Number(c[i]);
      }
      return cols;
    });
  }

  /** Runs a statement that returns no rows (CREATE VIEW, COPY ...). */
  async run(sql: string, opts: QueryOptions = {}): Promise<void> {
    await this.serial(async (conn) => {
      await this.tracked(conn, opts, () => conn.run(sql));
    });
  }

  /** Closes DuckDB (the in-memory tables and views go with it). */
  close(): void {
    const o = this.opened;
    this.opened = null;
    if (!o) return;
    void o.then(({ instance, conn }) => {
      conn.closeSync();
      instance.closeSync();
    }, () => undefined);
  }

  get isOpen(): boolean {
    return this.opened !== null;
  }

  private open(): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
    if (!this.opened) {
      this.opened = (async () => {
        let api: typeof import('@duckdb/node-api');
        try {
          api = await import('@duckdb/node-api');
        } catch (e) {
          throw new DuckError(`lazy data needs the DuckDB binding (@duckdb/node-api), which could not be loaded: ${(e as Error).message}`);
        }
        const s = this.settings;
        const instance = await api.DuckDBInstance.create(':memory:', {
          memory_limit: s.memoryLimit ?? defaultMemoryLimit(),
          temp_directory: s.tempDirectory ?? tmpdir(),
          threads: String(s.threads ?? Math.max(1, cpus().length)),
        });
        const conn = await instance.connect();
        // progress is read by polling the connection; DuckDB prints nothing itself
        await conn.run('SET enable_progress_bar = true');
        await conn.run('SET enable_progress_bar_print = false');
        await conn.run('SET progress_bar_time = 0'); // from the start, not after 2 s
        return { instance, conn };
      })();
      this.opened.catch(() => {
        this.opened = null;
      });
    }
    return this.opened;
  }

  private serial<T>(f: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => f((await this.open()).conn));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs `q` with cancel (interrupt) and progress (polling) wired to the connection. */
  private async tracked<T>(conn: DuckDBConnection, opts: QueryOptions, q: () => Promise<T>): Promise<T> {
    if (opts.signal?.aborted) throw new DuckCancelled();
    const onAbort = () => conn.interrupt();
    opts.signal?.addEventListener('abort', onAbort);
    const timer = opts.onProgress
      ? setInterval(() => {
          const p = conn.progress.percentage;
          if (p >= 0) opts.onProgress!(Math.min(1, p / 100));
        }, PROGRESS_POLL_MS)
      : null;
    try {
      return await q();
    } catch (e) {
      if (opts.signal?.aborted) throw new DuckCancelled();
      throw new DuckError(duckErrorMessage(e));
    } finally {
      if (timer) clearInterval(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }
}

function plainRow(r: Record<string, unknown>): Record<string, unknown> {
  for (const k in r) {
    const v = r[k];
    if (typeof v === 'bigint') r[k] = Number(v);
  }
  return r;
}
