import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readParquet } from '../../server/src/data/parquet';
import { loadDataset, loadDatasetSync } from '../../server/src/data/load';
import { dataError, dataErrorAsync, num, str, strings, tempDir, values } from './fixtures/helpers';

function fixture(rowGroupSize?: number): Buffer {
  const ab = parquetWriteBuffer({
    columnData: [
      { name: 'city', data: ['北京', 'Shanghai', null, 'Shanghai', 'x'], type: 'STRING' },
      { name: 'year', data: [2003, 2004, 2005, null, 2007], type: 'INT32' },
      { name: 'pop', data: [1n, -2n, 9007199254740993n, null, 0n], type: 'INT64' },
      { name: 'gdp.pc', data: [0.1, 5.896760933305299, null, -1e300, 2.5], type: 'DOUBLE' },
      { name: 'f', data: [0.5, null, 1.25, -3, 7], type: 'FLOAT' },
      { name: 'treated', data: [true, false, null, true, false], type: 'BOOLEAN' },
    ],
    ...(rowGroupSize ? { rowGroupSize } : {}),
  });
  return Buffer.from(ab);
}

for (const rg of [undefined, 2]) {
  test(`parquet columns, nulls, renaming${rg ? ' (several row groups)' : ''}`, async () => {
    const r = await readParquet(fixture(rg), 'p.parquet');
    const t = r.table;
    assert.equal(t.nrows, 5);
    assert.deepEqual(t.names, ['city', 'year', 'pop', 'gdp_pc', 'f', 'treated']);
    assert.deepEqual(strings(str(t, 'city')), ['北京', 'Shanghai', '', 'Shanghai', 'x']);
    assert.deepEqual(str(t, 'city').levels, ['北京', 'Shanghai', 'x']);
    assert.deepEqual(values(num(t, 'year')), [2003, 2004, 2005, NaN, 2007]);
    assert.deepEqual(values(num(t, 'pop')), [1, -2, 9007199254740992, NaN, 0]);
    assert.ok(r.warnings.some((w) => /2\^53/.test(w)));
    assert.deepEqual(values(num(t, 'gdp_pc')), [0.1, 5.896760933305299, NaN, -1e300, 2.5]);
    assert.equal(num(t, 'gdp_pc').renamedFrom, 'gdp.pc');
    assert.deepEqual(r.renamed, [{ from: 'gdp.pc', to: 'gdp_pc' }]);
    assert.deepEqual(values(num(t, 'f')), [0.5, NaN, 1.25, -3, 7]);
    assert.deepEqual(values(num(t, 'treated')), [1, 0, NaN, 1, 0]);
    assert.equal(num(t, 'year').isInteger, true);
  });
}

test('parquet through loadDataset; sync loading says to use the async one; corrupt file', async () => {
  const tmp = tempDir('pq');
  try {
    const p = tmp.file('d.parquet', fixture());
    const d = await loadDataset(p);
    assert.equal(d.format, 'parquet');
    assert.equal(d.table.nrows, 5);
    assert.equal(dataError(() => loadDatasetSync(p)).code, 'unsupported');
    const bad = tmp.file('bad.parquet', Buffer.from('PAR1 this is not really parquet PAR1'));
    assert.equal((await dataErrorAsync(loadDataset(bad))).code, 'corrupt');
    const cut = tmp.file('cut.parquet', fixture().subarray(0, 100));
    assert.equal((await dataErrorAsync(loadDataset(cut))).code, 'corrupt');
  } finally {
    tmp.cleanup();
  }
});
