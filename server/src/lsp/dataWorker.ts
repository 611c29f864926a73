// The data worker thread (bundled to dist/loadWorker.js): loads a dataset (data/loadWorker.ts) or runs
// a spec's data steps (dataSteps.ts) off the language server's thread, and the host side of the steps.
// It lives here, above both, so that the data layer does not reach up into the language server.
import { parentPort, workerData } from 'node:worker_threads';
import type { Catalog } from '../data/catalog';
import { buildCatalog } from '../data/catalog';
import { buffersOf, callWorker, findLoadWorker, knownProfiles, LOAD_WORKER_MARKER, serveLoad, type LoadRequest } from '../data/loadWorker';
import { DataTable, type Column } from '../data/table';
import type { GlobalMacro, PanelSetting } from '../runtime/session';
import { runDataSteps, type StepsRequest } from './dataSteps';

export type WorkerRequest = LoadRequest | ({ kind: 'steps' } & StepsRequest);

type StepsReply = { ok: true; nrows: number; columns: Column[]; catalog: Catalog; panel: PanelSetting | null; globals: [string, GlobalMacro][] } | { ok: false; message: string; line?: number; character?: number };

export type StepsResult = { ok: true; table: DataTable; catalog: Catalog; panel: PanelSetting | null; globals: [string, GlobalMacro][] } | { ok: false; message: string; line?: number; character?: number };

/** Runs the data steps for the host: the reply and the buffers to transfer with it. */
async function serveSteps(req: StepsRequest): Promise<{ reply: StepsReply; transfer: ArrayBuffer[] }> {
  try {
    // tables arrive as plain objects (structured clone drops classes): make them DataTables again
    const preloaded = req.preloaded && new Map([...req.preloaded].map(([p, d]) => [p, { ...d, table: new DataTable(d.table.nrows, d.table.columns) }]));
    const r = await runDataSteps({ ...req, preloaded });
    if (!r.ok) return { reply: r, transfer: [] };
    const known = knownProfiles(preloaded, req.catalogs);
    return { reply: { ok: true, nrows: r.table.nrows, columns: r.table.columns, catalog: buildCatalog(r.table, known), panel: r.panel, globals: r.globals }, transfer: buffersOf(r.table) };
  } catch (e) {
    return { reply: { ok: false, message: `internal error: ${(e as Error)?.message ?? String(e)}` }, transfer: [] };
  }
}

// ---- worker side ----
if (parentPort && workerData === LOAD_WORKER_MARKER) {
  const port = parentPort;
  port.once('message', async (req: WorkerRequest) => {
    const { reply, transfer } = req.kind === 'steps' ? await serveSteps(req) : await serveLoad(req);
    port.postMessage(reply, transfer);
  });
}

// ---- host side ----

/** Runs a spec's data steps (dataSteps.ts) in a worker thread, or in-process without the bundle. */
export async function runStepsInWorker(req: StepsRequest, workerPath = findLoadWorker()): Promise<StepsResult> {
  if (!workerPath) {
    const r = await runDataSteps(req);
    return r.ok ? { ok: true, table: r.table, catalog: buildCatalog(r.table, knownProfiles(req.preloaded, req.catalogs)), panel: r.panel, globals: r.globals } : r;
  }
  try {
    const r = await callWorker<StepsReply, WorkerRequest>(workerPath, { kind: 'steps', ...req }, (m) => new Error(m));
    return r.ok ? { ok: true, table: new DataTable(r.nrows, r.columns), catalog: r.catalog, panel: r.panel, globals: r.globals } : r;
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}
