// One thread's share of a streamed CSV parse (csvStream.ts): reads a byte range of the file in
// chunks that end at a line end and parses each chunk's rows straight into the column arrays, so the
// file's bytes are never all in memory at once. It only takes what the whole-file parse would read
// the same way: unquoted, every column numeric, no error. Anything else gives null, and the caller
// parses the whole file instead (which also reports errors with their line numbers).
import { closeSync, openSync, readSync } from 'node:fs';
import { parseBody, type CsvBody, type Separator } from './csv';
import { emptyFirst, firstPass, type FirstPass } from './moments';

/** Bytes read per chunk: large enough that per-chunk costs vanish, small next to the columns. */
export const CHUNK_BYTES = 4 << 20;

const LF = 10, CR = 13, QUOTE = 34;

export interface RangeParse {
  nrows: number;
  /** The columns: the arrays passed in, or larger copies when the rows outgrew them. */
  nums: Float64Array[];
  /** Cells beyond the range of a double, read as missing (numparse.ts). */
  overflow: number;
  /** Per column, the profile's first pass over the rows (made chunk by chunk while they are in cache). */
  first: FirstPass[];
}

/**
 * Parses the rows in bytes [start, end) of the open file `fd` (start at a row start, end at a row
 * start or the end of the file) into `cols` (equal lengths, rows from 0). Null when the range holds a
 * quote, a text field, an error, or a line longer than a chunk, or when the file got shorter.
 */
export function parseFileRange(fd: number, start: number, end: number, ncol: number, separator: Separator, file: string, cols: Float64Array[], chunkBytes = CHUNK_BYTES): RangeParse | null {
  // one spare byte: a last line without its line end gets one (parseBody's fast path relies on a
  // line end closing the buffer; the rows read are the same)
  const buf = Buffer.allocUnsafe(Math.max(1, Math.min(chunkBytes, end - start)) + 1);
  let have = 0, pos = start, row = 0, overflow = 0;
  const first = cols.map(emptyFirst);
  for (;;) {
    while (have < buf.length - 1 && pos < end) {
      const k = readSync(fd, buf, have, Math.min(buf.length - 1 - have, end - pos), pos);
      if (k === 0) return null;
      have += k;
      pos += k;
    }
    const last = pos >= end;
    if (have === 0) break;
    let lim: number;
    if (last) {
      if (buf[have - 1] !== LF && buf[have - 1] !== CR) buf[have++] = LF;
      lim = have;
    } else {
      const nl = buf.lastIndexOf(LF, have - 1);
      if (nl < 0) return null;
      lim = nl + 1;
    }
    const chunk = buf.subarray(0, lim);
    if (chunk.indexOf(QUOTE) >= 0) return null;
    let body: CsvBody;
    try {
      body = parseBody(chunk, 0, lim, ncol, separator, file, cols[0].length - row, (c) => cols[c].subarray(row));
    } catch {
      return null;
    }
    for (let c = 0; c < ncol; c++) if (!body.numeric[c]) return null;
    if (body.nums[0] !== null && body.nums[0].buffer !== cols[0].buffer) cols = outgrow(cols, row, body);
    for (let c = 0; c < ncol; c++) firstPass(cols[c], row, row + body.nrows, first[c]);
    row += body.nrows;
    overflow += body.overflow;
    buf.copyWithin(0, lim, have);
    have -= lim;
    if (last) break;
  }
  return { nrows: row, nums: cols, overflow, first };
}

/** Larger columns holding the rows so far and a chunk's rows that parseBody put in arrays of its own. */
function outgrow(cols: Float64Array[], row: number, body: CsvBody): Float64Array[] {
  const size = Math.ceil((row + body.nrows) * 1.5) + 1024;
  return cols.map((a, c) => {
    const x = new Float64Array(size);
    x.set(a.subarray(0, row));
    x.set(body.nums[c]!.subarray(0, body.nrows), row);
    return x;
  });
}

/** A range's rows as the CsvBody of an all-numeric parse (for join2 and assemble). */
export function numericBody(r: RangeParse, ncol: number): CsvBody {
  const none = () => new Array<null>(ncol).fill(null);
  return { nrows: r.nrows, numeric: new Array<boolean>(ncol).fill(true), nums: r.nums, codes: none(), levels: none(), switchRow: new Int32Array(ncol).fill(-1), overflow: r.overflow };
}

/** parseFileRange on a path (the worker side opens the file itself). */
export function parsePathRange(path: string, start: number, end: number, ncol: number, separator: Separator, file: string, cols: Float64Array[]): RangeParse | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    return parseFileRange(fd, start, end, ncol, separator, file, cols);
  } finally {
    closeSync(fd);
  }
}
