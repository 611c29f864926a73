// Hovers follow edits: after a line is inserted above a model, hovering its coefficient shows that
// model's result (not the one of the statement that now sits on the old line); editing the model's
// own text makes its hover say it is stale; a new server given the results back (what the client
// does after Restart Server) answers the same hovers. Unit tests of the line mapping underneath.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, hoverText, repoRoot } from './lspClient';
import { lineMapping, locate } from '../../server/src/results/lineMap';

const uri = pathToFileURL(join(repoRoot, 'test', 'reference', 'data', 'lsp_follow.pspec')).href;
const TEXT = [
  'use "mpdta.csv"', // 0
  'xtset countyreal year', // 1
  'gen d = treat * (year >= first_treat)', // 2
  'eststo m1: reghdfe lemp d, absorb(countyreal year)', // 3
  'eststo m2: reghdfe lemp d lpop, absorb(year)', // 4
].join('\n');
const coefShown = (h: string): number => Number(/\*\*d\*\* = ([-0-9.e]+)/.exec(h)?.[1]);

test('line mapping: insertions, deletions, edits', () => {
  const m = lineMapping('a\nb\nccc\nd', 'a\nNEW\nb\nccc2\nd');
  assert.deepEqual([...m.to], [0, 2, 3, 4]);
  assert.deepEqual([...m.same], [1, 1, 0, 1]);
  assert.deepEqual(locate(m, 1, 1), { line: 2, stale: false });
  assert.deepEqual(locate(m, 2, 2), { line: 3, stale: true });
  assert.deepEqual(locate(m, 1, 2), { line: 2, stale: true });
  assert.deepEqual([...lineMapping('x\ny', 'y').to], [-1, 0]);
  assert.deepEqual(locate(lineMapping('x\ny\nz', 'x\nz'), 1, 1), { line: 1, stale: true });
  // an edited model after an inserted comment: found on its new line (not the comment's), stale
  const e = lineMapping('use\nm1: reghdfe y d, a(i)\nm2', 'use\n* note\nm1: reghdfe y d x, a(i)\nm2');
  assert.deepEqual(locate(e, 1, 1), { line: 2, stale: true });
  assert.deepEqual(locate(e, 2, 2), { line: 3, stale: false });
});

test('hovers follow inserted lines, go stale on an edit of the model, and come back after a restart', { timeout: 60000 }, async () => {
  const c = new LspClient();
  try {
    await c.initialize();
    c.open(uri, TEXT);
    await c.waitDiagnostics(uri, (d) => d.length === 0);
    const before = c.notifications.length;
    const reply = await c.request('workspace/executeCommand', { command: 'panelspec.run', arguments: [{ uri }] });
    assert.ok(reply.ok, JSON.stringify(reply));
    const note = c.notifications.slice(before).find((n) => n.method === 'panelspec/results')!;
    assert.equal(note.params.text, TEXT);
    assert.deepEqual(note.params.ends, { 1: 0, 4: 3, 5: 4 }); // results: the data, m1, m2
    const est = (name: string) => note.params.output.results.find((r: any) => r.name === name).coefficients.find((x: any) => x.term === 'd').estimate;
    const [b1, b2] = [est('m1'), est('m2')];
    assert.ok(Math.abs(b1 - b2) > 1e-3, 'the two models differ');
    const near = (x: number, y: number) => Math.abs(x - y) <= 1e-4 * Math.abs(y);
    assert.ok(near(coefShown(hoverText(await c.hover(uri, 3, 24))), b1));

    // a comment line inserted above m1: m1 is now on line 4, m2 on line 5
    const shifted = TEXT.replace('eststo m1', '* baseline\neststo m1');
    c.changeRange(uri, { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, '* baseline\n');
    const h3 = hoverText(await c.hover(uri, 4, 24));
    assert.ok(near(coefShown(h3), b1), `m1 after the shift: ${h3}`);
    assert.doesNotMatch(h3, /Stale/);
    assert.ok(near(coefShown(hoverText(await c.hover(uri, 5, 24))), b2));

    // m1's own text changes: its hover says stale; m2's does not
    c.changeRange(uri, { start: { line: 4, character: 25 }, end: { line: 4, character: 25 } }, ' lpop');
    const stale = hoverText(await c.hover(uri, 4, 24));
    assert.match(stale, /Stale/);
    assert.doesNotMatch(hoverText(await c.hover(uri, 5, 24)), /Stale/);

    // a fresh server (Restart Server) given the results back answers the same hovers
    const c2 = new LspClient();
    try {
      await c2.initialize();
      c2.open(uri, shifted);
      await c2.waitDiagnostics(uri, () => true);
      assert.equal(coefShown(hoverText(await c2.hover(uri, 4, 24))), NaN, 'no results before the restore');
      const moved = note.params.output.results.map((r: any) => ({ ...r, line: typeof r.line === 'number' && r.line >= 4 ? r.line + 1 : r.line }));
      void c2.conn.sendNotification('panelspec/restoreResults', { uri, output: { ...note.params.output, results: moved }, text: shifted, stale: [] });
      assert.ok(near(coefShown(hoverText(await c2.hover(uri, 4, 24))), b1));
      assert.ok(near(coefShown(hoverText(await c2.hover(uri, 5, 24))), b2));
    } finally {
      await c2.close();
    }
  } finally {
    await c.close();
  }
});
