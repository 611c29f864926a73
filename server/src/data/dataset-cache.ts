// Loads and profiles each dataset once for the language server, reloading only when the file's
// modification time or size changes. Failures come back as values (for a diagnostic), not throws.
import { promises as fsp } from 'node:fs';
import { resolve } from 'node:path';
import { DataError } from './errors';
import { loadDataset, type LoadedData, type LoadOptions } from './load';
import { buildCatalog, type Catalog } from './catalog';

export type CacheEntry =
  | { ok: true; path: string; data: LoadedData; catalog: Catalog; mtimeMs: number; size: number; loadSeconds: number }
  | { ok: false; path: string; error: DataError; mtimeMs?: number; size?: number };

/** Reads a file; a loader that profiles as it reads (the worker loader) may hand the catalog back too. */
export type Loader = (path: string, opts?: LoadOptions) => Promise<LoadedData & { catalog?: Catalog }>;

interface Slot {
  key: string; // mtime:size:options the entry was made for
  entry: Promise<CacheEntry>;
}

export class DatasetCache {
  private readonly slots = new Map<string, Slot>();

  /** maxEntries: datasets kept in memory; the least recently used is dropped beyond it. */
  constructor(
    private readonly loader: Loader = loadDataset,
    private readonly maxEntries = 4,
  ) {}

  /** The dataset at path, loading it if it is new or changed on disk. Never rejects. */
  async get(path: string, opts: LoadOptions = {}): Promise<CacheEntry> {
    const abs = resolve(path);
    let st;
    try {
      st = await fsp.stat(abs);
    } catch {
      this.slots.delete(abs);
      return { ok: false, path: abs, error: new DataError(`file not found: ${path}`, { code: 'not-found', file: abs }) };
    }
    const key = `${st.mtimeMs}:${st.size}:${JSON.stringify(opts)}`;
    const slot = this.slots.get(abs);
    if (slot && slot.key === key) {
      // Most recently used goes last (Map keeps insertion order).
      this.slots.delete(abs);
      this.slots.set(abs, slot);
      return slot.entry; // also shares a load still in flight
    }
    const entry = this.load(abs, opts, st.mtimeMs, st.size);
    this.slots.delete(abs);
    this.slots.set(abs, { key, entry });
    while (this.slots.size > this.maxEntries) this.slots.delete(this.slots.keys().next().value as string);
    return entry;
  }

  /** The last entry for path without touching the disk (undefined if never loaded). */
  peek(path: string): Promise<CacheEntry> | undefined {
    return this.slots.get(resolve(path))?.entry;
  }

  invalidate(path?: string): void {
    if (path === undefined) this.slots.clear();
    else this.slots.delete(resolve(path));
  }

  private async load(abs: string, opts: LoadOptions, mtimeMs: number, size: number): Promise<CacheEntry> {
    const t0 = performance.now();
    try {
      const { catalog: ready, ...data } = await this.loader(abs, opts);
      const catalog = ready ?? buildCatalog(data.table);
      return { ok: true, path: abs, data, catalog, mtimeMs, size, loadSeconds: (performance.now() - t0) / 1000 };
    } catch (e) {
      const error = e instanceof DataError ? e : new DataError(`could not load: ${(e as Error)?.message ?? e}`, { code: 'io', file: abs });
      return { ok: false, path: abs, error, mtimeMs, size };
    }
  }
}
