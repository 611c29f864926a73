// The data viewer on lazy data: pages, sorts and `if` filters run as DuckDB queries over the view
// the data steps leave, and show the same rows as the viewer on the same steps in memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DataViewService } from '../../server/src/lsp/dataView';

const dataDir = join(__dirname, '..', '..', '..', 'test', 'reference', 'data');
const STEPS = ['gen post = treat * (year >= first_treat)', 'drop if year == 2003', 'gen grow = lemp - L.lemp'];

function service(lazy: boolean): DataViewService {
  const text = [`use "mpdta.csv"${lazy ? ', lazy' : ''}`, 'xtset countyreal year', ...STEPS].join('\n');
  return new DataViewService(() => ({ text, version: 1, file: join(dataDir, lazy ? 'lazy_view.pspec' : 'mem_view.pspec') }));
}

test('lazy pages, sorts and filters equal the in-memory viewer', { timeout: 120000 }, async () => {
  const lazy = service(true);
  const mem = service(false);
  try {
    const requests = [
      { offset: 0, limit: 40 },
      { offset: 1980, limit: 40 },
      { offset: 0, limit: 30, sort: { column: 'grow', descending: true } },
      { offset: 1990, limit: 30, sort: { column: 'grow', descending: false } },
      { offset: 0, limit: 25, filter: 'post == 1 & grow > 0' },
      { offset: 5, limit: 25, filter: 'grow == . | lemp < 3', sort: { column: 'lemp', descending: false } },
    ];
    for (const r of requests) {
      const a = await lazy.page({ uri: 'file:///lazy', ...r });
      const b = await mem.page({ uri: 'file:///mem', ...r });
      const what = JSON.stringify(r);
      assert.deepEqual(a.columns.map((c) => [c.name, c.type]), b.columns.map((c) => [c.name, c.type]), what);
      assert.equal(a.total, b.total, what);
      assert.equal(a.unfiltered, b.unfiltered, what);
      assert.equal(a.rows.length, b.rows.length, what);
      a.rows.forEach((row, i) =>
        row.forEach((v, j) => {
          const w = b.rows[i][j];
          if (typeof v === 'number' && typeof w === 'number') assert.ok(Math.abs(v - w) <= 1e-12 * Math.max(1, Math.abs(w)), `${what} row ${i} col ${j}: ${v} vs ${w}`);
          else assert.equal(v, w, `${what} row ${i} col ${j}`);
        }),
      );
    }
    assert.equal((await lazy.page({ uri: 'file:///lazy', offset: 0, limit: 1 })).unfiltered, 2000);
    await assert.rejects(lazy.page({ uri: 'file:///lazy', offset: 0, limit: 5, filter: 'string(lemp) == "1"' }), /filter: string\(\) does not run on lazy data/);
  } finally {
    lazy.forget('file:///lazy');
  }
});
