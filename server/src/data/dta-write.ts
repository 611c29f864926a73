// Stata .dta writer (117, 118, 119). Numeric columns get the smallest integer type that holds
// them exactly (byte/int/long) else double; strings get str1-str2045 or strL when longer.
// Missing (NaN) is written as Stata's system missing `.`.
import { writeFileSync } from 'node:fs';
import { DataError } from './errors';
import type { DataTable, NumericColumn, StringColumn } from './table';
import {
  DOUBLE_MISSING, DTA_TYPE, FLOAT_MISSING, MAP_TAGS, MAX_VALID, MIN_VALID, SYSMISS, layoutOf,
  type ByteOrder, type DtaNumericType, type DtaVersion,
} from './dta-format';

export interface DtaWriteOptions {
  version?: DtaVersion;
  byteOrder?: ByteOrder;
  dataLabel?: string;
  timestamp?: Date;
  /** Force a storage type for numeric columns (e.g. float), by column name. */
  types?: Record<string, DtaNumericType>;
  /** Store these string columns as strL even when short. */
  strL?: string[];
}

class ByteWriter {
  buf: Buffer;
  pos = 0;
  constructor(
    size: number,
    readonly le: boolean,
  ) {
    this.buf = Buffer.alloc(Math.max(1024, size));
  }
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const nb = Buffer.alloc(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(nb, 0, 0, this.pos);
    this.buf = nb;
  }
  text(s: string): void { this.room(s.length * 4); this.pos += this.buf.write(s, this.pos, 'latin1'); }
  raw(b: Uint8Array): void { this.room(b.length); this.buf.set(b, this.pos); this.pos += b.length; }
  /** s in exactly n bytes, NUL padded (truncated on a UTF-8 boundary, keeping one NUL). */
  fixed(s: string, n: number): void {
    this.room(n);
    let b: Buffer = Buffer.from(s, 'utf8');
    if (b.length >= n) b = truncUtf8(b, n - 1);
    this.buf.fill(0, this.pos, this.pos + n);
    this.buf.set(b, this.pos);
    this.pos += n;
  }
  /** Bytes in a field of exactly n bytes, NUL padded (str#: no terminator needed when full). */
  padded(b: Uint8Array, n: number): void {
    this.room(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.buf.set(b.subarray(0, n), this.pos);
    this.pos += n;
  }
  u8(v: number): void { this.room(1); this.buf.writeUInt8(v, this.pos); this.pos += 1; }
  u16(v: number): void { this.room(2); this.le ? this.buf.writeUInt16LE(v, this.pos) : this.buf.writeUInt16BE(v, this.pos); this.pos += 2; }
  u32(v: number): void { this.room(4); this.le ? this.buf.writeUInt32LE(v, this.pos) : this.buf.writeUInt32BE(v, this.pos); this.pos += 4; }
  i8(v: number): void { this.room(1); this.buf.writeInt8(v, this.pos); this.pos += 1; }
  i16(v: number): void { this.room(2); this.le ? this.buf.writeInt16LE(v, this.pos) : this.buf.writeInt16BE(v, this.pos); this.pos += 2; }
  i32(v: number): void { this.room(4); this.le ? this.buf.writeInt32LE(v, this.pos) : this.buf.writeInt32BE(v, this.pos); this.pos += 4; }
  u64(v: number): void { this.room(8); this.le ? this.buf.writeBigUInt64LE(BigInt(v), this.pos) : this.buf.writeBigUInt64BE(BigInt(v), this.pos); this.pos += 8; }
  f32(v: number): void { this.room(4); this.le ? this.buf.writeFloatLE(v, this.pos) : this.buf.writeFloatBE(v, this.pos); this.pos += 4; }
  f64(v: number): void { this.room(8); this.le ? this.buf.writeDoubleLE(v, this.pos) : this.buf.writeDoubleBE(v, this.pos); this.pos += 8; }
  uint(v: number, bytes: number): void { bytes === 1 ? this.u8(v) : bytes === 2 ? this.u16(v) : bytes === 4 ? this.u32(v) : this.u64(v); }
  /** An unsigned integer in `bytes` bytes (used for the parts of a strL (v,o) reference). */
  uintN(v: number, bytes: number): void {
    this.room(bytes);
    for (let i = 0; i < bytes; i++) {
      const byte = Math.floor(v / 256 ** (this.le ? i : bytes - 1 - i)) % 256;
      this.buf[this.pos + i] = byte;
    }
    this.pos += bytes;
  }
  result(): Buffer { return this.buf.subarray(0, this.pos); }
}

const EMPTY = new Uint8Array(0);

function truncUtf8(b: Buffer, n: number): Buffer {
  let e = Math.min(n, b.length);
  while (e > 0 && e < b.length && (b[e] & 0xc0) === 0x80) e--;
  return b.subarray(0, e);
}

function pickNumericType(c: NumericColumn): DtaNumericType {
  const v = c.values;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x !== x) continue;
    if (Math.floor(x) !== x || Object.is(x, -0)) return 'double';
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (lo === Infinity) return 'byte';
  if (lo >= MIN_VALID.byte && hi <= MAX_VALID.byte) return 'byte';
  if (lo >= MIN_VALID.int && hi <= MAX_VALID.int) return 'int';
  if (lo >= MIN_VALID.long && hi <= MAX_VALID.long) return 'long';
  return 'double';
}

const FLOAT_MAX = 1.7014117331926443e38; // largest non-missing float (0x7effffff)

/** The storage type must hold every value, or the file would show wrong data or missings
 *  (doubles at or above 2^1023 are Stata's missing codes and cannot be stored). */
function checkFits(c: NumericColumn, t: DtaNumericType): void {
  for (const x of c.values) {
    if (x !== x) continue;
    const ok =
      t === 'double' ? x < DOUBLE_MISSING
      : t === 'float' ? Math.abs(x) <= FLOAT_MAX
      : Number.isInteger(x) && x >= MIN_VALID[t] && x <= MAX_VALID[t];
    if (!ok) throw new DataError(`value ${x} of ${c.name} does not fit Stata type ${t}`, { code: 'bad-argument' });
  }
}

const FORMAT: Record<DtaNumericType, string> = { byte: '%8.0g', int: '%8.0g', long: '%12.0g', float: '%9.0g', double: '%10.0g' };

function timestamp(d: Date): string {
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getMonth()];
  const p2 = (x: number) => String(x).padStart(2, '0');
  return `${p2(d.getDate())} ${mon} ${d.getFullYear()} ${p2(d.getHours())}:${p2(d.getMinutes())}`;
}

interface VarPlan {
  type: number; // dta type code
  width: number;
  numType?: DtaNumericType;
  format: string;
  levelBytes?: Buffer[]; // string columns: UTF-8 of each level
}

export function encodeDta(table: DataTable, opts: DtaWriteOptions = {}): Buffer {
  const version = opts.version ?? 118;
  if (version !== 117 && version !== 118 && version !== 119)
    throw new DataError(`cannot write .dta version ${version} (supported: 117, 118, 119)`, { code: 'bad-argument' });
  const lay = layoutOf(version);
  const K = table.columns.length;
  if (K > (version === 119 ? 2 ** 31 : 32767))
    throw new DataError(`${K} variables do not fit in .dta ${version}; use version 119`, { code: 'bad-argument' });
  const N = table.nrows;
  const le = (opts.byteOrder ?? 'LSF') === 'LSF';
  const forceStrL = new Set(opts.strL ?? []);

  const plans: VarPlan[] = table.columns.map((c) => {
    if (c.kind === 'numeric') {
      const t = opts.types?.[c.name] ?? pickNumericType(c);
      checkFits(c, t);
      const code = DTA_TYPE[t];
      return { type: code, width: t === 'double' ? 8 : t === 'float' || t === 'long' ? 4 : t === 'int' ? 2 : 1, numType: t, format: FORMAT[t] };
    }
    const levelBytes = c.levels.map((s) => Buffer.from(s, 'utf8'));
    const maxLen = levelBytes.reduce((m, b) => Math.max(m, b.length), 1);
    if (maxLen > 2045 || forceStrL.has(c.name)) return { type: DTA_TYPE.strL, width: 8, format: '%9s', levelBytes };
    return { type: maxLen, width: maxLen, format: `%${maxLen}s`, levelBytes };
  });

  const recWidth = plans.reduce((s, p) => s + p.width, 0);
  const w = new ByteWriter(N * recWidth + K * 700 + 4096, le);
  const map: number[] = new Array(14).fill(0);
  const mark = (tag: (typeof MAP_TAGS)[number]) => { map[MAP_TAGS.indexOf(tag)] = w.pos; };

  mark('<stata_dta>');
  w.text('<stata_dta><header><release>');
  w.text(String(version));
  w.text('</release><byteorder>');
  w.text(le ? 'LSF' : 'MSF');
  w.text('</byteorder><K>');
  w.uint(K, lay.kBytes);
  w.text('</K><N>');
  w.uint(N, lay.nBytes);
  w.text('</N><label>');
  const label = truncUtf8(Buffer.from(opts.dataLabel ?? '', 'utf8'), 80);
  w.uint(label.length, lay.dataLabelLenBytes);
  w.raw(label);
  w.text('</label><timestamp>');
  w.u8(17);
  w.text(timestamp(opts.timestamp ?? new Date()));
  w.text('</timestamp></header>');
  mark('<map>');
  w.text('<map>');
  const mapPos = w.pos;
  for (let i = 0; i < 14; i++) w.u64(0); // patched at the end
  w.text('</map>');

  mark('<variable_types>');
  w.text('<variable_types>');
  for (const p of plans) w.u16(p.type);
  w.text('</variable_types>');
  mark('<varnames>');
  w.text('<varnames>');
  for (const c of table.columns) w.fixed(c.name, lay.nameLen);
  w.text('</varnames>');
  mark('<sortlist>');
  w.text('<sortlist>');
  for (let i = 0; i <= K; i++) w.uint(0, lay.sortBytes);
  w.text('</sortlist>');
  mark('<formats>');
  w.text('<formats>');
  for (const p of plans) w.fixed(p.format, lay.formatLen);
  w.text('</formats>');

  // Value labels: one per labelled numeric column, named after it.
  const labelled = table.columns.filter((c): c is NumericColumn => c.kind === 'numeric' && !!c.valueLabels && c.valueLabels.size > 0);
  const labelledSet = new Set(labelled.map((c) => c.name));
  mark('<value_label_names>');
  w.text('<value_label_names>');
  for (const c of table.columns) w.fixed(labelledSet.has(c.name) ? c.name : '', lay.nameLen);
  w.text('</value_label_names>');
  mark('<variable_labels>');
  w.text('<variable_labels>');
  for (const c of table.columns) w.fixed(c.label ?? '', lay.varLabelLen);
  w.text('</variable_labels>');
  mark('<characteristics>');
  w.text('<characteristics></characteristics>');

  // strL references: each distinct string is stored once, at its first (variable, observation).
  const strlRefs: ({ v: number; o: number }[] | null)[] = table.columns.map((c, j) => {
    if (plans[j].type !== DTA_TYPE.strL) return null;
    const sc = c as StringColumn;
    const refs: { v: number; o: number }[] = new Array(sc.levels.length);
    for (let i = 0; i < N; i++) {
      const k = sc.codes[i];
      if (k >= 0 && !refs[k]) refs[k] = { v: j + 1, o: i + 1 };
    }
    return refs;
  });

  mark('<data>');
  w.text('<data>');
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < K; j++) {
      const c = table.columns[j];
      const p = plans[j];
      if (c.kind === 'numeric') {
        const x = c.values[i];
        const miss = x !== x;
        switch (p.numType) {
          case 'byte': w.i8(miss ? SYSMISS.byte : x); break;
          case 'int': w.i16(miss ? SYSMISS.int : x); break;
          case 'long': w.i32(miss ? SYSMISS.long : x); break;
          case 'float': w.f32(miss ? FLOAT_MISSING : x); break; // 2^127 is the float `.`
          default: w.f64(miss ? DOUBLE_MISSING : x); break; // 2^1023 is the double `.`
        }
      } else {
        const k = c.codes[i];
        if (p.type === DTA_TYPE.strL) {
          const ref = k >= 0 ? strlRefs[j]![k] : { v: 0, o: 0 };
          // v then o, each in the file's byte order
          w.uintN(ref.v, lay.strlVBytes);
          w.uintN(ref.o, 8 - lay.strlVBytes);
        } else w.padded(k >= 0 ? p.levelBytes![k] : EMPTY, p.width);
      }
    }
  }
  w.text('</data>');

  mark('<strls>');
  w.text('<strls>');
  strlRefs.forEach((refs, j) => {
    if (!refs) return;
    refs.forEach((ref, k) => {
      if (!ref) return;
      const bytes = plans[j].levelBytes![k];
      w.text('GSO');
      w.u32(ref.v);
      w.uint(ref.o, lay.gsoOBytes);
      w.u8(130); // text, NUL terminated
      w.u32(bytes.length + 1);
      w.raw(bytes);
      w.u8(0);
    });
  });
  w.text('</strls>');

  mark('<value_labels>');
  w.text('<value_labels>');
  for (const c of labelled) {
    const entries = [...c.valueLabels!].filter(([v]) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31).sort((a, b) => a[0] - b[0]);
    const texts = entries.map(([, s]) => Buffer.from(s, 'utf8'));
    const txtlen = texts.reduce((s, b) => s + b.length + 1, 0);
    const n = entries.length;
    w.text('<lbl>');
    w.u32(8 + 8 * n + txtlen);
    w.fixed(c.name, lay.nameLen);
    w.raw(new Uint8Array(3));
    w.u32(n);
    w.u32(txtlen);
    let off = 0;
    for (const t of texts) { w.u32(off); off += t.length + 1; }
    for (const [v] of entries) w.i32(v);
    for (const t of texts) { w.raw(t); w.u8(0); }
    w.text('</lbl>');
  }
  w.text('</value_labels>');
  mark('</stata_dta>');
  w.text('</stata_dta>');
  mark('eof');

  const end = w.pos;
  w.pos = mapPos;
  for (const off of map) w.u64(off);
  w.pos = end;
  return w.result();
}

/** Writes table to path as .dta (default format 118, Stata 14+). */
export function writeDta(table: DataTable, path: string, version: DtaVersion = 118, opts: Omit<DtaWriteOptions, 'version'> = {}): void {
  const bytes = encodeDta(table, { ...opts, version });
  try {
    writeFileSync(path, bytes);
  } catch (e) {
    throw new DataError(`cannot write ${path}: ${(e as Error).message}`, { code: 'io', file: path });
  }
}
