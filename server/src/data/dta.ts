// Stata .dta reader (formats 117, 118, 119; either byte order). Sections are read in order,
// checking each tag, rather than trusting the <map> (Stata 13 files are known to carry wrong
// map entries). Every read is bounds-checked so a truncated or corrupt file gives a DataError.
import { isUtf8 } from 'node:buffer';
import { DataError } from './errors';
import { allIntegers, StringDict } from './columns';
import { fixNames, type Renamed } from './names';
import { DataTable, type Column } from './table';
import {
  DOUBLE_MISSING, DTA_TYPE, FLOAT_MISSING, MAX_VALID, layoutOf, typeWidth,
  type ByteOrder, type DtaVersion, type Layout,
} from './dta-format';

export interface DtaMeta {
  version: DtaVersion;
  byteOrder: ByteOrder;
  dataLabel: string;
  timestamp: string;
}

export interface DtaResult {
  table: DataTable;
  renamed: Renamed[];
  warnings: string[];
  meta: DtaMeta;
}

class Cursor {
  pos = 0;
  le = true;
  private readonly dv: DataView;

  constructor(
    readonly b: Buffer,
    readonly file: string,
  ) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  fail(what: string): never {
    throw new DataError(`corrupt or truncated .dta file: ${what} (at byte ${this.pos} of ${this.b.length})`, { code: 'corrupt', file: this.file });
  }

  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.b.length) this.fail(`${what} runs past the end of the file`);
  }

  expect(tag: string): void {
    this.need(tag.length, tag);
    if (this.b.toString('latin1', this.pos, this.pos + tag.length) !== tag) this.fail(`expected ${tag}`);
    this.pos += tag.length;
  }

  peek(tag: string): boolean {
    return this.pos + tag.length <= this.b.length && this.b.toString('latin1', this.pos, this.pos + tag.length) === tag;
  }

  u8(): number { this.need(1, 'a byte'); return this.b[this.pos++]; }
  u16(): number { this.need(2, 'a 2-byte integer'); const v = this.dv.getUint16(this.pos, this.le); this.pos += 2; return v; }
  u32(): number { this.need(4, 'a 4-byte integer'); const v = this.dv.getUint32(this.pos, this.le); this.pos += 4; return v; }
  i32(): number { this.need(4, 'a 4-byte integer'); const v = this.dv.getInt32(this.pos, this.le); this.pos += 4; return v; }
  u64(): number {
    this.need(8, 'an 8-byte integer');
    const v = this.dv.getBigUint64(this.pos, this.le);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail('an 8-byte count is implausibly large');
    return Number(v);
  }
  uint(bytes: number): number {
    return bytes === 1 ? this.u8() : bytes === 2 ? this.u16() : bytes === 4 ? this.u32() : this.u64();
  }
  bytes(n: number, what: string): Buffer {
    this.need(n, what);
    const s = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
}

/** Fixed-width, NUL-terminated text. 118/119 are UTF-8; 117 used the platform code page. */
function cstr(b: Uint8Array, version: DtaVersion): string {
  let e = b.indexOf(0);
  if (e < 0) e = b.length;
  const s = Buffer.from(b.buffer, b.byteOffset, e);
  return version === 117 && !isUtf8(s) ? s.toString('latin1') : s.toString('utf8');
}

/** The (v,o) reference of a strL cell, as a map key. */
function strlKey(b: Buffer, p: number, lay: Layout, le: boolean): string {
  const vb = lay.strlVBytes;
  let v = 0, o = 0;
  if (le) {
    for (let i = vb - 1; i >= 0; i--) v = v * 256 + b[p + i];
    for (let i = 7; i >= vb; i--) o = o * 256 + b[p + i];
  } else {
    for (let i = 0; i < vb; i++) v = v * 256 + b[p + i];
    for (let i = vb; i < 8; i++) o = o * 256 + b[p + i];
  }
  return v === 0 && o === 0 ? '' : `${v}:${o}`;
}

export function readDta(buf: Buffer, file: string): DtaResult {
  const cur = new Cursor(buf, file);
  if (!cur.peek('<stata_dta>')) {
    if (buf.length > 1 && buf[0] >= 102 && buf[0] <= 115 && (buf[1] === 1 || buf[1] === 2))
      throw new DataError(`this is an old .dta format (${buf[0]}, Stata 12 or earlier); re-save it with Stata 13 or later (saveold ..., version(13))`, { code: 'unsupported', file });
    throw new DataError('not a Stata .dta file (no <stata_dta> header)', { code: 'corrupt', file });
  }
  cur.expect('<stata_dta><header><release>');
  const rel = Number(cur.bytes(3, 'release').toString('latin1'));
  if (rel !== 117 && rel !== 118 && rel !== 119)
    throw new DataError(`unsupported .dta release ${rel} (supported: 117, 118, 119)`, { code: 'unsupported', file });
  const version = rel as DtaVersion;
  const lay = layoutOf(version);
  cur.expect('</release><byteorder>');
  const bo = cur.bytes(3, 'byte order').toString('latin1');
  if (bo !== 'MSF' && bo !== 'LSF') cur.fail(`unknown byte order "${bo}"`);
  cur.le = bo === 'LSF';
  cur.expect('</byteorder><K>');
  const K = cur.uint(lay.kBytes);
  cur.expect('</K><N>');
  const N = cur.uint(lay.nBytes);
  cur.expect('</N><label>');
  const dataLabel = cstr(cur.bytes(cur.uint(lay.dataLabelLenBytes), 'data label'), version);
  cur.expect('</label><timestamp>');
  const timestamp = cur.bytes(cur.u8(), 'timestamp').toString('latin1');
  cur.expect('</timestamp></header>');
  cur.expect('<map>');
  cur.bytes(14 * 8, 'map');
  cur.expect('</map>');

  cur.expect('<variable_types>');
  const types: number[] = [];
  for (let i = 0; i < K; i++) {
    const t = cur.u16();
    if (typeWidth(t) < 0) cur.fail(`variable ${i + 1} has unknown type code ${t}`);
    types.push(t);
  }
  cur.expect('</variable_types>');
  cur.expect('<varnames>');
  const names: string[] = [];
  for (let i = 0; i < K; i++) names.push(cstr(cur.bytes(lay.nameLen, 'variable names'), version));
  cur.expect('</varnames>');
  cur.expect('<sortlist>');
  const endSort = buf.indexOf('</sortlist>', cur.pos, 'latin1');
  if (endSort < 0) cur.fail('missing </sortlist>');
  cur.pos = endSort;
  cur.expect('</sortlist>');
  cur.expect('<formats>');
  cur.bytes(K * lay.formatLen, 'formats');
  cur.expect('</formats>');
  cur.expect('<value_label_names>');
  const vlNames: string[] = [];
  for (let i = 0; i < K; i++) vlNames.push(cstr(cur.bytes(lay.nameLen, 'value label names'), version));
  cur.expect('</value_label_names>');
  cur.expect('<variable_labels>');
  const varLabels: string[] = [];
  for (let i = 0; i < K; i++) varLabels.push(cstr(cur.bytes(lay.varLabelLen, 'variable labels'), version));
  cur.expect('</variable_labels>');
  cur.expect('<characteristics>');
  while (cur.peek('<ch>')) {
    cur.expect('<ch>');
    cur.bytes(cur.u32(), 'characteristic');
    cur.expect('</ch>');
  }
  cur.expect('</characteristics>');

  cur.expect('<data>');
  const offsets: number[] = [];
  let width = 0;
  for (const t of types) { offsets.push(width); width += typeWidth(t); }
  const dataStart = cur.pos;
  cur.need(N * width, `data (${N} observations of ${width} bytes)`);
  cur.pos += N * width;
  cur.expect('</data>');

  cur.expect('<strls>');
  const gso = new Map<string, string>();
  while (cur.peek('GSO')) {
    cur.expect('GSO');
    const v = cur.u32();
    const o = cur.uint(lay.gsoOBytes);
    const t = cur.u8();
    const len = cur.u32();
    const data = cur.bytes(len, 'strL contents');
    const text = t === 130 && len > 0 && data[len - 1] === 0 ? data.subarray(0, len - 1) : data;
    gso.set(`${v}:${o}`, version === 117 && !isUtf8(text) ? text.toString('latin1') : text.toString('utf8'));
  }
  cur.expect('</strls>');

  cur.expect('<value_labels>');
  const valueLabels = new Map<string, Map<number, string>>();
  while (cur.peek('<lbl>')) {
    cur.expect('<lbl>');
    const len = cur.u32();
    const labname = cstr(cur.bytes(lay.nameLen, 'value label name'), version);
    cur.bytes(3, 'padding');
    const end = cur.pos + len;
    cur.need(len, 'value label table');
    const n = cur.u32();
    const txtlen = cur.u32();
    if (8 + 8 * n + txtlen > len) cur.fail(`value label ${labname} has an inconsistent size`);
    const offs: number[] = [];
    for (let i = 0; i < n; i++) offs.push(cur.u32());
    const vals: number[] = [];
    for (let i = 0; i < n; i++) vals.push(cur.i32());
    const txt = cur.bytes(txtlen, 'value label text');
    const m = new Map<number, string>();
    for (let i = 0; i < n; i++) {
      if (offs[i] >= txtlen) cur.fail(`value label ${labname} points outside its text`);
      m.set(vals[i], cstr(txt.subarray(offs[i]), version));
    }
    valueLabels.set(labname, m);
    cur.pos = end;
    cur.expect('</lbl>');
  }
  cur.expect('</value_labels>');
  cur.expect('</stata_dta>');

  const warnings: string[] = [];
  const fixed = fixNames(names);
  warnings.push(...fixed.warnings);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const le = cur.le;
  const columns: Column[] = [];
  for (let j = 0; j < K; j++) {
    const t = types[j];
    const off = dataStart + offsets[j];
    const name = fixed.names[j];
    const extra = {
      ...(varLabels[j] ? { label: varLabels[j] } : {}),
      ...(fixed.renamedFrom[j] !== undefined ? { renamedFrom: fixed.renamedFrom[j] } : {}),
    };
    if (t <= 2045 || t === DTA_TYPE.strL) {
      const dict = new StringDict();
      const codes = new Int32Array(N);
      let unresolved = 0;
      for (let i = 0, p = off; i < N; i++, p += width) {
        if (t === DTA_TYPE.strL) {
          const key = strlKey(buf, p, lay, le);
          const s = key === '' ? '' : gso.get(key);
          if (s === undefined) unresolved++;
          codes[i] = dict.code(s);
        } else codes[i] = dict.code(cstr(buf.subarray(p, p + t), version));
      }
      if (unresolved) warnings.push(`${name}: ${unresolved} strL value(s) point to no stored string; read as missing`);
      columns.push({ kind: 'string', name, codes, levels: dict.levels, ...extra });
      continue;
    }
    const v = new Float64Array(N);
    // One loop per storage type: the type test stays out of the per-value work.
    let p = off;
    switch (t) {
      case DTA_TYPE.byte:
        for (let i = 0; i < N; i++, p += width) { const x = dv.getInt8(p); v[i] = x > MAX_VALID.byte ? NaN : x; }
        break;
      case DTA_TYPE.int:
        for (let i = 0; i < N; i++, p += width) { const x = dv.getInt16(p, le); v[i] = x > MAX_VALID.int ? NaN : x; }
        break;
      case DTA_TYPE.long:
        for (let i = 0; i < N; i++, p += width) { const x = dv.getInt32(p, le); v[i] = x > MAX_VALID.long ? NaN : x; }
        break;
      case DTA_TYPE.float:
        for (let i = 0; i < N; i++, p += width) { const x = dv.getFloat32(p, le); v[i] = x < FLOAT_MISSING ? x : NaN; }
        break;
      default:
        for (let i = 0; i < N; i++, p += width) { const x = dv.getFloat64(p, le); v[i] = x < DOUBLE_MISSING ? x : NaN; }
    }
    const vl = vlNames[j] ? valueLabels.get(vlNames[j]) : undefined;
    if (vlNames[j] && !vl) warnings.push(`${name}: value label "${vlNames[j]}" is not defined in the file`);
    columns.push({ kind: 'numeric', name, values: v, isInteger: allIntegers(v), ...extra, ...(vl ? { valueLabels: vl } : {}) });
  }
  return { table: new DataTable(N, columns), renamed: fixed.renamed, warnings, meta: { version, byteOrder: bo as ByteOrder, dataLabel, timestamp } };
}
