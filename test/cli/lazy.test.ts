// Lazy data through the CLI on Parquet that DuckDB itself writes (COPY ... TO in a temp folder): a
// file, a glob of hive partitions, a compressed CSV and the size threshold open in DuckDB; the
// results equal the in-memory run's; bad input (a glob matching nothing, files whose columns
// differ, a string in arithmetic, a command without a SQL twin) gives a clear message, and nothing
// is written next to the data.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REF, runSpecText, workDir } from './helpers';

let dir = '';

async function duckSql(statements: string[]): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await inst.connect();
  for (const s of statements) await conn.run(s);
  conn.closeSync();
  inst.closeSync();
}

before(async () => {
  dir = workDir(['mpdta.csv']);
  mkdirSync(join(dir, 'parts'));
  mkdirSync(join(dir, 'mixed'));
  const csv = join(REF, 'data', 'mpdta.csv');
  const src = `read_csv('${csv}', header = true)`;
  await duckSql([
    // one file, its rows in the CSV's order
    `COPY (SELECT * FROM ${src}) TO '${join(dir, 'mpdta.parquet')}' (FORMAT parquet)`,
    // hive partitions by year (the glob reads year back from the folder names)
    `COPY (SELECT * FROM ${src}) TO '${join(dir, 'parts')}' (FORMAT parquet, PARTITION_BY (year))`,
    // the same rows in year order as one CSV, for the in-memory twin of the glob
    `COPY (SELECT * EXCLUDE (year), year FROM ${src} ORDER BY year) TO '${join(dir, 'by_year.csv')}' (HEADER)`,
    `COPY (SELECT * FROM ${src}) TO '${join(dir, 'mpdta.csv.gz')}' (HEADER, COMPRESSION gzip)`,
    `COPY (SELECT 1.5 AS a, 2 AS b) TO '${join(dir, 'mixed', 'one.parquet')}' (FORMAT parquet)`,
    `COPY (SELECT 1.5 AS a, 'x' AS c) TO '${join(dir, 'mixed', 'two.parquet')}' (FORMAT parquet)`,
  ]);
});

type Row = Record<string, number | string | null>;
const summary = (json: { results: { kind: string; rows?: Row[] }[] }): Row[] => json.results.filter((r) => r.kind === 'summary').flatMap((r) => r.rows ?? []);

function assertSameSummary(lazy: Row[], mem: Row[]): void {
  assert.equal(lazy.length, mem.length);
  assert.ok(lazy.length > 0);
  lazy.forEach((r, i) => {
    for (const k of ['var', 'n', 'mean', 'sd', 'min', 'max']) {
      const a = r[k];
      const b = mem[i][k];
      if (typeof a === 'number' && typeof b === 'number') assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${r.var} ${k}: lazy ${a}, in memory ${b}`);
      else assert.equal(a, b, `${r.var} ${k}`);
    }
  });
}

const STEPS = `gen post = year >= first_treat & first_treat > 0
gen y = lemp * post - lpop / 3 if year > 2003
replace y = 0 if y == .
egen ybar = mean(lemp), by(countyreal)
keep if lemp > 3 | post
xtset countyreal year
gen dl = D.lemp
summarize lemp lpop post y ybar dl`;

test('a Parquet file opened lazily gives the in-memory results', () => {
  const lazy = runSpecText(`use "mpdta.parquet", lazy\n${STEPS}\n`, { dir });
  assert.equal(lazy.status, 0, lazy.stderr);
  assert.equal(lazy.json.results[0].lazy, true);
  assert.equal(lazy.json.results[0].rows, 2500);
  const mem = runSpecText(`use "mpdta.csv"\n${STEPS}\n`, { dir });
  assert.equal(mem.status, 0, mem.stderr);
  assert.equal(mem.json.results[0].lazy, undefined);
  assertSameSummary(summary(lazy.json), summary(mem.json));
});

test('a glob of hive-partitioned Parquet files reads every part, the partition column included', () => {
  const spec = (use: string) => `${use}\nsummarize lemp lpop year\ngen k = _n\nsummarize k if year == 2006\n`;
  const lazy = runSpecText(spec('use "parts/*/*.parquet"'), { dir });
  assert.equal(lazy.status, 0, lazy.stderr);
  assert.equal(lazy.json.results[0].lazy, true, 'a glob opens lazily without being asked');
  assert.equal(lazy.json.results[0].rows, 2500);
  const mem = runSpecText(spec('use "by_year.csv"'), { dir });
  assert.equal(mem.status, 0, mem.stderr);
  assertSameSummary(summary(lazy.json), summary(mem.json));
});

test('a compressed CSV opens lazily; --lazy-threshold opens a small file lazily too', () => {
  const gz = runSpecText(`use "mpdta.csv.gz"\nsummarize\n`, { dir });
  assert.equal(gz.status, 0, gz.stderr);
  assert.equal(gz.json.results[0].lazy, true);
  const small = runSpecText(`use "mpdta.csv"\nsummarize\n`, { dir, args: ['--lazy-threshold', '1000'] });
  assert.equal(small.status, 0, small.stderr);
  assert.equal(small.json.results[0].lazy, true);
  const mem = runSpecText(`use "mpdta.csv"\nsummarize\n`, { dir });
  assertSameSummary(summary(gz.json), summary(mem.json));
  assertSameSummary(summary(small.json), summary(mem.json));
});

test('materialize loads the reduced lazy data for the commands without a SQL twin', () => {
  const r = runSpecText(`use "mpdta.parquet", lazy\nkeep if year >= 2005\nkeep year countyreal lemp\nmaterialize\ntabulate year\n`, { dir });
  assert.equal(r.status, 0, r.stderr);
  const tab = r.json.results.find((x: { kind: string }) => x.kind === 'tabulate');
  assert.deepEqual(tab.rows.map((x: { value: string; freq: number }) => [x.value, x.freq]), [['2005', 500], ['2006', 500], ['2007', 500]]);
});

test('bad input on lazy data: clear messages at the statement, nothing written next to the data', () => {
  const before = readdirSync(dir).sort();
  const none = runSpecText(`use "nothing/*.parquet"\nsummarize\n`, { dir });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /spec\.pspec:1:1: error: .*no file matches .*nothing\/\*\.parquet/);

  const mixed = runSpecText(`use "mixed/*.parquet"\nsummarize\n`, { dir });
  assert.equal(mixed.status, 2);
  assert.match(mixed.stderr, /do not have the same columns: b is in .*one\.parquet but not in .*two\.parquet/);

  // a string column of the file used in arithmetic (the check cannot know its type: the file is not loaded)
  const str = runSpecText(`use "mixed/two.parquet", lazy\ngen z = a + c * 2\n`, { dir });
  assert.equal(str.status, 2, str.stderr);
  assert.match(str.stderr, /spec\.pspec:2:13: error: type mismatch: cannot combine a string and a number with \*/);

  const fn = runSpecText(`use "mpdta.parquet", lazy\ngen s = string(lemp)\n`, { dir });
  assert.equal(fn.status, 2);
  assert.match(fn.stderr, /spec\.pspec:2:9: error: string\(\) does not run on lazy data yet/);

  // the checker and the runtime agree on which commands run on lazy data
  const checked = runSpecText(`use "mpdta.parquet", lazy\ntabulate year\n`, { dir });
  assert.equal(checked.status, 1);
  assert.match(checked.stderr, /spec\.pspec:2:1: error: tabulate does not run on lazy data .*materialize/);
  const ran = runSpecText(`use "mpdta.parquet", lazy\ntabulate year\n`, { dir, args: ['--no-check'] });
  assert.equal(ran.status, 2);
  assert.match(ran.stderr, /spec\.pspec:2:1: error: tabulate does not run on lazy data/);

  const after = readdirSync(dir).filter((f) => f !== 'out.json' && f !== 'spec.pspec').sort();
  assert.deepEqual(after, before.filter((f) => f !== 'out.json' && f !== 'spec.pspec'));
});
