// Dataset loading off the language server's thread. The worker side (`serveLoad`, run by the worker
// entry lsp/dataWorker.ts, bundled to dist/loadWorker.js) reads and profiles one file and posts the
// columns back with their typed-array buffers transferred (no copy); the host side (loadInWorker /
// workerLoader) rebuilds the DataTable. A 1M-row CSV takes seconds to parse: in the server's own
// thread it would stall every request meanwhile.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DataError, type DataErrorCode } from './errors';
import { loadDataset, type LoadedData, type LoadOptions } from './load';
import { buildCatalog, profilesByArray, type Catalog, type ColumnProfile } from './catalog';
import { DataTable, type Column } from './table';

/** The marker the host passes as workerData, so that the worker entry only serves when started as the load worker. */
export const LOAD_WORKER_MARKER = 'panelspec-load-worker';

export type LoadRequest = { kind: 'load'; path: string; opts: LoadOptions };

export type LoadReply =
  | { ok: true; nrows: number; columns: Column[]; catalog: Catalog; meta: Omit<LoadedData, 'table'> }
  | { ok: false; error: { detail: string; code: DataErrorCode; file?: string; line?: number; column?: number } };

/** The column buffers of a table, each once (a buffer shared by several columns moves once; views into it survive). */
export function buffersOf(table: DataTable): ArrayBuffer[] {
  const seen = new Set<ArrayBufferLike>();
  const out: ArrayBuffer[] = [];
  for (const c of table.columns) {
    const buf = c.kind === 'numeric' ? c.values.buffer : c.codes.buffer;
    if (!seen.has(buf) && buf instanceof ArrayBuffer) out.push(buf);
    seen.add(buf);
  }
  return out;
}

/** What a worker load gives: the data and its catalog (profiled in the worker too). */
export type LoadedWithCatalog = LoadedData & { catalog?: Catalog };

/** The loaded datasets' column profiles by data array (see buildCatalog's `known`). */
export function knownProfiles(preloaded: Map<string, LoadedData> | undefined, catalogs: Map<string, Catalog> | undefined): Map<Float64Array | Int32Array, ColumnProfile> | undefined {
  if (!preloaded || !catalogs) return undefined;
  const known = new Map<Float64Array | Int32Array, ColumnProfile>();
  for (const [path, d] of preloaded) {
    const c = catalogs.get(path);
    if (c) profilesByArray(d.table, c, known);
  }
  return known;
}

// ---- worker side ----

/** Loads and profiles one file for the host: the reply and the buffers to transfer with it. */
export async function serveLoad(req: LoadRequest): Promise<{ reply: LoadReply; transfer: ArrayBuffer[] }> {
  try {
    const { catalog: ready, ...data } = await loadDataset(req.path, req.opts);
    const catalog = ready ?? buildCatalog(data.table);
    const { table, ...meta } = data;
    return { reply: { ok: true, nrows: table.nrows, columns: table.columns, catalog, meta }, transfer: buffersOf(table) };
  } catch (e) {
    const err = e instanceof DataError ? e : new DataError(`could not load: ${(e as Error)?.message ?? e}`, { code: 'io', file: req.path });
    return { reply: { ok: false, error: { detail: err.detail, code: err.code, file: err.file, line: err.line, column: err.column } }, transfer: [] };
  }
}

// ---- host side ----

/** dist/loadWorker.js beside the running bundle, or in a dist/ folder above it (as for dist/worker.js). */
export function findLoadWorker(from = __dirname): string | undefined {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    for (const p of [join(dir, 'loadWorker.js'), join(dir, 'dist', 'loadWorker.js')]) if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  return undefined;
}

/** One request to a fresh worker thread; rejects with `failure(message)` if the worker cannot answer. */
export function callWorker<R, Q extends { kind: string } = { kind: string }>(workerPath: string, req: Q, failure: (message: string) => Error): Promise<R> {
  return new Promise((resolvePromise, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(workerPath, { workerData: LOAD_WORKER_MARKER });
    } catch (e) {
      reject(failure(`cannot start the data worker: ${(e as Error).message}`));
      return;
    }
    let settled = false;
    const done = (f: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      f();
    };
    worker.once('message', (r: R) => done(() => resolvePromise(r)));
    worker.once('error', (e) => done(() => reject(failure(`the data worker failed: ${e.message}`))));
    worker.once('exit', (code) => done(() => reject(failure(`the data worker stopped (exit code ${code})`))));
    worker.postMessage(req);
  });
}

/** Loads `path` in a fresh worker thread; rejects with a DataError as loadDataset does. */
export async function loadInWorker(workerPath: string, path: string, opts: LoadOptions = {}): Promise<LoadedWithCatalog> {
  const r = await callWorker<LoadReply, LoadRequest>(workerPath, { kind: 'load', path, opts }, (m) => new DataError(m, { code: 'io', file: path }));
  if (!r.ok) throw new DataError(r.error.detail, { code: r.error.code, file: r.error.file, line: r.error.line, column: r.error.column });
  return { ...r.meta, table: new DataTable(r.nrows, r.columns), catalog: r.catalog };
}

/**
 * A DatasetCache loader that reads in a worker thread when the bundle is there, else in-process
 * (test bundles outside dist/, or a broken install: slower for the server, but it still works).
 */
export function workerLoader(workerPath = findLoadWorker()): (path: string, opts?: LoadOptions) => Promise<LoadedWithCatalog> {
  if (!workerPath) return loadDataset;
  return (path, opts) => loadInWorker(workerPath, path, opts ?? {});
}
