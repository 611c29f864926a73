// Large all-numeric CSV files without reading the whole file into memory: the header and the first
// rows are read from the first block, then this thread and a worker (dist/csvWorker.js) parse the
// file's chunks, claimed from the two ends (csvRange.ts), into one shared array per column; then the
// columns are profiled (the catalog the checker and the language server need), again split between
// the two threads. Peak memory is the columns plus a chunk per thread, not the columns plus the file;
// a worker that starts late, or never, only takes less of the work.
// Taken only where the result equals the whole-file parse: no explicit encoding, a UTF-8 header, no
// quote character in the rows, every column numeric, no error. Otherwise (or if anything fails) the
// answer is null and the caller reads the whole file (csvParallel.ts), which also reports errors
// with their line numbers.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { assemble, parseBody, parseHeader, type CsvBody, type CsvOptions, type CsvResult } from './csv';
import { askWorker } from './csvParallel';
import { CHUNK_BYTES, FREE, HOST, WORKER, failed, joinedColumns, newPlan, parseShare, workerClaimed, type ShareResult } from './csvRange';
import { catalogOf, numericProfile, type Catalog } from './catalog';
import { emptySecond, mergeFirst, secondPass, type FirstPass, type SecondPass } from './moments';
import { checkStats } from './readFile';
import type { DataTable, NumericColumn } from './table';

/** Bytes read for the header and the first rows (their types, and their length sizes the columns). */
const HEAD_BYTES = 1 << 16;
const LF = 10, QUOTE = 34;

function readAt(fd: number, size: number, at: number, bytes: number): Buffer {
  const b = Buffer.allocUnsafe(Math.max(0, Math.min(bytes, size - at)));
  let got = 0;
  while (got < b.length) {
    const k = readSync(fd, b, got, b.length - got, at + got);
    if (k === 0) break;
    got += k;
  }
  return b.subarray(0, got);
}

/** The parsed columns of a file as the whole-file parse gives them, with their catalog, or null (see above). `worker` is left running. */
export async function parseCsvStreamed(path: string, opts: CsvOptions, worker: Worker | null, minBytes: number, chunkBytes = CHUNK_BYTES): Promise<CsvResult | null> {
  if (opts.encoding !== undefined) return null;
  let fd: number;
  try {
    checkStats(statSync(path), path); // before opening: opening a FIFO blocks
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    return await streamed(fd, path, opts, worker, minBytes, chunkBytes);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

async function streamed(fd: number, path: string, opts: CsvOptions, worker: Worker | null, minBytes: number, chunkBytes: number): Promise<CsvResult | null> {
  const st = fstatSync(fd);
  checkStats(st, path);
  const size = st.size;
  if (size < minBytes) return null;
  const head0 = readAt(fd, size, 0, HEAD_BYTES);
  const headEnd = head0.lastIndexOf(LF) + 1;
  if (headEnd === 0) return null;
  const head = head0.subarray(0, headEnd);
  const h = parseHeader(head, path, opts);
  // the header's bytes must be the file's own (no transcoding), the BOM at most skipped
  if (h.encoding !== 'utf-8' || h.bytes.buffer !== head.buffer) return null;
  const bodyStart = h.bytes.byteOffset - head.byteOffset + h.bodyStart;
  const probe = parseBody(head, bodyStart, headEnd, h.ncol, h.separator, path);
  if (probe.nrows === 0 || probe.numeric.some((k) => !k) || head.indexOf(QUOTE, bodyStart) >= 0) return null;
  const perRow = (headEnd - bodyStart) / probe.nrows;
  // Untouched room costs address space, not memory: be generous, since running out means reading
  // the whole file again.
  const capacity = Math.ceil(((size - bodyStart) / perRow) * 1.3) + 4096;
  const plan = newPlan({ path, bodyStart, size, chunkBytes, chunkRows: Math.ceil((chunkBytes / perRow) * 1.3) + 1024, ncol: h.ncol, separator: h.separator, capacity });
  const pending = worker ? askWorker(worker, { kind: 'share', plan, file: path }) : null;
  const mine = parseShare(plan, HOST, path);
  // the worker holds chunks only if it claimed one before this thread ran out: then wait for them
  const theirs = pending && workerClaimed(plan) ? await pending : null;
  if (!mine || failed(plan) || (theirs && !theirs.ok)) return null;
  const other: ShareResult | null = theirs && theirs.ok ? theirs.share : null;

  const values = joinedColumns(plan);
  const total = values[0].length;
  const stats = other ? mine.first.map((f, c) => mergeFirst(f, other.first[c])) : mine.first;
  const body: CsvBody = {
    nrows: total, numeric: values.map(() => true), nums: values, codes: values.map(() => null), levels: values.map(() => null),
    switchRow: new Int32Array(h.ncol).fill(-1), overflow: mine.overflow + (other?.overflow ?? 0),
  };
  const r = assemble(h, body, stats.map((f) => f.integer));
  const catalog = await profiled(r.table, values, stats, worker ? { worker, columns: plan.columns } : null);
  return { ...r, threads: other && other.rows > 0 ? 2 : 1, catalog };
}

/** The catalog from the first pass made while parsing; the second pass's columns split with the worker, claimed from both ends. */
async function profiled(table: DataTable, values: Float64Array[], first: FirstPass[], share: { worker: Worker; columns: SharedArrayBuffer[] } | null): Promise<Catalog> {
  const rows = table.nrows;
  const mean = first.map((f) => (f.n ? f.sum / f.n : NaN));
  const min = first.map((f) => f.min);
  const max = first.map((f) => f.max);
  const claimsBuf = new SharedArrayBuffer(values.length * 4);
  const claims = new Int32Array(claimsBuf);
  const pending = share ? askWorker(share.worker, { kind: 'second', columns: share.columns, claims: claimsBuf, rows, mean, min, max }) : null;
  const second: (SecondPass | null)[] = values.map(() => null);
  for (let c = 0; c < values.length; c++) {
    if (Atomics.compareExchange(claims, c, FREE, HOST) !== FREE) break;
    second[c] = secondPass(values[c], 0, rows, mean[c], min[c], max[c], emptySecond());
  }
  if (pending && claims.includes(WORKER)) {
    const r = await pending;
    for (let c = 0; c < values.length; c++) {
      if (second[c]) continue;
      // the worker's pass, or (should it have failed) this thread's
      second[c] = (r.ok ? r.second[c] : null) ?? secondPass(values[c], 0, rows, mean[c], min[c], max[c], emptySecond());
    }
  }
  return catalogOf(rows, table.columns.map((col, c) => numericProfile(col as NumericColumn, first[c], first[c].n ? second[c] : null)));
}
