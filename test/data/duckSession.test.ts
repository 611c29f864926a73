// The lazy backend's DuckDB session: one instance opened on first use with the settings given,
// query progress reported while a query runs, a cancel that interrupts the query and leaves the
// session usable, DuckDB's errors reworded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { DuckSession } from '../../server/src/data/duck/session';
import { DuckCancelled, duckErrorMessage } from '../../server/src/data/duck/errors';

test('settings reach DuckDB: memory limit, temp folder, threads', async () => {
  const duck = new DuckSession({ memoryLimit: '512MB', tempDirectory: tmpdir(), threads: 1 });
  try {
    assert.equal(duck.isOpen, false, 'opened lazily');
    const [r] = await duck.all(`SELECT current_setting('memory_limit') AS m, current_setting('temp_directory') AS t, current_setting('threads') AS n`);
    assert.match(String(r.m), /^(488\.2 MiB|512\.0 MB|512 MB)$/);
    assert.equal(r.t, tmpdir());
    assert.equal(r.n, 1);
  } finally {
    duck.close();
  }
});

test('progress is reported while a query runs; a cancel interrupts it and the session stays usable', async () => {
  const duck = new DuckSession({ threads: 1 });
  try {
    await duck.run(`CREATE TABLE t AS SELECT i, hash(i) % 1000 AS h FROM range(4000000) t(i)`);
    const heavy = `SELECT h, count(DISTINCT i % 1000003) AS k FROM t GROUP BY h`;
    const seen: number[] = [];
    await duck.all(heavy, { onProgress: (f) => seen.push(f) });
    assert.ok(seen.length > 0, 'progress reported');
    assert.ok(seen.every((f) => f >= 0 && f <= 1), `fractions in [0, 1]: ${seen.join(' ')}`);
    const ctl = new AbortController();
    const t0 = Date.now();
    const cancelled = duck.all(heavy, { signal: ctl.signal, onProgress: () => ctl.abort() });
    await assert.rejects(cancelled, DuckCancelled);
    assert.ok(Date.now() - t0 < 30_000);
    const [r] = await duck.all('SELECT count(*) AS n FROM t');
    assert.equal(r.n, 4000000, 'the session works after a cancel');
    // an already aborted signal runs nothing
    await assert.rejects(duck.run('CREATE TABLE u AS SELECT 1', { signal: ctl.signal }), DuckCancelled);
    assert.deepEqual(await duck.all(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'u'`), [{ n: 0 }]);
  } finally {
    duck.close();
  }
});

test("DuckDB's errors are reworded for a spec's user", () => {
  assert.match(duckErrorMessage(new Error('IO Error: Could not write file "/tmp/x/duckdb_temp_storage-0.tmp": No space left on device')), /ran out of temporary disk space.*tempDirectory/);
  assert.match(duckErrorMessage(new Error('Out of Memory Error: failed to allocate data of size 16.0 MiB (3.0 GiB/3.0 GiB used)')), /ran out of memory.*memoryLimit/);
  assert.match(duckErrorMessage(new Error('Out of Memory Error: failed to offload data block of size 256.0 KiB (10.0 GiB/10.0 GiB used).\nThis limit was set by the \'max_temp_directory_size\' setting.')), /temporary disk space/);
  const csv = 'Conversion Error: CSV Error on Line: 30002\nOriginal Line: abc,1\nError when converting column "a". Could not convert string "abc" to \'BIGINT\'\n\nColumn a is being converted as type BIGINT';
  assert.match(duckErrorMessage(new Error(csv)), /^line 30002 of the file: column a holds "abc", which is not a number/);
  assert.equal(duckErrorMessage(new Error('Binder Error: Referenced column "zz" not found')), 'Referenced column "zz" not found');
});
