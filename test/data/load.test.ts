import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset, loadDatasetSync, detectFormat } from '../../server/src/data/load';
import { dataError, dataErrorAsync, num, tempDir } from './fixtures/helpers';

const refData = join(__dirname, '..', '..', '..', 'test', 'reference', 'data');

test('mpdta.csv: 2500 rows, first.treat renamed, every value bit-exact with Number()', async () => {
  const file = join(refData, 'mpdta.csv');
  const d = await loadDataset(file);
  assert.equal(d.format, 'csv');
  assert.equal(d.table.nrows, 2500);
  assert.deepEqual(d.table.names, ['year', 'countyreal', 'lpop', 'lemp', 'first_treat', 'treat']);
  assert.deepEqual(d.renamed, [{ from: 'first.treat', to: 'first_treat' }]);
  assert.equal(num(d.table, 'first_treat').renamedFrom, 'first.treat');
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const names = d.table.names;
  let compared = 0;
  for (let j = 0; j < names.length; j++) {
    const v = num(d.table, names[j]).values;
    lines.forEach((f, i) => {
      if (!Object.is(v[i], Number(f[j]))) assert.fail(`${names[j]}[${i}] = ${v[i]}, text ${f[j]}`);
      compared++;
    });
  }
  assert.equal(compared, 2500 * 6);
  assert.equal(v0(d.table, 'lpop'), 5.896760933305299);
});

function v0(t: import('../../server/src/data/table').DataTable, name: string): number {
  return num(t, name).values[0];
}

test('every reference dataset loads, numeric columns bit-exact', () => {
  for (const f of readdirSync(refData).filter((x) => x.endsWith('.csv'))) {
    const d = loadDatasetSync(join(refData, f));
    const lines = readFileSync(join(refData, f), 'utf8').replace(/\r/g, '').trim().split('\n');
    assert.equal(d.table.nrows, lines.length - 1, f);
    if (lines[0].includes('"')) continue; // quoted files: row count is enough here
    const rows = lines.slice(1).map((l) => l.split(','));
    d.table.columns.forEach((c, j) => {
      if (c.kind !== 'numeric') return;
      rows.forEach((r, i) => {
        const want = r[j] === '' || r[j] === 'NA' ? NaN : Number(r[j]);
        if (!Object.is(c.values[i], want)) assert.fail(`${f} ${c.name}[${i}]: ${c.values[i]} vs ${r[j]}`);
      });
    });
  }
});

test('format by extension; unsupported and missing files are DataErrors', async () => {
  assert.equal(detectFormat('a/b.CSV'), 'csv');
  assert.equal(detectFormat('x.tsv'), 'csv');
  assert.equal(detectFormat('x.dta'), 'dta');
  assert.equal(detectFormat('x.xlsx'), 'xlsx');
  assert.equal(detectFormat('x.parquet'), 'parquet');
  assert.match(dataError(() => detectFormat('x.sav')).message, /unsupported data file type "\.sav"/);
  assert.match(dataError(() => detectFormat('x.xls')).message, /save the file as \.xlsx/);
  const e = await dataErrorAsync(loadDataset('/nonexistent/dir/data.csv'));
  assert.equal(e.code, 'not-found');
  assert.match(e.message, /file not found/);
  const tmp = tempDir('load');
  try {
    assert.equal((await dataErrorAsync(loadDataset(tmp.file('empty.csv', '')))).code, 'empty');
    const dir = tmp.file('folder.csv');
    mkdirSync(dir);
    assert.match((await dataErrorAsync(loadDataset(dir))).message, /folder/);
    const tsv = tmp.file('t.tsv', 'a\tb\n1\t2\n');
    assert.deepEqual(loadDatasetSync(tsv).table.names, ['a', 'b']);
    const fakeDta = tmp.file('f.dta', 'a,b\n1,2\n');
    assert.equal((await dataErrorAsync(loadDataset(fakeDta))).code, 'corrupt');
    const e2 = dataError(() => loadDatasetSync(tmp.file('r.csv', 'a,b\n1,2\n3\n')));
    assert.equal(e2.line, 3);
    assert.equal(e2.file, join(tmp.dir, 'r.csv'));
    assert.equal(e2.format(), `${join(tmp.dir, 'r.csv')}:3: ragged row: line 3 has 1 field, header has 2`);
  } finally {
    tmp.cleanup();
  }
});
