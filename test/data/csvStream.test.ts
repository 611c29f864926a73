// The streamed CSV load (csvStream.ts, csvRange.ts): every cell equals Number() on its text (the
// reference for correct rounding) on generated files with tricky decimals, on one thread, on two
// (the worker's share however the chunks fall, and a fixed split from both ends), across chunk
// boundaries, with CRLF and a BOM; what it does not take (quotes, text, errors) is left to the
// whole-file parse, whose result and errors loadDataset then gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { parseCsv } from '../../server/src/data/csv';
import { parseCsvStreamed } from '../../server/src/data/csvStream';
import { PARALLEL_MIN_BYTES, parseCsvParallel, startCsvWorker } from '../../server/src/data/csvParallel';
import { FREE, HOST, WORKER, joinedColumns, newPlan, parseShare } from '../../server/src/data/csvRange';
import { buildCatalog, type NumericProfile } from '../../server/src/data/catalog';
import { loadDataset } from '../../server/src/data/load';
import type { DataTable } from '../../server/src/data/table';
import { mulberry32 } from '../util/mulberry32';
import { tempDir } from './fixtures/helpers';

const tmp = tempDir('csvstream');
test.after(() => tmp.cleanup());

const MISSING = new Set(['', 'NA', '.']);
/** What a cell must read as: Number() on its text; missing markers and numbers beyond a double are NaN. */
function expected(text: string): number {
  if (MISSING.has(text)) return NaN;
  const v = Number(text);
  return Number.isFinite(v) ? v : NaN;
}

const TRICKY = [
  '9007199254740993', '9007199254740992', '9007199254740991', '-9007199254740993', // 2^53 +- 1: halfway, round to even
  '0.1', '0.2', '0.30000000000000004', '-0', '-0.0', '0.000', '+0', '+1.5', '-.5', '.5', '5.', '+.25', '-7.',
  '1.00000000000000011102230246251565404236316680908203125', // exactly halfway between 1 and 1 + 2^-52
  '1.00000000000000011102230246251565404236316680908203126', // just above it
  '2.2250738585072011e-308', '2.2250738585072012e-308', '4.9e-324', '5e-324', '2e-324', '1e-400',
  '1.7976931348623157e308', '1.7976931348623158e308', '1e309', '-1e400',
  '1e23', '8.98846567431158e307', '123456789012345678', '0.1234567890123456789', '1E5', '1e+5', '25e-1',
  '3.4028371727466583', '-3.5342258005402982', '4.35', '0.000000000000000000000001', '100000000000000000000000',
  '1234567.8901234567', '99999999999999999', '1.5e-10', '-2.75E+3',
];

/** A decimal of 1-17 significant digits, maybe signed, maybe with a point anywhere and an exponent. */
function randomDecimal(r: () => number): string {
  const u = r();
  if (u < 0.04) return ['', 'NA', '.'][Math.floor(r() * 3)];
  if (u < 0.1) return TRICKY[Math.floor(r() * TRICKY.length)];
  const n = 1 + Math.floor(r() * 17);
  let d = '';
  for (let i = 0; i < n; i++) d += String(Math.floor(r() * 10));
  const dot = Math.floor(r() * (n + 2)) - 1; // -1: no point; n: trailing point
  let s = dot < 0 ? d : d.slice(0, dot) + '.' + d.slice(dot);
  if (r() < 0.15) s += (r() < 0.5 ? 'e' : 'E') + (r() < 0.5 ? '-' : r() < 0.5 ? '+' : '') + String(Math.floor(r() * 40));
  const sign = r();
  return (sign < 0.35 ? '-' : sign < 0.4 ? '+' : '') + s;
}

interface Generated {
  text: string;
  cells: string[][];
}

function generate(seed: number, rows: number, ncol: number): Generated {
  const r = mulberry32(seed);
  const cells: string[][] = [];
  const lines = [Array.from({ length: ncol }, (_, c) => `v${c}`).join(',')];
  for (let i = 0; i < rows; i++) {
    const row = Array.from({ length: ncol }, () => randomDecimal(r));
    cells.push(row);
    lines.push(row.join(','));
  }
  return { text: lines.join('\n') + '\n', cells };
}

function checkCells(t: DataTable, cells: string[][], what: string): void {
  assert.equal(t.nrows, cells.length, `${what}: rows`);
  t.columns.forEach((col, c) => {
    assert.equal(col.kind, 'numeric', `${what}: column ${col.name} numeric`);
    if (col.kind !== 'numeric') return;
    for (let i = 0; i < cells.length; i++) {
      const want = expected(cells[i][c]);
      if (!Object.is(col.values[i], want)) assert.fail(`${what}: row ${i + 1} column ${col.name}: "${cells[i][c]}" read as ${col.values[i]}, Number() gives ${want}`);
    }
  });
}

/** The streamed catalog: counts, extremes, type and histogram exactly as buildCatalog; mean and sd to 1e-12 (sums in another order). */
function checkCatalog(t: DataTable, catalog: ReturnType<typeof buildCatalog> | undefined, what: string): void {
  assert.ok(catalog, `${what}: the load made the catalog`);
  const ref = buildCatalog(t);
  for (const p of ref.columns as NumericProfile[]) {
    const q = catalog.byName.get(p.name) as NumericProfile;
    for (const k of ['n', 'missing', 'min', 'max', 'isInteger'] as const) assert.ok(Object.is(q[k], p[k]), `${what}: ${p.name} ${k} ${q[k]} vs ${p[k]}`);
    assert.deepEqual(q.histogram, p.histogram, `${what}: ${p.name} histogram`);
    for (const k of ['mean', 'sd'] as const) {
      const scale = Math.max(Math.abs(p[k]), Math.abs(p.max), Math.abs(p.min), 1e-300);
      assert.ok(Math.abs(q[k] - p[k]) <= 1e-12 * scale || Object.is(q[k], p[k]), `${what}: ${p.name} ${k} ${q[k]} vs ${p[k]}`);
    }
  }
}

// about 350 KB: with 4 KB chunks, ~90 chunk boundaries land at every kind of place in a line
const CHUNK = 4096;
const gen = generate(17, 6000, 7);

test('every cell equals Number() on its text: whole-file parse, streamed on one thread, streamed on two', async () => {
  checkCells(parseCsv(Buffer.from(gen.text), 'g.csv').table, gen.cells, 'parseCsv');
  const file = tmp.file('g.csv', gen.text);
  const one = await parseCsvStreamed(file, {}, null, 0, CHUNK);
  assert.ok(one, 'the streamed parse took the file');
  assert.equal(one.threads, 1);
  checkCells(one.table, gen.cells, 'streamed, one thread');
  checkCatalog(one.table, one.catalog, 'streamed, one thread');
  const worker = startCsvWorker();
  assert.ok(worker, 'dist/csvWorker.js is built');
  try {
    const two = await parseCsvStreamed(file, {}, worker, 0, CHUNK);
    assert.ok(two);
    checkCells(two.table, gen.cells, 'streamed, two threads');
    checkCatalog(two.table, two.catalog, 'streamed, two threads');
    assert.deepEqual(two.warnings, parseCsv(Buffer.from(gen.text), 'g.csv').warnings, 'the same notes (numbers beyond a double)');
  } finally {
    await worker.terminate();
  }
});

test('a fixed split from both ends: the back share (chunks claimed last to first) joins after the front share in row order', () => {
  const file = tmp.file('split.csv', gen.text);
  const body = gen.text.indexOf('\n') + 1;
  for (const cut of [0.25, 0.5, 0.9]) {
    const plan = newPlan({ path: file, bodyStart: body, size: gen.text.length, chunkBytes: CHUNK, chunkRows: 64, ncol: 7, separator: ',', capacity: 9000 });
    const claims = new Int32Array(plan.claims);
    const k = Math.floor(claims.length * cut);
    // the front's chunks taken first, so that the worker's share stops there; then freed for the host
    claims.fill(HOST, 0, k);
    const back = parseShare(plan, WORKER, file);
    claims.fill(FREE, 0, k);
    const front = parseShare(plan, HOST, file);
    assert.ok(front && back);
    assert.equal(claims.filter((x) => x === HOST).length, k);
    assert.equal(claims.filter((x) => x === WORKER).length, claims.length - k);
    assert.equal(front.rows + back.rows, gen.cells.length);
    const cols = joinedColumns(plan);
    for (let c = 0; c < 7; c++)
      for (let i = 0; i < gen.cells.length; i++) {
        const want = expected(gen.cells[i][c]);
        if (!Object.is(cols[c][i], want)) assert.fail(`cut ${cut}: row ${i + 1} column ${c}: "${gen.cells[i][c]}" read as ${cols[c][i]}, Number() gives ${want}`);
      }
  }
});

test('CRLF line ends, a BOM, blank lines and no final line end: every cell as Number(), on both paths', async () => {
  const g = generate(23, 3000, 4);
  const lines = g.text.split('\n');
  lines.splice(1500, 0, '', '   '); // blank lines are skipped
  const text = '\ufeff' + lines.join('\r\n').replace(/\r\n$/, '');
  const file = tmp.file('crlf.csv', text);
  checkCells(parseCsv(Buffer.from(text), 'crlf.csv').table, g.cells, 'parseCsv CRLF');
  const one = await parseCsvStreamed(file, {}, null, 0, CHUNK);
  assert.ok(one);
  assert.deepEqual(one.table.names, ['v0', 'v1', 'v2', 'v3']);
  checkCells(one.table, g.cells, 'streamed CRLF');
  const worker = startCsvWorker();
  try {
    const two = await parseCsvStreamed(file, {}, worker, 0, 1000);
    assert.ok(two);
    checkCells(two.table, g.cells, 'streamed CRLF, two threads');
  } finally {
    await worker?.terminate();
  }
});

test('what the streamed parse leaves to the whole-file parse: quotes, a text column, a ragged row, an explicit encoding', async () => {
  const g = generate(29, 2000, 3);
  const lines = g.text.split('\n');
  // a quoted number with a line break inside its quotes, at several places (some across chunk ends)
  for (const i of [100, 900, 1700]) lines[i] = lines[i].replace(/^[^,]*/, '"12\n"');
  const quoted = tmp.file('q.csv', lines.join('\n'));
  assert.equal(await parseCsvStreamed(quoted, {}, null, 0, 512), null);
  const text = tmp.file('t.csv', g.text + 'abc,1,2\n'); // a column turns to text on the last line
  assert.equal(await parseCsvStreamed(text, {}, null, 0, CHUNK), null);
  const ragged = tmp.file('r.csv', g.text + '1,2\n');
  assert.equal(await parseCsvStreamed(ragged, {}, null, 0, CHUNK), null);
  assert.equal(await parseCsvStreamed(tmp.file('e.csv', g.text), { encoding: 'latin1' }, null, 0, CHUNK), null);
  const worker = startCsvWorker();
  try {
    assert.equal(await parseCsvStreamed(ragged, {}, worker, 0, CHUNK), null);
  } finally {
    await worker?.terminate();
  }
});

/** Lines until the text passes the size where loadDataset streams. */
function bigText(r: () => number, quoteAt: (i: number) => boolean): { text: string; cells: string[][] } {
  const lines = ['a,b,c'];
  const cells: string[][] = [];
  let bytes = 6;
  for (let i = 0; bytes < PARALLEL_MIN_BYTES * 1.2; i++) {
    const row = [randomDecimal(r), randomDecimal(r), String(i)];
    cells.push(row);
    const l = quoteAt(i) ? `"${row[0]}",${row[1]},"${row[2]}"` : row.join(',');
    lines.push(l);
    bytes += l.length + 1;
  }
  return { text: lines.join('\n') + '\n', cells };
}

test('loadDataset on a large file: streamed when it can be (cells as Number(), catalog made), else the whole-file result and errors', async () => {
  const r = mulberry32(31);
  const plain = bigText(r, () => false);
  const f = tmp.file('big.csv', plain.text);
  const d = await loadDataset(f);
  checkCells(d.table, plain.cells, 'loadDataset streamed');
  checkCatalog(d.table, d.catalog, 'loadDataset streamed');

  // quoted numbers (one with a line break inside the quotes) around the middle: the whole-file parse
  const n = plain.cells.length;
  const quoted = bigText(mulberry32(37), (i) => Math.abs(i - n / 2) < 3000 && i % 7 === 0);
  const m = Math.round(n / 14) * 7;
  const qtext = quoted.text.replace(`,"${m}"\n`, `,"${m}\n"\n`);
  assert.notEqual(qtext, quoted.text);
  const qf = tmp.file('bigq.csv', qtext);
  const dq = await loadDataset(qf);
  const ref = parseCsv(Buffer.from(qtext), 'bigq.csv').table;
  assert.equal(dq.catalog, undefined, 'not streamed');
  assert.equal(dq.table.nrows, ref.nrows);
  for (const col of ref.columns) {
    const got = dq.table.get(col.name)!;
    assert.equal(got.kind, col.kind);
    if (col.kind === 'numeric' && got.kind === 'numeric') for (let i = 0; i < col.values.length; i++) if (!Object.is(col.values[i], got.values[i])) assert.fail(`${col.name} row ${i}`);
  }
  // the same through the two-thread whole-file parse, split near the quoted line break
  const shared = Buffer.from(new SharedArrayBuffer(Buffer.byteLength(qtext)));
  shared.write(qtext);
  const par = await parseCsvParallel(shared, 'bigq.csv', {}, startCsvWorker());
  assert.equal(par.table.nrows, ref.nrows);
  const c = ref.get('c'), pc = par.table.get('c');
  assert.ok(c?.kind === pc?.kind);
  if (c?.kind === 'string' && pc?.kind === 'string') assert.deepEqual(pc.levels, c.levels);

  // a ragged row late in the file: the whole-file parse's error, with its line number
  writeFileSync(f, plain.text + '1,2\n');
  await assert.rejects(loadDataset(f), (e: Error) => {
    assert.match(e.message, new RegExp(`ragged row: line ${plain.cells.length + 2} has 2 fields`));
    return true;
  });
});
