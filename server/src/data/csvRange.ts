// The shared work of a streamed CSV parse (csvStream.ts). The rows' bytes are cut into chunks of
// CHUNK_BYTES at line ends; the host thread takes chunks from the front and the worker from the
// back, each claiming a chunk with an atomic compare-and-swap, until they meet. So neither waits for
// the other: a worker that starts late (a busy machine) just takes fewer chunks, or none. A chunk is
// read from the file, parsed (parseBody, into arrays reused from chunk to chunk), and its rows are
// copied into the shared columns: the front's rows from row 0 up, the back's from the end down; the
// host closes the gap at the end. The file's bytes are never all in memory at once.
// Only what the whole-file parse reads the same way is taken: unquoted, every column numeric, no
// error, lines shorter than LINE_MAX. Anything else sets the shared `failed` flag, both threads
// stop, and the host parses the whole file instead (which reports errors with their line numbers).
import { closeSync, openSync, readSync } from 'node:fs';
import { parseBody, type Separator } from './csv';
import { emptyFirst, firstPass, type FirstPass } from './moments';
import { numericRows, rowsState } from './fastRows';

/** Bytes per chunk: large enough that per-chunk costs vanish, small enough to balance two threads. */
export const CHUNK_BYTES = 2 << 20;
/** A chunk's end is the first line end at or after its nominal end, looked for this far. */
const LINE_MAX = 1 << 16;

const LF = 10, CR = 13, QUOTE = 34;

/** Int32 slots of the control block (`ctl`). */
const LOCK = 0, FRONT = 1, BACK = 2, FAILED = 3;
export const CTL_SLOTS = 4;
/** Who claimed a chunk (`claims`). */
export const FREE = 0, HOST = 1, WORKER = 2;

/** What both threads share: the file's rows, the columns, and the claims. */
export interface ChunkPlan {
  path: string;
  bodyStart: number;
  size: number;
  chunkBytes: number;
  /** Rows a chunk is expected to hold (sizes the per-chunk arrays, which grow if needed). */
  chunkRows: number;
  ncol: number;
  separator: Separator;
  /** One per column, `capacity` doubles. */
  columns: SharedArrayBuffer[];
  capacity: number;
  /** Int32 x chunks: FREE, HOST or WORKER. */
  claims: SharedArrayBuffer;
  /** Int32 x CTL_SLOTS: a lock, the next free row from the front and from the back (exclusive), failed. */
  ctl: SharedArrayBuffer;
}

function chunkCount(bodyStart: number, size: number, chunkBytes: number): number {
  return Math.max(1, Math.ceil((size - bodyStart) / chunkBytes));
}

/** A plan's shared memory, set up by the host. */
export function newPlan(p: Omit<ChunkPlan, 'columns' | 'claims' | 'ctl'>): ChunkPlan {
  const ctl = new SharedArrayBuffer(CTL_SLOTS * 4);
  const c = new Int32Array(ctl);
  c[FRONT] = 0;
  c[BACK] = p.capacity;
  return {
    ...p,
    columns: Array.from({ length: p.ncol }, () => new SharedArrayBuffer(p.capacity * 8)),
    claims: new SharedArrayBuffer(chunkCount(p.bodyStart, p.size, p.chunkBytes) * 4),
    ctl,
  };
}

/** One thread's share: rows taken, cells that overflowed a double, and the first profile pass over them. */
export interface ShareResult {
  rows: number;
  overflow: number;
  first: FirstPass[];
}

export function failed(plan: ChunkPlan): boolean {
  return Atomics.load(new Int32Array(plan.ctl), FAILED) !== 0;
}

/**
 * Claims and parses chunks as `who` (the host from the front, the worker from the back) until the
 * two meet or the plan fails. Returns null when this thread made the plan fail.
 */
export function parseShare(plan: ChunkPlan, who: typeof HOST | typeof WORKER, file: string): ShareResult | null {
  let fd: number;
  try {
    fd = openSync(plan.path, 'r');
  } catch {
    Atomics.store(new Int32Array(plan.ctl), FAILED, 1);
    return null;
  }
  try {
    const r = share(fd, plan, who, file);
    if (!r) Atomics.store(new Int32Array(plan.ctl), FAILED, 1);
    return r;
  } catch {
    Atomics.store(new Int32Array(plan.ctl), FAILED, 1);
    return null;
  } finally {
    closeSync(fd);
  }
}

function share(fd: number, plan: ChunkPlan, who: typeof HOST | typeof WORKER, file: string): ShareResult | null {
  const { bodyStart, size, chunkBytes, ncol, separator } = plan;
  const claims = new Int32Array(plan.claims);
  const ctl = new Int32Array(plan.ctl);
  const cols = plan.columns.map((s) => new Float64Array(s));
  const first = cols.map(emptyFirst);
  const k = claims.length;
  // a chunk's bytes from its row-aligned start to LINE_MAX past its nominal end, and one spare byte
  const buf = Buffer.allocUnsafe(chunkBytes + 2 * LINE_MAX + 1);
  let scratch: Float64Array[] = [];
  let rowStarts = new Float64Array(0);
  const sep = separator.charCodeAt(0);
  let rows = 0, overflow = 0;
  for (let i = 0; i < k; i++) {
    const chunk = who === HOST ? i : k - 1 - i;
    if (Atomics.compareExchange(claims, chunk, FREE, who) !== FREE || Atomics.load(ctl, FAILED)) break;
    // nominal [a, b); rows start after the first line end at or after a - 1 (a row start itself)
    const a = bodyStart + chunk * chunkBytes;
    const b = Math.min(size, a + chunkBytes);
    const from = chunk === 0 ? bodyStart : a - 1;
    const to = Math.min(size, b + LINE_MAX);
    let got = 0;
    while (got < to - from) {
      const n = readSync(fd, buf, got, to - from - got, from + got);
      if (n === 0) return null; // the file got shorter
      got += n;
    }
    const eof = from + got >= size;
    const start = chunk === 0 ? 0 : lineAfter(buf, 0, got, eof);
    const end = b >= size ? got : lineAfter(buf, b - 1 - from, got, eof);
    if (start < 0 || end < 0) return null;
    if (start >= end) continue;
    let lim = end;
    if (buf[lim - 1] !== LF && buf[lim - 1] !== CR) buf[lim++] = LF; // the file's last line without its line end
    const bytes = buf.subarray(0, lim);
    if (bytes.indexOf(QUOTE, start) >= 0) return null;
    if (scratch.length === 0) {
      scratch = cols.map(() => new Float64Array(plan.chunkRows));
      rowStarts = new Float64Array(plan.chunkRows);
    }
    // A chunk of plain numbers takes the fast loop alone; any other line, and the whole chunk goes
    // through the general parser (which also finds what this parse does not take).
    let n = numericRows(bytes, start, lim, sep, scratch, rowStarts, 0, Math.min(scratch[0].length, rowStarts.length));
    if (rowsState.end < lim) {
      const body = parseBody(bytes, start, lim, ncol, separator, file, scratch[0].length, (c) => scratch[c]);
      for (let c = 0; c < ncol; c++) if (!body.numeric[c]) return null;
      scratch = body.nums as Float64Array[]; // grown by parseBody when the chunk held more rows
      n = body.nrows;
      overflow += body.overflow;
    }
    const at = reserve(ctl, who, n);
    if (at < 0) return null;
    for (let c = 0; c < ncol; c++) {
      cols[c].set(scratch[c].subarray(0, n), at);
      firstPass(scratch[c], 0, n, first[c]);
    }
    rows += n;
  }
  return { rows, overflow, first };
}

/** Offset just past the first LF in buf[p, n); n when there is none and buf ends the file; else -1 (a line too long). */
function lineAfter(buf: Buffer, p: number, n: number, eof: boolean): number {
  const q = buf.subarray(0, n).indexOf(LF, p);
  return q >= 0 ? q + 1 : eof ? n : -1;
}

/** Where `n` rows go (front: up from FRONT; back: down from BACK), or -1 when the columns are full. */
function reserve(ctl: Int32Array, who: typeof HOST | typeof WORKER, n: number): number {
  while (Atomics.compareExchange(ctl, LOCK, 0, 1) !== 0); // held for a few instructions
  try {
    const front = ctl[FRONT], back = ctl[BACK];
    if (back - front < n) return -1;
    if (who === HOST) {
      ctl[FRONT] = front + n;
      return front;
    }
    ctl[BACK] = back - n;
    return back - n;
  } finally {
    Atomics.store(ctl, LOCK, 0);
  }
}

/** The columns in row order once both threads are done: the back's rows moved down to follow the front's. */
export function joinedColumns(plan: ChunkPlan): Float64Array[] {
  const ctl = new Int32Array(plan.ctl);
  const front = Atomics.load(ctl, FRONT), back = Atomics.load(ctl, BACK);
  const total = front + (plan.capacity - back);
  return plan.columns.map((s) => {
    const all = new Float64Array(s);
    if (back < plan.capacity) all.copyWithin(front, back, plan.capacity);
    return all.subarray(0, total);
  });
}

/** Whether the worker claimed any chunk (the host then waits for its answer). */
export function workerClaimed(plan: ChunkPlan): boolean {
  return new Int32Array(plan.claims).includes(WORKER);
}
