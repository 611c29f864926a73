// The two-thread CSV parse gives exactly the one-thread result (values, string codes and levels,
// errors), and falls back to one thread where a split is unsafe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../server/src/data/csv';
import { parseCsvParallel, startCsvWorker, PARALLEL_MIN_BYTES } from '../../server/src/data/csvParallel';
import { DataError } from '../../server/src/data/errors';
import { mulberry32 } from '../util/mulberry32';

function shared(text: string): Buffer {
  const src = Buffer.from(text, 'utf8');
  const b = Buffer.from(new SharedArrayBuffer(src.length));
  src.copy(b);
  return b;
}

/** Rows until the text passes the parallel threshold; `row(i)` gives each line. */
function big(header: string, row: (i: number) => string): string {
  const lines = [header];
  let bytes = header.length;
  for (let i = 0; bytes < PARALLEL_MIN_BYTES * 1.3; i++) {
    const l = row(i);
    lines.push(l);
    bytes += l.length + 1;
  }
  return lines.join('\n') + '\n';
}

function sameTables(a: ReturnType<typeof parseCsv>, b: ReturnType<typeof parseCsv>): void {
  assert.equal(a.table.nrows, b.table.nrows);
  assert.deepEqual(a.table.names, b.table.names);
  for (const c of a.table.columns) {
    const d = b.table.get(c.name)!;
    assert.equal(d.kind, c.kind, c.name);
    if (c.kind === 'numeric' && d.kind === 'numeric') {
      assert.equal(d.isInteger, c.isInteger);
      for (let i = 0; i < c.values.length; i++) if (!Object.is(c.values[i], d.values[i])) assert.fail(`${c.name} row ${i}: ${c.values[i]} vs ${d.values[i]}`);
    } else if (c.kind === 'string' && d.kind === 'string') {
      if (d.levels.length !== c.levels.length || d.levels.some((v, k) => v !== c.levels[k])) {
        const k = d.levels.findIndex((v, j) => v !== c.levels[j]);
        assert.fail(`${c.name} levels differ at ${k}: ${c.levels.length} vs ${d.levels.length} levels, ${JSON.stringify(c.levels.slice(k, k + 3))} vs ${JSON.stringify(d.levels.slice(k, k + 3))}`);
      }
      assert.deepEqual(Array.from(d.codes), Array.from(c.codes), `${c.name} codes`);
    }
  }
}

const r = mulberry32(7);
const cities = ['Beijing', 'Shanghai', 'Wuhan', 'Xi an', 'Chengdu'];

test('two threads: numbers (with missing values and long digit strings) and string levels first seen in either half equal the one-thread parse', async () => {
  const text = big('id,year,x,z,city,note', (i) => {
    const late = i > 150000 ? `late${i % 7}` : cities[i % 5];
    const x = i % 97 === 0 ? '' : ((r() - 0.5) * 1000).toFixed(3);
    const z = i % 89 === 0 ? 'NA' : String(r() * 10 - 5);
    return `${100000 + Math.floor(i / 18)},${2003 + (i % 18)},${x},${z},${late},${i % 101 === 0 ? '' : 'n' + (i % 3)}`;
  });
  const buf = shared(text);
  const one = parseCsv(buf, 'p.csv');
  const two = await parseCsvParallel(buf, 'p.csv', {}, startCsvWorker());
  assert.equal(two.threads, 2, 'the file was not split (is dist/csvWorker.js built?)');
  sameTables(one, two);
  const city = two.table.get('city');
  assert.ok(city?.kind === 'string' && city.levels.includes('late3'));
});

test('a column that turns to text only in the second half: one-thread result', async () => {
  const text = big('a,b', (i) => `${i},${i > 200000 && i % 1000 === 0 ? 'x' + i : String(i * 0.5)}`);
  const buf = shared(text);
  const two = await parseCsvParallel(buf, 'q.csv', {}, startCsvWorker());
  sameTables(parseCsv(buf, 'q.csv'), two);
  assert.equal(two.table.get('b')?.kind, 'string');
});

test('a ragged row in the second half: the same error as one thread', async () => {
  let bad = -1;
  const text = big('a,b,c', (i) => {
    if (i === 400000) bad = i;
    return i === 400000 ? '1,2' : `${i},${i},${i}`;
  });
  assert.ok(bad > 0);
  const buf = shared(text);
  const msg = (() => {
    try {
      parseCsv(buf, 'r.csv');
    } catch (e) {
      return (e as DataError).message;
    }
    return '';
  })();
  assert.match(msg, /ragged row: line 400002/);
  await assert.rejects(parseCsvParallel(buf, 'r.csv', {}, startCsvWorker()), (e: Error) => e.message === msg);
});

test('quotes in the data rows, or a buffer not in shared memory: one thread', async () => {
  const text = big('a,s', (i) => `${i},"t ${i % 5}"`);
  const q = await parseCsvParallel(shared(text), 's.csv', {}, startCsvWorker());
  assert.notEqual(q.threads, 2);
  sameTables(parseCsv(Buffer.from(text), 's.csv'), q);
  const plain = await parseCsvParallel(Buffer.from(big('a', (i) => String(i))), 't.csv', {}, startCsvWorker());
  assert.notEqual(plain.threads, 2);
});

test('CRLF line ends and blank lines: the same as one thread', async () => {
  const text = big('a,b,c', (i) => (i % 50000 === 7 ? '' : `${i},${(i * 0.001).toFixed(3)},${i % 3 ? 'u' : 'v'}`)).replace(/\n/g, '\r\n');
  const buf = shared(text);
  const two = await parseCsvParallel(buf, 'c.csv', {}, startCsvWorker());
  assert.equal(two.threads, 2);
  sameTables(parseCsv(buf, 'c.csv'), two);
});
