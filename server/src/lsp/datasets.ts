// Datasets named by `use` in open specs, as the analysis sees them. Loading goes through the data
// layer's DatasetCache (loads and profiles once, reloads on mtime/size change) in a worker thread;
// analyses ask synchronously and get `pending` until the load settles, then listeners re-analyse
// the documents that wait for it. Never throws: failures become an `error` state (a diagnostic).
import { statSync } from 'node:fs';
import { DatasetCache } from '../data/dataset-cache';
import type { Catalog } from '../data/catalog';
import type { LoadedData } from '../data/load';
import { workerLoader } from '../data/loadWorker';
import { fromCatalog } from '../analysis/profile';
import type { DatasetState } from '../analysis/scope';

interface Entry {
  key: string; // mtime:size the state is for
  state: DatasetState;
}

export class DatasetStore {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners: ((path: string) => void)[] = [];

  constructor(
    // read in a worker thread: a big file must not stall the request loop while it parses
    private readonly cache: DatasetCache = new DatasetCache(workerLoader()),
    private readonly log: (msg: string) => void = () => {},
  ) {}

  onLoaded(fn: (path: string) => void): void {
    this.listeners.push(fn);
  }

  /** The dataset's state now; starts (re)loading it when it is new or changed on disk. */
  state(path: string): DatasetState {
    let key: string;
    try {
      const s = statSync(path);
      if (!s.isFile()) return { status: 'error', message: `not a data file: ${path}` };
      key = `${s.mtimeMs}:${s.size}`;
    } catch {
      this.entries.delete(path);
      return { status: 'error', message: `data file not found: ${path}`, notFound: true };
    }
    const e = this.entries.get(path);
    if (e && e.key === key) return e.state;
    const entry: Entry = { key, state: { status: 'pending' } };
    this.entries.set(path, entry);
    void this.startLoad(path, entry);
    return entry.state;
  }

  /** The dataset in memory (loading it, or waiting for the load under way), for the data viewer. */
  async loaded(path: string): Promise<{ data: LoadedData; catalog: Catalog; mtimeMs: number } | undefined> {
    const r = await this.cache.get(path);
    return r.ok ? { data: r.data, catalog: r.catalog, mtimeMs: r.mtimeMs } : undefined;
  }

  /** Resolves once the dataset is no longer pending (tests, benches). */
  async whenSettled(path: string): Promise<DatasetState> {
    for (;;) {
      const s = this.state(path);
      if (s.status !== 'pending') return s;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private async startLoad(path: string, entry: Entry): Promise<void> {
    try {
      const r = await this.cache.get(path);
      if (this.entries.get(path) !== entry) return; // superseded by a newer load
      if (r.ok) {
        entry.state = { status: 'loaded', profile: fromCatalog(r.path, r.catalog, r.data.table) };
        this.log(`loaded ${path}: ${r.catalog.nrows} rows x ${r.catalog.columns.length} columns in ${r.loadSeconds.toFixed(2)} s`);
      } else {
        entry.state = { status: 'error', message: r.error.detail ?? r.error.message };
        this.log(`could not load ${path}: ${r.error.message}`);
      }
    } catch (err) {
      if (this.entries.get(path) !== entry) return;
      entry.state = { status: 'error', message: `could not load ${path}: ${(err as Error)?.message ?? String(err)}` };
    }
    for (const fn of this.listeners) {
      try {
        fn(path);
      } catch (e) {
        this.log(`dataset listener failed: ${(e as Error).message}`);
      }
    }
  }
}
