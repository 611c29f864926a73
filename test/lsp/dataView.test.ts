// `panelspec/data` over the protocol: the dataset a spec's data steps build, page by page, with
// sorting, an `if` filter, per-column profiles and the data as of a line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, repoRoot } from './lspClient';

const dataDir = join(repoRoot, 'test', 'reference', 'data');
const uri = pathToFileURL(join(dataDir, 'lsp_data_view.pspec')).href;
const SPEC = [
  'use "mpdta.csv"', // 0
  'gen post = treat * (year >= first_treat)', // 1
  'eststo m1: reghdfe lemp post, absorb(countyreal year) vce(cluster countyreal)', // 2
  'drop if year == 2003', // 3
  'esttab m1 using "never_written.tex", replace', // 4
].join('\n');

/** mpdta.csv as objects, numbers parsed. */
function mpdta(): Record<string, number>[] {
  const rows = readFileSync(join(dataDir, 'mpdta.csv'), 'utf8').trim().split(/\r?\n/);
  const head = rows[0].split(',').map((h) => h.replace(/"/g, '').replace('.', '_'));
  return rows.slice(1).map((r) => Object.fromEntries(r.split(',').map((v, i) => [head[i], Number(v)])));
}

let c: LspClient;
before(async () => {
  c = new LspClient();
  await c.initialize({ trusted: true });
  c.open(uri, SPEC);
}, { timeout: 20000 });
after(async () => {
  await c.close();
});

test('rows 0..50 of the data after the line: gen post computed, total 2500', { timeout: 30000 }, async () => {
  const page = await c.request('panelspec/data', { uri, offset: 0, limit: 50, line: 2 });
  assert.equal(page.total, 2500);
  assert.equal(page.offset, 0);
  assert.equal(page.rows.length, 50);
  const names = page.columns.map((x: any) => x.name);
  assert.deepEqual(names, ['year', 'countyreal', 'lpop', 'lemp', 'first_treat', 'treat', 'post']);
  assert.ok(page.columns.every((x: any) => x.type === 'numeric'));
  const data = mpdta();
  const iPost = names.indexOf('post');
  const iYear = names.indexOf('year');
  for (let i = 0; i < 50; i++) {
    const o = data[i];
    assert.equal(page.rows[i][iYear], o.year);
    assert.equal(page.rows[i][iPost], o.treat * (o.year >= o.first_treat ? 1 : 0), `row ${i}`);
  }
  assert.ok(page.rows.some((r: any[]) => r[iPost] === 1), 'some treated rows in the first 50');
});

test('the whole file: drop if year == 2003 applied, esttab not run; a later page', { timeout: 30000 }, async () => {
  const page = await c.request('panelspec/data', { uri, offset: 1990, limit: 50 });
  assert.equal(page.total, 2000);
  assert.equal(page.rows.length, 10);
  const iYear = page.columns.findIndex((x: any) => x.name === 'year');
  assert.ok(page.rows.every((r: any[]) => r[iYear] !== 2003));
});

test('sort, filter and profiles', { timeout: 30000 }, async () => {
  const data = mpdta();
  const sorted = await c.request('panelspec/data', { uri, offset: 0, limit: 3, line: 1, sort: { column: 'lemp', descending: true }, profile: true });
  const iLemp = sorted.columns.findIndex((x: any) => x.name === 'lemp');
  const top = data.map((o) => o.lemp).sort((a, b) => b - a).slice(0, 3);
  assert.deepEqual(sorted.rows.map((r: any[]) => r[iLemp]), top);
  const prof = sorted.columns[iLemp].profile;
  assert.equal(prof.n, 2500);
  assert.ok(Math.abs(prof.mean - data.reduce((s, o) => s + o.lemp, 0) / 2500) < 1e-9);
  const filtered = await c.request('panelspec/data', { uri, offset: 0, limit: 5000, line: 1, filter: 'post == 1 & year == 2007' });
  const expect = data.filter((o) => o.treat * (o.year >= o.first_treat ? 1 : 0) === 1 && o.year === 2007).length;
  assert.equal(filtered.total, expect);
  assert.ok(expect > 0);
  await assert.rejects(c.request('panelspec/data', { uri, offset: 0, limit: 5, filter: 'nosuchvar > 1' }), /filter: .*nosuchvar/);
});

test('a spec whose data step fails: the error names its line', { timeout: 30000 }, async () => {
  const u2 = pathToFileURL(join(dataDir, 'lsp_data_view_bad.pspec')).href;
  c.open(u2, 'use "mpdta.csv"\ngen x = nosuch + 1\n');
  await assert.rejects(c.request('panelspec/data', { uri: u2, offset: 0, limit: 5 }), /line 2: .*nosuch/);
});

test('the table is cached by what the data steps say: editing a model line re-runs nothing; a filter and sort apply to the cache', { timeout: 30000 }, async () => {
  const { DataViewService } = await import('../../server/src/lsp/dataView');
  const { runDataSteps } = await import('../../server/src/lsp/dataSteps');
  const { buildCatalog } = await import('../../server/src/data/catalog');
  let text = 'use "mpdta.csv"\nxtset countyreal year\ngen g = lemp - L.lemp\nreg lemp lpop\n';
  let runs = 0;
  const svc = new DataViewService(
    () => ({ text, version: 1, file: join(dataDir, 'cache_test.pspec') }),
    async (req) => {
      runs++;
      const r = await runDataSteps(req);
      return r.ok ? { ...r, catalog: buildCatalog(r.table) } : r;
    },
  );
  const a = await svc.page({ uri: 'u', offset: 0, limit: 10 });
  assert.equal(runs, 1);
  text = text.replace('reg lemp lpop', 'reghdfe lemp lpop, absorb(year)');
  const b = await svc.page({ uri: 'u', offset: 0, limit: 10 });
  assert.equal(runs, 1, 'a model edit does not re-run the data steps');
  assert.deepEqual(b.rows, a.rows);
  // a filter using the panel (L. needs xtset), with its own profiles, and a sort over the filtered rows
  const data = mpdta();
  const f = await svc.page({ uri: 'u', offset: 0, limit: 5000, filter: 'L.lemp < lemp & year == 2005', sort: { column: 'lemp', descending: true }, profile: true });
  const lag = new Map(data.map((o) => [`${o.countyreal}|${o.year}`, o.lemp]));
  const expect = data.filter((o) => o.year === 2005 && (lag.get(`${o.countyreal}|2004`) as number) < o.lemp).map((o) => o.lemp).sort((x, y) => y - x);
  assert.equal(runs, 1, 'the filter is applied to the cached table');
  assert.equal(f.unfiltered, 2500);
  assert.equal(f.total, expect.length);
  assert.ok(expect.length > 10 && expect.length < 500);
  const iLemp = f.columns.findIndex((x) => x.name === 'lemp');
  assert.deepEqual(f.rows.map((r) => r[iLemp]), expect);
  const prof = f.columns[iLemp].profile as { n: number; max: number };
  assert.equal(prof.n, expect.length, 'profiles describe the filtered rows');
  assert.equal(prof.max, expect[0]);
  await assert.rejects(svc.page({ uri: 'u', offset: 0, limit: 5, filter: 'year >' }), /filter: /);
  await assert.rejects(svc.page({ uri: 'u', offset: 0, limit: 5, sort: { column: 'nosuch' } }), /no column nosuch/);
  // a data step edit re-runs; reload re-runs
  text = text.replace('gen g = lemp - L.lemp', 'gen g = lemp + 1');
  await svc.page({ uri: 'u', offset: 0, limit: 1 });
  assert.equal(runs, 2);
  await svc.page({ uri: 'u', offset: 0, limit: 1, reload: true });
  assert.equal(runs, 3);
});

test('a .dta with value labels: the viewer gets each labelled column\'s [value, label] pairs', { timeout: 30000 }, async () => {
  const { writeDta } = await import('../../server/src/data/dta-write');
  const { DataTable } = await import('../../server/src/data/table');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'pspec-dv-'));
  const t = new DataTable(3, [
    { kind: 'numeric', name: 'g', values: Float64Array.from([1, 0, 2]), valueLabels: new Map([[1, 'treated'], [0, 'control']]) },
    { kind: 'numeric', name: 'y', values: Float64Array.from([1.5, 2.5, 3.5]) },
  ]);
  writeDta(t, join(dir, 'lab.dta'));
  const u = pathToFileURL(join(dir, 'lab.pspec')).href;
  c.open(u, 'use "lab.dta"\n');
  const page = await c.request('panelspec/data', { uri: u, offset: 0, limit: 10 });
  assert.deepEqual(page.rows, [[1, 1.5], [0, 2.5], [2, 3.5]], 'the values themselves travel');
  assert.deepEqual(new Map(page.columns[0].valueLabels), new Map([[0, 'control'], [1, 'treated']]));
  assert.equal(page.columns[1].valueLabels, undefined);
});
