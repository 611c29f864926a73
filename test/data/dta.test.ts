import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDta } from '../../server/src/data/dta';
import { encodeDta, writeDta } from '../../server/src/data/dta-write';
import { loadDataset } from '../../server/src/data/load';
import { stringColumn } from '../../server/src/data/columns';
import { DataTable, type NumericColumn } from '../../server/src/data/table';
import type { DtaVersion } from '../../server/src/data/dta-format';
import { DataError } from '../../server/src/data/errors';
import { dataError, num, str, strings, tempDir, values } from './fixtures/helpers';

const LONG = 'x'.repeat(3000) + '终';

function sample(): DataTable {
  const n = 5;
  const b: NumericColumn = { kind: 'numeric', name: 'small', values: Float64Array.from([1, -127, 100, NaN, 0]), label: 'a byte', valueLabels: new Map([[1, 'yes'], [0, 'no'], [100, '满分']]) };
  const i: NumericColumn = { kind: 'numeric', name: 'mid', values: Float64Array.from([1000, -32767, 32740, NaN, 7]) };
  const l: NumericColumn = { kind: 'numeric', name: 'big', values: Float64Array.from([2147483620, -2147483647, 40000, NaN, 1]) };
  const d: NumericColumn = { kind: 'numeric', name: 'x', values: Float64Array.from([Math.PI, -1e300, 5e-324, NaN, 2 ** 60]), label: '人均GDP (万元)' };
  const f: NumericColumn = { kind: 'numeric', name: 'f', values: Float64Array.from([0.5, -1.25, 1.7e38, NaN, 16777216]) };
  const s = stringColumn('city', ['北京', 'Shanghai', '', 'a', '北京'], { label: 'city name' });
  const sl = stringColumn('notes', [LONG, '', 'short', LONG, 'z']);
  return new DataTable(n, [b, i, l, d, f, s, sl]);
}

function roundTrip(version: DtaVersion, byteOrder: 'LSF' | 'MSF'): void {
  const buf = encodeDta(sample(), { version, byteOrder, types: { f: 'float' }, dataLabel: 'test data' });
  const r = readDta(buf, 'rt.dta');
  assert.equal(r.meta.version, version);
  assert.equal(r.meta.byteOrder, byteOrder);
  assert.equal(r.meta.dataLabel, 'test data');
  const t = r.table;
  assert.equal(t.nrows, 5);
  assert.deepEqual(t.names, ['small', 'mid', 'big', 'x', 'f', 'city', 'notes']);
  assert.deepEqual(values(num(t, 'small')), [1, -127, 100, NaN, 0]);
  assert.deepEqual(values(num(t, 'mid')), [1000, -32767, 32740, NaN, 7]);
  assert.deepEqual(values(num(t, 'big')), [2147483620, -2147483647, 40000, NaN, 1]);
  assert.deepEqual(values(num(t, 'x')), [Math.PI, -1e300, 5e-324, NaN, 2 ** 60]);
  assert.deepEqual(values(num(t, 'f')), [0.5, -1.25, Math.fround(1.7e38), NaN, 16777216]);
  assert.deepEqual(strings(str(t, 'city')), ['北京', 'Shanghai', '', 'a', '北京']);
  assert.deepEqual(strings(str(t, 'notes')), [LONG, '', 'short', LONG, 'z']);
  assert.equal(num(t, 'small').label, 'a byte');
  assert.equal(num(t, 'x').label, '人均GDP (万元)');
  assert.equal(str(t, 'city').label, 'city name');
  assert.deepEqual([...num(t, 'small').valueLabels!].sort((a, b) => a[0] - b[0]), [[0, 'no'], [1, 'yes'], [100, '满分']]);
  assert.equal(num(t, 'mid').valueLabels, undefined);
  assert.equal(num(t, 'small').isInteger, true);
  assert.equal(num(t, 'x').isInteger, false);
}

for (const v of [117, 118, 119] as DtaVersion[])
  for (const bo of ['LSF', 'MSF'] as const) test(`.dta ${v} ${bo} round trip: types, missing, strL, labels, value labels`, () => roundTrip(v, bo));

test('header bytes match the dta spec (not just our reader)', () => {
  const t = new DataTable(2, [{ kind: 'numeric', name: 'y', values: Float64Array.from([1.5, NaN]) }, { kind: 'numeric', name: 'k', values: Float64Array.from([3, NaN]) }]);
  const b = encodeDta(t, { version: 118, byteOrder: 'LSF', timestamp: new Date(2026, 0, 2, 3, 4) });
  const s = b.toString('latin1');
  assert.ok(s.startsWith('<stata_dta><header><release>118</release><byteorder>LSF</byteorder><K>'));
  assert.equal(b.readUInt16LE(70), 2); // K, 2 bytes in 118
  assert.equal(s.slice(72, 79), '</K><N>');
  assert.equal(Number(b.readBigUInt64LE(79)), 2); // N, 8 bytes in 118
  assert.equal(s.slice(87, 98), '</N><label>');
  assert.equal(b.readUInt16LE(98), 0); // empty data label, 2-byte length in 118
  assert.equal(s.slice(100, 119), '</label><timestamp>');
  assert.equal(b[119], 17);
  assert.equal(s.slice(120, 137), '02 Jan 2026 03:04');
  // The map's entries point at the tags they name; the last one is the file length.
  const mapAt = s.indexOf('<map>') + 5;
  const entry = (k: number) => Number(b.readBigUInt64LE(mapAt + 8 * k));
  assert.equal(entry(0), 0);
  const tags = ['<stata_dta>', '<map>', '<variable_types>', '<varnames>', '<sortlist>', '<formats>', '<value_label_names>', '<variable_labels>', '<characteristics>', '<data>', '<strls>', '<value_labels>', '</stata_dta>'];
  tags.forEach((tag, k) => assert.equal(s.slice(entry(k), entry(k) + tag.length), tag, `map entry ${k}`));
  assert.equal(entry(13), b.length);
  // Types: y is double (65526), k is byte (65530).
  const vt = entry(2) + '<variable_types>'.length;
  assert.equal(b.readUInt16LE(vt), 65526);
  assert.equal(b.readUInt16LE(vt + 2), 65530);
  // varnames are 129 bytes in 118
  const vn = entry(3) + '<varnames>'.length;
  assert.equal(s.slice(vn, vn + 2), 'y\0');
  assert.equal(s.slice(vn + 129, vn + 131), 'k\0');
  // data: obs 1 = double 1.5, byte 3; obs 2 = double '.' (0x7fe0...0), byte '.' (101)
  const d = entry(9) + '<data>'.length;
  assert.equal(b.readDoubleLE(d), 1.5);
  assert.equal(b[d + 8], 3);
  assert.deepEqual([...b.subarray(d + 9, d + 17)], [0, 0, 0, 0, 0, 0, 0xe0, 0x7f]);
  assert.equal(b[d + 17], 101);
  // 117: N is 4 bytes and the label length 1 byte; 119: K is 4 bytes.
  const b117 = encodeDta(t, { version: 117 });
  assert.equal(b117.readUInt32LE(79), 2);
  assert.equal(b117.toString('latin1', 83, 94), '</N><label>');
  const b119 = encodeDta(t, { version: 119, byteOrder: 'MSF' });
  assert.equal(b119.readUInt32BE(70), 2);
  assert.equal(b119.toString('latin1', 74, 81), '</K><N>');
});

test('extended missing codes .a-.z read as missing in every numeric type', () => {
  const t = new DataTable(3, [
    { kind: 'numeric', name: 'b', values: Float64Array.from([1, 2, 3]) },
    { kind: 'numeric', name: 'i', values: Float64Array.from([1000, 2, 3]) },
    { kind: 'numeric', name: 'l', values: Float64Array.from([100000, 2, 3]) },
    { kind: 'numeric', name: 'f', values: Float64Array.from([1, 2, 3]) },
    { kind: 'numeric', name: 'd', values: Float64Array.from([0.5, 2, 3]) },
  ]);
  const buf = encodeDta(t, { version: 118, types: { f: 'float' } });
  const d = buf.indexOf('<data>', 0, 'latin1') + 6;
  const w = 1 + 2 + 4 + 4 + 8;
  // obs 2 gets .a, obs 3 gets .z
  buf[d + w] = 102;
  buf[d + 2 * w] = 127;
  buf.writeInt16LE(32742, d + w + 1);
  buf.writeInt16LE(32767, d + 2 * w + 1);
  buf.writeInt32LE(2147483622, d + w + 3);
  buf.writeInt32LE(2147483647, d + 2 * w + 3);
  buf.writeUInt32LE(0x7f000800, d + w + 7);
  buf.writeUInt32LE(0x7f00d000, d + 2 * w + 7);
  buf.writeUInt32LE(0, d + w + 11); buf.writeUInt32LE(0x7fe00100, d + w + 15);
  buf.writeUInt32LE(0, d + 2 * w + 11); buf.writeUInt32LE(0x7fe01a00, d + 2 * w + 15);
  const r = readDta(buf, 'm.dta').table;
  assert.deepEqual(values(num(r, 'b')), [1, NaN, NaN]);
  assert.deepEqual(values(num(r, 'i')), [1000, NaN, NaN]);
  assert.deepEqual(values(num(r, 'l')), [100000, NaN, NaN]);
  assert.deepEqual(values(num(r, 'f')), [1, NaN, NaN]);
  assert.deepEqual(values(num(r, 'd')), [0.5, NaN, NaN]);
});

test('truncated .dta files give a DataError at every cut point', () => {
  const buf = encodeDta(sample(), { version: 118 });
  for (let cut = 0; cut < buf.length; cut += Math.max(1, Math.floor(buf.length / 97))) {
    const e = dataError(() => readDta(buf.subarray(0, cut), 't.dta'));
    assert.ok(e.code === 'corrupt', `cut at ${cut}: ${e.code} ${e.message}`);
  }
  assert.match(dataError(() => readDta(buf.subarray(0, buf.length - 3), 't.dta')).message, /corrupt or truncated/);
});

test('corrupted bytes never crash: DataError or a table', () => {
  const buf = encodeDta(sample(), { version: 118 });
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let k = 0; k < 300; k++) {
    const b = Buffer.from(buf);
    for (let j = 0; j < 3; j++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    try {
      readDta(b, 'c.dta');
    } catch (e) {
      assert.ok(e instanceof DataError, `trial ${k}: ${(e as Error).message}`);
    }
  }
});

test('old formats and non-dta files are refused clearly', () => {
  assert.match(dataError(() => readDta(Buffer.from([114, 2, 1, 0, 0, 0]), 'old.dta')).message, /old \.dta format/);
  assert.match(dataError(() => readDta(Buffer.from('hello'), 'x.dta')).message, /not a Stata \.dta file/);
  // A value out of the forced type's range is refused rather than silently turned into a missing code.
  const big = new DataTable(1, [{ kind: 'numeric', name: 'f', values: Float64Array.from([3e38]) }]);
  assert.match(dataError(() => encodeDta(big, { types: { f: 'float' } })).message, /does not fit/);
  const bad = encodeDta(sample(), { version: 118 });
  bad.write('120', 28, 'latin1');
  assert.match(dataError(() => readDta(bad, 'x.dta')).message, /unsupported \.dta release 120/);
});

test('writeDta + loadDataset through the file system', async () => {
  const tmp = tempDir('dta');
  try {
    const p = tmp.file('s.dta');
    writeDta(sample(), p, 119);
    const d = await loadDataset(p);
    assert.equal(d.format, 'dta');
    assert.equal(d.table.nrows, 5);
    assert.deepEqual(strings(str(d.table, 'city')), ['北京', 'Shanghai', '', 'a', '北京']);
  } finally {
    tmp.cleanup();
  }
});
