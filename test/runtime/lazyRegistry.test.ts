// The command table's `lazy` field and the runtime's lazy handlers agree, and the checker refuses
// what the runtime refuses on lazy data (until `materialize`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { allCommands, lazyProblem } from '../../grammar/src/commands';
import { handlerFor, lazyHandlerNames } from '../../server/src/runtime/commands/registry';
import { checkSpecText } from '../../server/src/analysis/checkFile';

test('every command marked lazy: sql has a SQL handler, and only those', () => {
  const sql = allCommands().filter((c) => c.lazy === 'sql').map((c) => c.name).sort();
  assert.deepEqual(lazyHandlerNames().sort(), sql);
  for (const c of allCommands()) {
    if (c.prefix) continue;
    const lazyHandler = handlerFor(c, true);
    if (c.lazy) assert.ok(lazyHandler, `${c.name} runs on lazy data`);
    else {
      assert.equal(lazyHandler, undefined, `${c.name} has no lazy handler`);
      assert.match(lazyProblem(c) ?? '', new RegExp(`^${c.name} does not run on lazy data.*materialize`));
    }
  }
});

test('the checker refuses commands without a SQL twin on lazy data, until materialize', async () => {
  const file = join(tmpdir(), 'lazy-check.pspec');
  const a = await checkSpecText('use "panel.parquet", lazy\nsummarize y\ntabulate year\nmaterialize\ntabulate year\n', file);
  const lazy = a.diagnostics.filter((d) => d.code === 'lazy-data');
  assert.deepEqual(lazy.map((d) => [d.range.start.line, d.range.start.character]), [[2, 0]]);
  assert.match(lazy[0].message, /^tabulate does not run on lazy data/);
  const glob = await checkSpecText('use "data/*.parquet"\ncsdid y, ivar(id) time(t) gvar(g)\n', file);
  assert.equal(glob.diagnostics.filter((d) => d.code === 'lazy-data').length, 1, 'a glob is lazy without the option');
});
