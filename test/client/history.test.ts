// The results history: records built from two real CLI runs on different data (same file name,
// other bytes), kept in a store on disk (write, read back, list newest first, cap, index rebuilt),
// compared (the differences of the two runs' estimates and SEs), and drawn (escaped, labelled).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSpecText, workDir } from '../cli/helpers';
import { buildRecord } from '../../client/src/history/recordRun';
import { HistoryStore } from '../../client/src/history/historyStore';
import { compareRuns } from '../../client/src/history/compareRuns';
import { runSeeds, type RunRecord } from '../../client/src/history/runRecord';
import { buildHistoryPage, buildRunPage } from '../../client/src/webview/historyPage';
import type { ResultsParams } from '../../server/src/protocol';
import type { RunOutput } from '../../server/src/results/types';

const SPEC = `use "mpdta.csv"
xtset countyreal year
gen post = treat * (year >= first_treat)
set seed 42
eststo m1: reghdfe lemp post, absorb(countyreal year) cluster(countyreal)
reghdfe lemp post lpop, absorb(year) cluster(countyreal)
boottest post, reps(99)
`;

/** Runs SPEC through the CLI in `dir` (which holds its mpdta.csv) and returns the notification the server would send. */
function cliRun(dir: string): ResultsParams {
  const r = runSpecText(SPEC, { dir });
  assert.equal(r.status, 0, r.stderr);
  return { uri: `file://${join(dir, 'spec.pspec')}`, output: r.json as RunOutput, text: SPEC, seconds: 1.5 };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const opts = { cspSource: 'vscode-webview://x', nonce: 'N0NCE', display: { decimals: 4, stars: [0.1, 0.05, 0.01] }, fileLabel: 'spec.pspec', maxRuns: 3 };

// Run A on mpdta.csv as published; run B on a mpdta.csv without the 2003 rows (other bytes, same name).
const dirA = workDir(['mpdta.csv']);
const dirB = workDir(['mpdta.csv']);
const lines = readFileSync(join(dirB, 'mpdta.csv'), 'utf8').trim().split('\n');
const yearCol = lines[0].split(',').indexOf('year');
writeFileSync(join(dirB, 'mpdta.csv'), [lines[0], ...lines.slice(1).filter((l) => l.split(',')[yearCol] !== '2003')].join('\n') + '\n');
const paramsA = cliRun(dirA);
const paramsB = cliRun(dirB);
// both runs as one spec's history (the same uri): the data changed between them
paramsB.uri = paramsA.uri;

test('a record carries the version, the seeds and the SHA-256 of the data it read', async () => {
  const rec = await buildRecord(paramsA, { version: '9.9.9', time: new Date('2026-12-06T10:00:00Z'), seq: 1, specDir: dirA });
  assert.equal(rec.id, '2026-12-06T10-00-00-000Z-001');
  assert.equal(rec.version, '9.9.9');
  assert.equal(rec.seconds, 1.5);
  // `set seed 42` on line 4, and boottest on line 7 drew with it (the session's seed)
  assert.deepEqual(rec.seeds, [
    { line: 4, source: 'set seed', seed: 42 },
    { line: 7, source: 'boottest', seed: 42 },
  ]);
  const bytes = readFileSync(join(dirA, 'mpdta.csv'));
  assert.equal(rec.data.length, 1);
  assert.equal(rec.data[0].file, 'mpdta.csv');
  assert.equal(rec.data[0].scope, 'full');
  assert.equal(rec.data[0].size, bytes.length);
  assert.equal(rec.data[0].sha256, sha256(bytes));
  // over the limit only the first MiB is hashed, and the record says so
  const big = await buildRecord(paramsA, { version: '9.9.9', time: new Date(), seq: 2, specDir: dirA, fullHashLimit: 1000 });
  assert.equal(big.data[0].scope, 'first-1MiB');
  assert.equal(big.data[0].sha256, sha256(bytes.subarray(0, 1024 * 1024)));
  // a data file gone since the run: said, not thrown
  const gone = await buildRecord({ ...paramsA, output: { ...paramsA.output, results: [{ kind: 'data', file: 'nothere.csv', rows: 1, columns: 1, seconds: 0 }] } }, { version: 'v', time: new Date(), seq: 3, specDir: dirA });
  assert.equal(gone.data[0].missing, 'ENOENT');
  // the vcov matrices are not kept
  assert.ok(!JSON.stringify(rec.output).includes('vcov_matrix'));
});

test('seeds: set seed lines outside comments, and each randomised command\'s seed', () => {
  const text = 'set seed 7\n* set seed 8\n/* set seed 9 */\n/*\nset seed 10\n*/\n  set   seed 11 // the second\n';
  assert.deepEqual(runSeeds(text, [{ kind: 'placebo', line: 9, seed: 3, seconds: 0 } as never]), [
    { line: 1, source: 'set seed', seed: 7 },
    { line: 7, source: 'set seed', seed: 11 },
    { line: 9, source: 'placebo', seed: 3 },
  ]);
});

test('the store keeps runs, lists them newest first, caps them and compares two', async () => {
  const root = mkdtempSync(join(tmpdir(), 'pspec-history-'));
  let max = 3;
  const store = new HistoryStore(root, () => max);
  const recA = await buildRecord(paramsA, { version: '0.1.0', time: new Date('2026-12-06T10:00:00Z'), seq: 1, specDir: dirA });
  const recB = await buildRecord(paramsB, { version: '0.1.0', time: new Date('2026-12-06T10:05:00Z'), seq: 2, specDir: dirB });
  assert.notEqual(recA.data[0].sha256, recB.data[0].sha256, 'other bytes, other hash');
  await store.add(recB); // added out of order: the list still sorts by time
  await store.add(recA);
  const listed = await store.list(paramsA.uri);
  assert.deepEqual(listed.map((r) => r.id), [recB.id, recA.id]);
  assert.deepEqual(listed[0].models, ['m1', 'reghdfe lemp']);
  assert.deepEqual(await store.read(paramsA.uri, recA.id), JSON.parse(JSON.stringify(recA)));
  assert.equal(await store.read(paramsA.uri, '../../etc/passwd'), undefined);
  assert.equal(await store.read('file:///other.pspec', recA.id), undefined);

  // the comparison: every coefficient of m1 and of the unnamed model (matched by its line text)
  const a = (await store.read(paramsA.uri, recA.id))!;
  const b = (await store.read(paramsA.uri, recB.id))!;
  const cmp = compareRuns(b, a); // picked newest first: shown oldest first
  assert.equal(cmp.a.id, recA.id);
  assert.deepEqual(cmp.models.map((m) => m.key), ['name:m1', 'text:reghdfe lemp post lpop, absorb(year) cluster(countyreal)']);
  const coefOf = (p: ResultsParams, line: number, term: string) => {
    const r = p.output.results.find((x) => x.line === line && x.kind === 'estimation') as { coefficients: { term: string; estimate: number; se: number }[]; nobs: number };
    return { ...r.coefficients.find((c) => c.term === term)!, nobs: r.nobs };
  };
  for (const [m, line, terms] of [
    [cmp.models[0], 5, ['post']],
    [cmp.models[1], 6, ['post', 'lpop']],
  ] as const) {
    assert.deepEqual(m.rows.map((r) => r.term), terms);
    for (const term of terms) {
      const ca = coefOf(paramsA, line, term);
      const cb = coefOf(paramsB, line, term);
      const row = m.rows.find((r) => r.term === term)!;
      assert.deepEqual(row.a, { estimate: ca.estimate, se: ca.se });
      assert.deepEqual(row.b, { estimate: cb.estimate, se: cb.se });
      assert.equal(row.diff!.estimate, cb.estimate - ca.estimate);
      assert.equal(row.diff!.se, cb.se - ca.se);
      assert.ok(Math.abs(row.diff!.estimate) > 1e-6, `dropping 2003 moves ${term} (${row.diff!.estimate})`);
    }
    // 2003 held 500 county-years: B has 500 fewer observations
    assert.equal(m.nobsA! - m.nobsB!, 500);
  }
  // the page shows both runs' numbers and the difference, at the panel's decimals
  const html = buildHistoryPage(await store.list(paramsA.uri), opts, cmp);
  const post = coefOf(paramsA, 5, 'post');
  const postB = coefOf(paramsB, 5, 'post');
  const row = new RegExp(`<tr class="ps-cmp-row" data-term="post">.*?</tr>`).exec(html)![0];
  for (const x of [post.estimate, post.se, postB.estimate, postB.se, postB.estimate - post.estimate, postB.se - post.se]) assert.ok(row.includes(`>${x.toFixed(4).replace(/^-0\.0000$/, '0.0000')}<`), `${x.toFixed(4)} in ${row}`);
  assert.match(html, /class="ps-pick" value="[^"]+" aria-label="[^"]+" checked/);

  // the cap: a third and a fourth run push the oldest out, on disk too
  const later = async (min: number) => {
    const r = await buildRecord(paramsA, { version: '0.1.0', time: new Date(`2026-12-06T10:${min}:00Z`), seq: min, specDir: dirA });
    await store.add(r);
    return r;
  };
  const c = await later(10);
  const d = await later(15);
  assert.deepEqual((await store.list(paramsA.uri)).map((r) => r.id), [d.id, c.id, recB.id]);
  const folder = store.folderOf(paramsA.uri);
  assert.deepEqual(readdirSync(folder).sort(), ['index.json', `${c.id}.json`, `${d.id}.json`, `${recB.id}.json`].sort());
  assert.equal(await store.read(paramsA.uri, recA.id), undefined);
  // a lost index is rebuilt from the run files; a corrupt run file is skipped
  rmSync(join(folder, 'index.json'));
  writeFileSync(join(folder, '2026-12-06T09-00-00-000Z-000.json'), '{"truncated');
  assert.deepEqual((await store.list(paramsA.uri)).map((r) => r.id), [d.id, c.id, recB.id]);
  // the cap lowered: the next run trims to it; 0 keeps nothing new
  max = 1;
  const e = await later(20);
  assert.deepEqual((await store.list(paramsA.uri)).map((r) => r.id), [e.id]);
  max = 0;
  await later(25);
  assert.deepEqual((await store.list(paramsA.uri)).map((r) => r.id), [e.id]);
  // never next to the data: everything went under the store's root
  assert.ok(folder.startsWith(root));
  assert.deepEqual(readdirSync(dirA).sort(), ['mpdta.csv', 'out.json', 'spec.pspec']);
});

test('a kept run is drawn read-only, labelled with its time, every string escaped', async () => {
  const rec: RunRecord = await buildRecord(paramsA, { version: '<b>v</b>', time: new Date(2026, 11, 6, 14, 5, 9), seq: 1, specDir: dirA });
  rec.output.results = rec.output.results.map((r) => (r.kind === 'estimation' && r.name ? { ...r, name: '<img src=x onerror=alert(1)>' } : r));
  const html = buildRunPage(rec, opts);
  assert.match(html, /Run of 14:05, not the current text\./);
  assert.ok(!html.includes('<img'), 'the hostile model name is text');
  assert.ok(!html.includes('<b>v</b>'));
  assert.ok(html.includes('&lt;b&gt;v&lt;/b&gt;'));
  assert.ok(!/data-action="(copy|export|svg|png|pdf|exportAll)"/.test(html), 'no buttons acting on current results');
  assert.match(html, /<table class="ps-table" id="t1-0">/);
  assert.match(html, /Seeds<\/dt><dd>42 \(set seed, line 4\); 42 \(boottest, line 7\)/);
  assert.match(html, new RegExp(`mpdta.csv: SHA-256 ${rec.data[0].sha256!.slice(0, 12)}`));
  // the list, hostile models escaped there too
  const list = buildHistoryPage([{ id: rec.id, time: rec.time, version: 'v', models: ['<script>x</script>'], results: 1, seeds: [], data: [] }], opts);
  assert.ok(!list.includes('<script>x'));
  assert.match(list, /1 run kept, newest first \(at most 3/);
  assert.match(list, /<button data-action="compare" class="ps-compare-button" disabled>/);
});
