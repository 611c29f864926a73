// Dataset loading off the language server's thread. The worker side (bundled to dist/loadWorker.js)
// reads and profiles one file and posts the columns back with their typed-array buffers transferred
// (no copy); the host side (loadInWorker / workerLoader) rebuilds the DataTable. A 1M-row CSV takes
// seconds to parse: in the server's own thread it would stall every request meanwhile.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { DataError, type DataErrorCode } from './errors';
import { loadDataset, type LoadedData, type LoadOptions } from './load';
import { buildCatalog, profilesByArray, type Catalog, type ColumnProfile } from './catalog';
import { DataTable, type Column } from './table';
import { runDataSteps, type StepsRequest } from '../lsp/dataSteps';
import type { GlobalMacro, PanelSetting } from '../runtime/session';

/** The marker the host passes as workerData, so this module only serves when started as the load worker. */
const MARKER = 'panelspec-load-worker';

export type WorkerRequest = { kind: 'load'; path: string; opts: LoadOptions } | ({ kind: 'steps' } & StepsRequest);

type LoadReply =
  | { ok: true; nrows: number; columns: Column[]; catalog: Catalog; meta: Omit<LoadedData, 'table'> }
  | { ok: false; error: { detail: string; code: DataErrorCode; file?: string; line?: number; column?: number } };

type StepsReply = { ok: true; nrows: number; columns: Column[]; catalog: Catalog; panel: PanelSetting | null; globals: [string, GlobalMacro][] } | { ok: false; message: string; line?: number; character?: number };

/** The column buffers of a table, each once (a buffer shared by several columns moves once; views into it survive). */
function buffersOf(table: DataTable): ArrayBuffer[] {
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
if (parentPort && workerData === MARKER) {
  const port = parentPort;
  port.once('message', async (req: WorkerRequest) => {
    if (req.kind === 'steps') {
      let reply: StepsReply;
      let transfer: ArrayBuffer[] = [];
      try {
        // tables arrive as plain objects (structured clone drops classes): make them DataTables again
        const preloaded = req.preloaded && new Map([...req.preloaded].map(([p, d]) => [p, { ...d, table: new DataTable(d.table.nrows, d.table.columns) }]));
        const r = await runDataSteps({ ...req, preloaded });
        if (r.ok) {
          const known = knownProfiles(preloaded, req.catalogs);
          reply = { ok: true, nrows: r.table.nrows, columns: r.table.columns, catalog: buildCatalog(r.table, known), panel: r.panel, globals: r.globals };
          transfer = buffersOf(r.table);
        } else reply = r;
      } catch (e) {
        reply = { ok: false, message: `internal error: ${(e as Error)?.message ?? String(e)}` };
      }
      port.postMessage(reply, transfer);
      return;
    }
    let reply: LoadReply;
    let transfer: ArrayBuffer[] = [];
    try {
      const data = await loadDataset(req.path, req.opts);
      const catalog = buildCatalog(data.table);
      const { table, ...meta } = data;
      transfer = buffersOf(table);
      reply = { ok: true, nrows: table.nrows, columns: table.columns, catalog, meta };
    } catch (e) {
      const err = e instanceof DataError ? e : new DataError(`could not load: ${(e as Error)?.message ?? e}`, { code: 'io', file: req.path });
      reply = { ok: false, error: { detail: err.detail, code: err.code, file: err.file, line: err.line, column: err.column } };
    }
    port.postMessage(reply, transfer);
  });
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
function callWorker<R>(workerPath: string, req: WorkerRequest, failure: (message: string) => Error): Promise<R> {
  return new Promise((resolvePromise, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(workerPath, { workerData: MARKER });
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
  const r = await callWorker<LoadReply>(workerPath, { kind: 'load', path, opts }, (m) => new DataError(m, { code: 'io', file: path }));
  if (!r.ok) throw new DataError(r.error.detail, { code: r.error.code, file: r.error.file, line: r.error.line, column: r.error.column });
  return { ...r.meta, table: new DataTable(r.nrows, r.columns), catalog: r.catalog };
}

export type StepsResult = { ok: true; table: DataTable; catalog: Catalog; panel: PanelSetting | null; globals: [string, GlobalMacro][] } | { ok: false; message: string; line?: number; character?: number };

/** Runs a spec's data steps (lsp/dataSteps.ts) in a worker thread, or in-process without the bundle. */
export async function runStepsInWorker(req: StepsRequest, workerPath = findLoadWorker()): Promise<StepsResult> {
  if (!workerPath) {
    const r = await runDataSteps(req);
    return r.ok ? { ok: true, table: r.table, catalog: buildCatalog(r.table, knownProfiles(req.preloaded, req.catalogs)), panel: r.panel, globals: r.globals } : r;
  }
  try {
    const r = await callWorker<StepsReply>(workerPath, { kind: 'steps', ...req }, (m) => new Error(m));
    return r.ok ? { ok: true, table: new DataTable(r.nrows, r.columns), catalog: r.catalog, panel: r.panel, globals: r.globals } : r;
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

/**
 * A DatasetCache loader that reads in a worker thread when the bundle is there, else in-process
 * (test bundles outside dist/, or a broken install: slower for the server, but it still works).
 */
export function workerLoader(workerPath = findLoadWorker()): (path: string, opts?: LoadOptions) => Promise<LoadedWithCatalog> {
  if (!workerPath) return loadDataset;
  return (path, opts) => loadInWorker(workerPath, path, opts ?? {});
}
