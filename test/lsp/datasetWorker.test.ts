// Dataset loading in a worker thread (server/src/data/loadWorker.ts): the table and catalog equal the
// in-process ones, and the language server answers requests while a large file is still loading.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findLoadWorker, loadInWorker } from '../../server/src/data/loadWorker';
import { loadDataset } from '../../server/src/data/load';
import { buildCatalog } from '../../server/src/data/catalog';
import { DatasetCache } from '../../server/src/data/dataset-cache';
import { LspClient, hoverText } from './lspClient';

let dir: string;
let big: string;
const ROWS = 300_000;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'panelspec-loadworker-'));
  big = join(dir, 'big.csv');
  // a panel of 15,000 units x 20 years with a float, a string with missing values and a renamed column
  const lines = ['id,year,x,region,first.treat,a1,a2,a3,a4,a5'];
  for (let i = 0; i < ROWS; i++) {
    const id = Math.floor(i / 20);
    const x = Math.sin(i) * 100 + (i % 7) / 3;
    const extra = [1, 2, 3, 4, 5].map((k) => (Math.cos(i * k) * 1000).toFixed(6)).join(',');
    lines.push(`${id},${2000 + (i % 20)},${x},${i % 11 === 0 ? '' : 'r' + (id % 30)},${id % 4 === 0 ? 0 : 2005 + (id % 3)},${extra}`);
  }
  writeFileSync(big, lines.join('\n') + '\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('the worker bundle is found and loads the same table and catalog as in-process loading', { timeout: 60000 }, async () => {
  const wp = findLoadWorker();
  assert.ok(wp, 'dist/loadWorker.js is built');
  const w = await loadInWorker(wp!, big);
  const p = await loadDataset(big);
  assert.equal(w.table.nrows, ROWS);
  assert.deepEqual(w.table.names, p.table.names);
  for (const c of p.table.columns) {
    const d = w.table.get(c.name)!;
    assert.equal(d.kind, c.kind);
    if (c.kind === 'numeric' && d.kind === 'numeric') {
      assert.ok(d.values instanceof Float64Array);
      assert.deepEqual(d.values, c.values);
      assert.equal(d.isInteger, c.isInteger);
    } else if (c.kind === 'string' && d.kind === 'string') {
      assert.ok(d.codes instanceof Int32Array);
      assert.deepEqual(d.codes, c.codes);
      assert.deepEqual(d.levels, c.levels);
    }
  }
  assert.equal(w.table.get('first_treat')?.renamedFrom, 'first.treat');
  assert.deepEqual(w.catalog, buildCatalog(p.table));
  assert.deepEqual(w.renamed, p.renamed);
  // through the cache: the catalog the worker built is the one kept
  const cached = await new DatasetCache((path, o) => loadInWorker(wp!, path, o)).get(big);
  assert.ok(cached.ok);
  if (cached.ok) assert.deepEqual(cached.catalog, buildCatalog(p.table));
});

test('a load error in the worker comes back as a DataError with its code and line', { timeout: 30000 }, async () => {
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'a,b\n1,2\n3,"4\n');
  const wp = findLoadWorker()!;
  let inProc: any;
  try {
    await loadDataset(bad);
  } catch (e) {
    inProc = e;
  }
  await assert.rejects(loadInWorker(wp, bad), (e: any) => {
    assert.equal(e.name, 'DataError');
    assert.equal(e.code, inProc.code);
    assert.equal(e.detail, inProc.detail);
    assert.equal(e.line, inProc.line);
    return true;
  });
  await assert.rejects(loadInWorker(wp, join(dir, 'none.csv')), (e: any) => e.code === 'not-found');
});

test('the server answers a hover while a large dataset loads', { timeout: 60000 }, async () => {
  const c = new LspClient();
  try {
    await c.initialize({ trusted: true }, dir);
    const uri = pathToFileURL(join(dir, 'big.pspec')).href;
    c.open(uri, 'use "big.csv"\nreg x year\n');
    // requests made while the file parses are answered at once (in-process, parsing would stall them ~1 s)
    const latencies: number[] = [];
    let h = '';
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now();
      h = hoverText(await c.hover(uri, 0, 6)); // the path
      latencies.push(Date.now() - t0);
      if (!/loading…/.test(h)) break;
      await new Promise((r) => setTimeout(r, 40));
    }
    assert.ok(latencies.length >= 3, `the load outlasted several requests (${latencies.join(', ')} ms; last hover: ${h})`);
    assert.ok(Math.max(...latencies) < 400, `hover latencies while loading: ${latencies.join(', ')} ms`);
    const cmd = hoverText(await c.hover(uri, 1, 1)); // another kind of request
    assert.match(cmd, /regress DEPVAR/);
    // then the load finishes: the hover on the path shows its size
    let done = '';
    for (let i = 0; i < 300 && !/rows/.test(done); i++) {
      done = hoverText(await c.hover(uri, 0, 6));
      if (!/rows/.test(done)) await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(done, /300,000 rows × 10 columns/);
  } finally {
    await c.close();
  }
});
