// The client's side of the protocol against the real server: spawn the bundled CLI exactly as the
// extension does (serverCommand), initialize as the extension does, run a spec through
// `panelspec.run`, and draw the `panelspec/results` it sends with the webview page builder.
// Needs dist/cli.js (npm run build); skipped without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serverCommand } from '../../client/src/serverCommand';
import { parseResultsParams } from '../../client/src/protocol';
import { buildPage } from '../../client/src/webview/page';
import { applyRun } from '../../client/src/resultsState';

const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'dist/cli.js');

/** Minimal LSP over stdio: Content-Length framing, requests with ids, notifications collected. */
function lsp(cmd: { command: string; args: string[]; env: NodeJS.ProcessEnv }) {
  const child = spawn(cmd.command, cmd.args, { env: cmd.env, stdio: 'pipe' });
  let buf = Buffer.alloc(0);
  let id = 0;
  const pending = new Map<number, (m: { result?: unknown; error?: { message: string } }) => void>();
  const notes: { method: string; params: unknown }[] = [];
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const head = buf.indexOf('\r\n\r\n');
      if (head < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, head).toString())![1]);
      if (buf.length < head + 4 + len) return;
      const msg = JSON.parse(buf.subarray(head + 4, head + 4 + len).toString('utf8'));
      buf = buf.subarray(head + 4 + len);
      if (msg.id !== undefined && msg.method) send({ jsonrpc: '2.0', id: msg.id, result: msg.method === 'workspace/configuration' ? [{}] : null });
      else if (msg.id !== undefined) pending.get(msg.id)?.(msg);
      else {
        notes.push({ method: msg.method, params: msg.params });
        waiters.splice(0).forEach((w) => w());
      }
    }
  });
  const send = (m: unknown) => {
    const s = JSON.stringify(m);
    child.stdin.write(`Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`);
  };
  return {
    child,
    notes,
    request: (method: string, params: unknown) =>
      new Promise<unknown>((res, rej) => {
        const n = ++id;
        pending.set(n, (m) => (m.error ? rej(new Error(m.error.message)) : res(m.result)));
        send({ jsonrpc: '2.0', id: n, method, params });
      }),
    notify: (method: string, params: unknown) => send({ jsonrpc: '2.0', method, params }),
    waitFor: async (pred: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!pred()) {
        if (Date.now() > end) throw new Error('timed out');
        await new Promise<void>((r) => (waiters.push(r), setTimeout(r, 200)));
      }
    },
  };
}

test('real server: run a spec and draw its results', { skip: !existsSync(CLI) && 'dist/cli.js not built', timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pspec-client-'));
  copyFileSync(join(ROOT, 'test/reference/data/mpdta.csv'), join(dir, 'mpdta.csv'));
  const text = [
    'use "mpdta.csv"',
    'xtset countyreal year',
    'gen post = year >= first_treat & first_treat > 0',
    'gen d = treat * post',
    'eststo m1: reghdfe lemp d, absorb(countyreal year) vce(cluster countyreal)',
    'eventstudy lemp, treat(first_treat) window(-3 2) ref(-1) fe(countyreal year) cluster(countyreal)',
    'esttab m1',
    '',
  ].join('\n');
  const specPath = join(dir, 'spec.pspec');
  writeFileSync(specPath, text);
  const uri = pathToFileURL(specPath).toString();
  const s = lsp(serverCommand(CLI));
  try {
    await s.request('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).toString(), capabilities: {}, initializationOptions: { trusted: true, settings: { inlayHints: { enabled: false } } } });
    s.notify('initialized', {});
    s.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'panelspec', version: 1, text } });
    await s.request('workspace/executeCommand', { command: 'panelspec.run', arguments: [{ uri }] });
    await s.waitFor(() => s.notes.some((n) => n.method === 'panelspec/results'), 60_000);
    const params = parseResultsParams(s.notes.find((n) => n.method === 'panelspec/results')!.params)!;
    assert.equal(params.uri, uri);
    assert.equal(params.error, undefined);
    const kinds = params.output.results.map((r) => r.kind);
    assert.deepEqual(kinds, ['data', 'estimation', 'estimation', 'table']);
    const html = buildPage(applyRun(undefined, uri, params.output, undefined, false), { cspSource: 'x', nonce: 'n', display: {} });
    assert.equal((html.match(/<table class="ps-table"/g) ?? []).length, 4); // m1, eventstudy + its k table, esttab
    assert.ok(html.includes('<figure class="ps-figure" id="p2">'), 'event-study plot');
    assert.match(html, /<th scope="row" class="ps-stub">d<\/th><td>-0\.0\d{3}<span class="ps-stars">/);

    // Re-running one line: the server marks it with `line`, the panel merges it.
    s.notes.length = 0;
    await s.request('workspace/executeCommand', { command: 'panelspec.run', arguments: [{ uri, line: 4 }] });
    await s.waitFor(() => s.notes.some((n) => n.method === 'panelspec/results'), 60_000);
    const again = parseResultsParams(s.notes.find((n) => n.method === 'panelspec/results')!.params)!;
    assert.equal(again.line, 4);
    assert.deepEqual(
      again.output.results.map((r) => r.line),
      [5],
    );
  } finally {
    s.child.kill();
  }
});
