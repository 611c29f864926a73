// Hostile input over the language server (issue #14): a huge macro or operator chain answers in
// bounded time, and a statement the checker refuses keeps the other statements' diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, repoRoot } from './lspClient';

const uri = pathToFileURL(join(repoRoot, 'test', 'reference', 'data', 'lsp_hostile.pspec')).href;

test('macro doubling and a 6,000-term chain: diagnostics for every statement, quickly', { timeout: 60000 }, async () => {
  const c = new LspClient();
  try {
    await c.initialize();
    const text = [
      'use "mpdta.csv"',
      'global a lpop',
      ...Array(22).fill('global a $a $a'),
      'gen z = ' + Array(6000).fill('1').join(' + '),
      'summarize lemq',
    ].join('\n');
    const t0 = Date.now();
    c.open(uri, text);
    const ds = await c.waitDiagnostics(uri, (d) => d.length >= 3, 20000);
    assert.ok(Date.now() - t0 < 20000);
    const at = ds.map((d) => `${d.range.start.line}: ${d.message.slice(0, 40)}`).sort();
    assert.deepEqual(at, [
      '18: global a would be longer than 645,200 ch', // the 17th doubling (0-based line 1 + 17)
      '24: expression nested more than 1,000 operat',
      '25: unknown variable `lemq` (did you mean `l',
    ]);
    // the server still answers
    const h = await c.hover(uri, 25, 2);
    assert.ok(h);
    assert.equal(c.exited, null);
  } finally {
    await c.close();
  }
});

test('a spec that uses a FIFO: the server answers with a diagnostic, does not block', { timeout: 30000, skip: process.platform === 'win32' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pspec-lsp-fifo-'));
  execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
  const u = pathToFileURL(join(dir, 'spec.pspec')).href;
  const c = new LspClient();
  try {
    await c.initialize({ trusted: true }, dir);
    c.open(u, 'use "pipe.csv"\nsummarize\n');
    const ds = await c.waitDiagnostics(u, (d) => d.length > 0, 15000);
    assert.match(ds[0].message, /not a data file/);
    const h = await c.hover(u, 1, 2);
    assert.ok(h);
  } finally {
    await c.close();
  }
});

test('a client that says nothing about trust gets an untrusted workspace: runs are refused, checks work', { timeout: 30000 }, async () => {
  const c = new LspClient();
  try {
    await c.initialize(null);
    const u = pathToFileURL(join(repoRoot, 'test', 'reference', 'data', 'lsp_untrusted.pspec')).href;
    c.open(u, 'use "mpdta.csv"\nsummarize lemq\n');
    const ds = await c.waitDiagnostics(u, (d) => d.length > 0);
    assert.match(ds[0].message, /unknown variable `lemq`/);
    const reply = await c.request('workspace/executeCommand', { command: 'panelspec.run', arguments: [{ uri: u }] });
    assert.equal(reply.ok, false);
    assert.match(reply.refused, /untrusted workspace/);
    // the client may grant trust later
    void c.conn.sendNotification('panelspec/trust', { trusted: true });
    c.change(u, 'use "mpdta.csv"\nsummarize lemp\n');
    await c.waitDiagnostics(u, (d) => d.length === 0);
    const ok = await c.request('workspace/executeCommand', { command: 'panelspec.run', arguments: [{ uri: u }] });
    assert.equal(ok.ok, true, JSON.stringify(ok));
  } finally {
    await c.close();
  }
});
