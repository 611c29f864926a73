// Delimited text -> DataTable. Scans the UTF-8 bytes directly (no per-line or per-field JS
// strings for numeric columns) so that a 150 MB file loads in well under the time budget.
// A column is numeric while every non-missing field parses as a number; the first field that
// does not turns it into a string column, and the rows before it are re-read as text.
import { DataError } from './errors';
import { decodeText } from './encoding';
import { fixNames, type Renamed } from './names';
import { NOT_NUMBER, fastNumber, fastNumberTerminated, fastState, overflowNote, overflowed, parseNumber } from './numparse';
import { allIntegers } from './columns';
import { numericRows, rowsState } from './fastRows';
import { DataTable, type Column } from './table';
import type { Catalog } from './catalog';

export type Separator = ',' | '\t' | ';' | '|';

export interface CsvOptions {
  /** Field separator; detected from the header line when absent. */
  separator?: Separator;
  /** Text encoding (any iconv-lite name); detected (UTF-8, else GB18030) when absent. */
  encoding?: string;
}

export interface CsvResult {
  table: DataTable;
  renamed: Renamed[];
  warnings: string[];
  encoding: string;
  separator: Separator;
  /** Threads that parsed the rows (csvParallel.ts: 2 when the file was split). */
  threads?: number;
  /** The columns' profiles, when the parse made them as it went (csvStream.ts). */
  catalog?: Catalog;
}

const QUOTE = 34, LF = 10, CR = 13, SPACE = 32;
const SEP = 0, EOL = 1, EOF = 2;

/** Tokenizer over one buffer; `next()` reads one field and leaves its range in fs/fe. */
class FieldScanner {
  pos = 0;
  fs = 0;
  fe = 0;
  escaped = false; // field holds doubled quotes ("") to unescape
  term = EOF;

  constructor(
    readonly b: Buffer,
    readonly n: number,
    readonly sep: number,
    readonly file: string,
  ) {}

  next(): void {
    const b = this.b, n = this.n, sep = this.sep;
    let p = this.pos;
    while (p < n && b[p] === SPACE) p++;
    if (p < n && b[p] === QUOTE) {
      const open = p;
      p++;
      const s = p;
      let esc = false;
      for (;;) {
        if (p >= n) {
          const { line, column } = lineCol(b, open);
          throw new DataError(`unterminated quote: the quoted field opened on line ${line} (column ${column}) never closes`, {
            code: 'unterminated-quote', file: this.file, line, column,
          });
        }
        if (b[p] === QUOTE) {
          if (p + 1 < n && b[p + 1] === QUOTE) { esc = true; p += 2; continue; }
          break;
        }
        p++;
      }
      this.fs = s;
      this.fe = p;
      this.escaped = esc;
      p++;
      while (p < n && b[p] === SPACE) p++;
      if (p < n && b[p] !== sep && b[p] !== LF && b[p] !== CR) {
        const { line, column } = lineCol(b, p);
        throw new DataError(`unexpected character after a closing quote on line ${line}, column ${column} (a quote inside a quoted field must be doubled: "")`, {
          code: 'bad-quote', file: this.file, line, column,
        });
      }
    } else {
      const s = p;
      while (p < n) {
        const c = b[p];
        if (c === sep || c === LF || c === CR) break;
        p++;
      }
      let e = p;
      while (e > s && b[e - 1] === SPACE) e--;
      this.fs = s;
      this.fe = e;
      this.escaped = false;
    }
    if (p >= n) this.term = EOF;
    else if (b[p] === sep) { this.term = SEP; p++; }
    else {
      this.term = EOL;
      if (b[p] === CR) { p++; if (p < n && b[p] === LF) p++; } else p++;
    }
    this.pos = p;
  }

  text(): string {
    const s = this.b.toString('utf8', this.fs, this.fe);
    return this.escaped ? s.replace(/""/g, '"') : s;
  }
}

/** 1-based line and column (in bytes) of a byte offset. */
export function lineCol(b: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1, start = 0;
  for (let i = 0; i < offset && i < b.length; i++) {
    const c = b[i];
    if (c === LF) { line++; start = i + 1; }
    else if (c === CR && b[i + 1] !== LF) { line++; start = i + 1; }
  }
  return { line, column: offset - start + 1 };
}

/** Picks the separator that occurs most often in the header line (outside quotes). */
export function detectSeparator(b: Uint8Array, n: number): Separator {
  const counts = { ',': 0, '\t': 0, ';': 0, '|': 0 };
  let inQ = false;
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === QUOTE) inQ = !inQ;
    else if (!inQ) {
      if (c === LF || c === CR) break;
      if (c === 44) counts[',']++;
      else if (c === 9) counts['\t']++;
      else if (c === 59) counts[';']++;
      else if (c === 124) counts['|']++;
    }
  }
  let best: Separator = ',';
  for (const k of ['\t', ';', '|'] as Separator[]) if (counts[k] > counts[best]) best = k;
  return best;
}

/** Offset of the end of a line holding only blanks that starts at p, or -1. */
function blankLineEnd(b: Uint8Array, n: number, p: number, sep: number): number {
  let q = p;
  while (q < n && (b[q] === SPACE || (b[q] === 9 && sep !== 9))) q++;
  if (q >= n) return n;
  return b[q] === LF || b[q] === CR ? q : -1;
}

function skipEol(b: Uint8Array, n: number, p: number): number {
  if (b[p] === CR) return p + 1 < n && b[p + 1] === LF ? p + 2 : p + 1;
  return p + 1;
}

/** Rough row count from the average length of the first lines (sizes the column arrays). */
export function estimateRows(b: Uint8Array, n: number, start: number): number {
  let lines = 0, p = start;
  while (p < n && lines < 200) {
    const q = b.indexOf(LF, p);
    if (q < 0) { lines++; p = n; break; }
    lines++;
    p = q + 1;
  }
  if (lines === 0) return 16;
  const avg = Math.max(1, (p - start) / lines);
  return Math.ceil(((n - start) / avg) * 1.02) + 16;
}

function ragged(b: Uint8Array, rowStart: number, fields: number, ncol: number, file: string): DataError {
  const { line } = lineCol(b, rowStart);
  return new DataError(`ragged row: line ${line} has ${fields} field${fields === 1 ? '' : 's'}, header has ${ncol}`, { code: 'ragged-row', file, line });
}

const enum Kind { Num, Str }

function isMissingStr(s: string): boolean {
  return s === '' || s === '.' || s === 'NA';
}

/** What the header line gives: the names and where the data rows start. */
export interface CsvHeader {
  bytes: Buffer;
  encoding: string;
  warnings: string[];
  separator: Separator;
  ncol: number;
  names: string[];
  renamedFrom: (string | undefined)[];
  renamed: Renamed[];
  bodyStart: number;
}

export function parseHeader(raw: Buffer, file: string, opts: CsvOptions): CsvHeader {
  if (raw.length === 0) throw new DataError('the file is empty', { code: 'empty', file });
  const dec = decodeText(raw, file, opts.encoding);
  const b = dec.bytes;
  const n = b.length;
  const warnings = [...dec.warnings];
  overflowed.cells = 0;

  // Skip blank lines before the header.
  let p0 = 0;
  while (p0 < n && (b[p0] === LF || b[p0] === CR || b[p0] === SPACE || b[p0] === 9)) p0++;
  if (p0 >= n) throw new DataError('the file is empty (no header row)', { code: 'empty', file });

  const separator = opts.separator ?? detectSeparator(b.subarray(p0), n - p0);
  const sc = new FieldScanner(b, n, separator.charCodeAt(0), file);
  sc.pos = p0;
  const headers: string[] = [];
  do {
    sc.next();
    headers.push(sc.text());
  } while (sc.term === SEP);
  const fixed = fixNames(headers);
  warnings.push(...fixed.warnings);
  return {
    bytes: b, encoding: dec.encoding, warnings, separator, ncol: headers.length,
    names: fixed.names, renamedFrom: fixed.renamedFrom, renamed: fixed.renamed, bodyStart: sc.pos,
  };
}

/** The parsed rows of b[start, end): per column numbers, or string codes into levels. */
export interface CsvBody {
  nrows: number;
  numeric: boolean[];
  nums: (Float64Array | null)[];
  codes: (Int32Array | null)[];
  levels: (string[] | null)[];
  /** Per string column: the row where it turned to text (its earlier rows were coded last, after the others). */
  switchRow: Int32Array;
  /** Cells holding a number beyond the range of a double (read as missing). */
  overflow: number;
}

/**
 * Parses the data rows in b[start, end) (end at a line start or the end of the text) into ncol
 * columns. `capacity` sizes the column arrays (estimated from the first lines when absent); `numbers`
 * hands the first array of each column instead (all of length `capacity`: views into shared memory for
 * the two-thread parse), which the parse replaces only if it needs more room or the column is text.
 */
export function parseBody(b: Buffer, start: number, end: number, ncol: number, separator: Separator, file: string, capacity?: number, numbers?: (c: number) => Float64Array): CsvBody {
  const n = end;
  const overflowBefore = overflowed.cells; // numparse counts overflowing cells as it goes
  const sc = new FieldScanner(b, n, separator.charCodeAt(0), file);
  sc.pos = start;
  let cap = capacity ?? estimateRows(b, n, start);
  const kind = new Uint8Array(ncol); // Kind.Num
  const switchRow = new Int32Array(ncol).fill(-1);
  const nums: (Float64Array | null)[] = new Array(ncol);
  const codes: (Int32Array | null)[] = new Array(ncol).fill(null);
  const dicts: (Map<string, number> | null)[] = new Array(ncol).fill(null);
  const levels: (string[] | null)[] = new Array(ncol).fill(null);
  for (let c = 0; c < ncol; c++) nums[c] = numbers ? numbers(c) : new Float64Array(cap);
  // Row offsets (for re-reading rows as text) grow on their own: a chunk of a streamed parse
  // (csvStream.ts) hands the column arrays' whole remaining room as `capacity`.
  let rowStart = new Float64Array(Math.min(cap, 4096));
  const grow = () => {
    const ncap = Math.ceil(cap * 1.5) + 16;
    for (let c = 0; c < ncol; c++) {
      const a = nums[c];
      if (a) { const x = new Float64Array(ncap); x.set(a); nums[c] = x; }
      const k = codes[c];
      if (k) { const x = new Int32Array(ncap); x.set(k); codes[c] = x; }
    }
    cap = ncap;
  };
  const growRowStart = () => {
    const r = new Float64Array(Math.min(cap, rowStart.length * 2 + 16));
    r.set(rowStart);
    rowStart = r;
  };

  // Dictionary per string column. Unescaped fields are looked up by a hash of their bytes
  // (checked against the bytes of the level's first occurrence) so that repeated values, the
  // common case (city names), cost no string allocation.
  const hashes: (Map<number, number> | null)[] = new Array(ncol).fill(null);
  const rawStart: (number[] | null)[] = new Array(ncol).fill(null);
  const rawEnd: (number[] | null)[] = new Array(ncol).fill(null);
  const startStrings = (c: number) => {
    dicts[c] = new Map();
    levels[c] = [];
    hashes[c] = new Map();
    rawStart[c] = [];
    rawEnd[c] = [];
  };
  const codeOf = (c: number, s: string, fs: number, fe: number): number => {
    if (isMissingStr(s)) return -1;
    const d = dicts[c]!;
    let k = d.get(s);
    if (k === undefined) {
      k = levels[c]!.length;
      levels[c]!.push(s);
      d.set(s, k);
      rawStart[c]!.push(fs);
      rawEnd[c]!.push(fe);
    }
    return k;
  };
  /** Code of the field the scanner just read. */
  const codeOfField = (c: number): number => {
    const fs = sc.fs, fe = sc.fe;
    if (fs === fe) return -1;
    if (sc.escaped) return codeOf(c, sc.text(), -1, -1);
    let h = 0x811c9dc5 ^ (fe - fs);
    for (let i = fs; i < fe; i++) h = Math.imul(h ^ b[i], 16777619);
    const hm = hashes[c]!;
    const k = hm.get(h);
    if (k !== undefined) {
      const s0 = rawStart[c]![k], e0 = rawEnd[c]![k];
      if (e0 - s0 === fe - fs) {
        let same = true;
        for (let i = 0; i < fe - fs; i++) if (b[s0 + i] !== b[fs + i]) { same = false; break; }
        if (same) return k;
      }
      return codeOf(c, sc.text(), -1, -1); // hash collision: the string map decides
    }
    const code = codeOf(c, sc.text(), fs, fe);
    if (code >= 0 && rawStart[c]![code] === fs) hm.set(h, code);
    return code;
  };

  let row = 0;
  const sepCode = separator.charCodeAt(0);
  const terminated = b[n - 1] === LF || b[n - 1] === CR;
  let numericCols = ncol; // columns still numeric: while all are, whole rows take the fast loop
  while (sc.pos < n) {
    if (numericCols === ncol && terminated) {
      row = numericRows(b, sc.pos, n, sepCode, nums as Float64Array[], rowStart, row, Math.min(cap, rowStart.length));
      sc.pos = rowsState.end;
      if (sc.pos >= n) break;
      if (row >= rowStart.length && row < cap) { growRowStart(); continue; }
    }
    const p = sc.pos;
    const c0 = b[p];
    if (c0 === LF || c0 === CR || c0 === SPACE || c0 === 9) {
      const q = blankLineEnd(b, n, p, sepCode);
      if (q >= 0) { sc.pos = q >= n ? n : skipEol(b, n, q); continue; }
    }
    if (row >= cap) grow();
    if (row >= rowStart.length) growRowStart();
    rowStart[row] = p;
    for (let c = 0; c < ncol; c++) {
      if (kind[c] === Kind.Num) {
        // Fast path: a plain number parsed while scanning, no second pass over its bytes.
        const v = terminated ? fastNumberTerminated(b, sc.pos, sepCode) : fastNumber(b, sc.pos, n, sepCode);
        if (v !== NOT_NUMBER) {
          let q = fastState.end;
          let term: number;
          if (q >= n) term = EOF;
          else if (b[q] === sepCode) { term = SEP; q++; }
          else { term = EOL; if (b[q] === CR && q + 1 < n && b[q + 1] === LF) q += 2; else q++; }
          sc.pos = q;
          sc.term = term;
          if (term !== SEP && c < ncol - 1) throw ragged(b, p, c + 1, ncol, file);
          nums[c]![row] = v;
          continue;
        }
      }
      sc.next();
      if (sc.term !== SEP && c < ncol - 1) throw ragged(b, p, c + 1, ncol, file);
      if (kind[c] === Kind.Num) {
        const v = sc.escaped ? NOT_NUMBER : parseNumber(b, sc.fs, sc.fe);
        if (v !== NOT_NUMBER) { nums[c]![row] = v; continue; }
        kind[c] = Kind.Str;
        numericCols--;
        switchRow[c] = row;
        nums[c] = null;
        codes[c] = new Int32Array(cap);
        startStrings(c);
      }
      codes[c]![row] = codeOfField(c);
    }
    if (sc.term === SEP) {
      let count = ncol;
      while (sc.term === SEP) { sc.next(); count++; }
      throw ragged(b, p, count, ncol, file);
    }
    row++;
  }
  const nrows = row;

  // Columns that turned into strings part-way: read their earlier rows again as text.
  for (let c = 0; c < ncol; c++) {
    const r0 = switchRow[c];
    if (r0 <= 0) continue;
    const k = codes[c]!;
    for (let r = 0; r < r0; r++) {
      sc.pos = rowStart[r];
      for (let j = 0; j <= c; j++) sc.next();
      k[r] = codeOfField(c);
    }
  }

  return { nrows, numeric: Array.from(kind, (k) => k === Kind.Num), nums, codes, levels, switchRow, overflow: overflowed.cells - overflowBefore };
}

/** `integer`: per column, whether every value is an integer, when already known (csvStream.ts). */
export function assemble(h: CsvHeader, body: CsvBody, integer?: boolean[]): CsvResult {
  const nrows = body.nrows;
  const fit = <T extends Float64Array | Int32Array>(a: T): T =>
    (a.length === nrows ? a : a.length > nrows * 1.25 + 64 ? a.slice(0, nrows) : a.subarray(0, nrows)) as T;
  const columns: Column[] = [];
  for (let c = 0; c < h.ncol; c++) {
    const name = h.names[c];
    const renamedFrom = h.renamedFrom[c];
    if (body.numeric[c]) {
      const values = fit(body.nums[c]!);
      columns.push({ kind: 'numeric', name, values, isInteger: integer ? integer[c] : allIntegers(values), ...(renamedFrom !== undefined ? { renamedFrom } : {}) });
    } else {
      columns.push({ kind: 'string', name, codes: fit(body.codes[c]!), levels: body.levels[c]!, ...(renamedFrom !== undefined ? { renamedFrom } : {}) });
    }
  }
  return { table: new DataTable(nrows, columns), renamed: h.renamed, warnings: [...h.warnings, ...overflowNote(body.overflow)], encoding: h.encoding, separator: h.separator };
}

export function parseCsv(raw: Buffer, file: string, opts: CsvOptions = {}): CsvResult {
  const h = parseHeader(raw, file, opts);
  return assemble(h, parseBody(h.bytes, h.bodyStart, h.bytes.length, h.ncol, h.separator, file));
}
