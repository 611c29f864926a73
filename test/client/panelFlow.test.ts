// The results panel and the commands driven through a fake `vscode` and a fake language client:
// run -> spinner -> results notification -> page; copy; export every format; PNG/SVG; reveal;
// Restricted Mode; restore after reload.
import { Uri, world, log } from './fakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unzipSync, strFromU8 } from 'fflate';
import { ResultsPanel } from '../../client/src/resultsPanel';
import { registerCommands } from '../../client/src/commands';
import { RunTracker } from '../../client/src/runTracker';
import { readSettings } from '../../client/src/settings';
import { parseResultsParams } from '../../client/src/protocol';
import type { CommandResult } from '../../server/src/results/types';
import { estimation, eventStudy, placebo } from '../results/fixtures';

const SPEC = 'file:///w/study.pspec';
const results: CommandResult[] = [estimation(), eventStudy(), placebo()];

function setup(reply: (params: unknown) => unknown) {
  const settings = () => readSettings((k) => world.config[k]);
  const panel = new ResultsPanel(log as never, settings);
  const runs = new RunTracker();
  const requests: unknown[] = [];
  const client = {
    sendRequest: async (method: string, params: unknown) => {
      requests.push({ method, params });
      return reply(params);
    },
  };
  const notify = (p: unknown) => {
    const params = parseResultsParams(p)!;
    panel.applyResults(params, runs.notified(params.uri));
  };
  const server = { ready: async () => client, restart: async () => undefined };
  registerCommands({ server: server as never, panel, runs, log: log as never });
  return { panel, requests, notify };
}

const tick = () => new Promise((r) => setImmediate(r));

test('run file: request, spinner, results drawn in one reused panel', async () => {
  let notifyRef: (p: unknown) => void = () => undefined;
  const pages: string[] = [];
  const { requests, notify } = setup(() => {
    pages.push(world.panels[0].webview.html); // the page while the server runs
    notifyRef({ uri: SPEC, output: { version: 1, file: 'study.pspec', results } });
    return null;
  });
  notifyRef = notify;
  world.panels.length = 0;
  await world.commands.get('panelspec.runFile')!(Uri.parse(SPEC));
  assert.deepEqual(requests[0], { method: 'workspace/executeCommand', params: { command: 'panelspec.run', arguments: [{ uri: SPEC }] } });
  assert.equal(world.panels.length, 1);
  const p = world.panels[0];
  assert.match(pages[0], /<body class="ps-running">/); // a new panel opens with the spinner
  assert.equal((p.webview.html.match(/<table class="ps-table"/g) ?? []).length, 3);
  assert.ok(p.webview.html.includes('<figure class="ps-figure" id="p2">'));
  assert.equal(p.title, 'Results: study.pspec');

  // A model re-run from its CodeLens updates the same panel in place.
  await world.commands.get('panelspec.runLine')!({ uri: SPEC, line: 11 });
  assert.deepEqual((requests[1] as { params: { arguments: unknown[] } }).params.arguments, [{ uri: SPEC, line: 11 }]);
  assert.equal(world.panels.length, 1);
  assert.deepEqual(p.webview.posted.at(-1), { type: 'running', running: true }); // the live page toggles its spinner
  // Hidden: the page reloads on reveal, so it is redrawn as running.
  p.visible = false;
  await world.commands.get('panelspec.runLine')!({ uri: SPEC, line: 11 });
  assert.match(pages.at(-1)!, /<body class="ps-running">/);
  p.visible = true;
});

test('copy, export in every format, plots as SVG and PNG, reveal', async () => {
  const p = world.panels[0];
  p.webview.receive({ type: 'copy', tableId: 't0-0', format: 'latex' });
  await tick();
  assert.match(world.clipboard, /\\begin\{tabular\}/);
  p.webview.receive({ type: 'copy', tableId: 't0-0', format: 'markdown' });
  await tick();
  assert.match(world.clipboard, /^\*\*m1: did y/);
  assert.doesNotMatch(world.clipboard, /&gt;/); // the p-value column's header reads P>|t|, unescaped
  assert.match(world.clipboard, /P>\\\|t\\\|/);
  // TSV for Excel: one row per line, cells split by tabs, the estimate in the model's column
  p.webview.receive({ type: 'copy', tableId: 't0-0', format: 'tsv' });
  await tick();
  const rows = world.clipboard.split('\n').map((l) => l.split('\t'));
  // the coefficient table: term, coefficient, SE, t, p, interval low and high
  assert.ok(rows.some((r) => r.length === 7 && /^0\.3900/.test(r[1])), world.clipboard);
  // HTML for Word: the page is handed the rich table to write as text/html
  p.webview.receive({ type: 'copy', tableId: 't0-0', format: 'html' });
  await tick();
  const clip = p.webview.posted.at(-1) as { type: string; html: string; text: string };
  assert.equal(clip.type, 'clipboard');
  assert.match(clip.html, /<table class="ps-table"[\s\S]*0\.3900/);
  assert.equal(clip.text, rows.map((r) => r.join('\t')).join('\n'));

  for (const [format, ext] of [
    ['latex', 'tex'],
    ['markdown', 'md'],
    ['html', 'html'],
    ['csv', 'csv'],
    ['docx', 'docx'],
  ]) {
    world.saveTarget = Uri.file(`/out/t.${ext}`);
    p.webview.receive({ type: 'export', tableId: 't0-0', format });
    await tick();
    await tick();
    const bytes = world.written.get(`/out/t.${ext}`);
    assert.ok(bytes && bytes.length > 100, format);
    if (format === 'docx') assert.ok(strFromU8(unzipSync(bytes)['word/document.xml']).includes('0.3900'));
    else assert.ok(Buffer.from(bytes).toString('utf8').includes('0.3900'), format);
  }

  world.saveTarget = Uri.file('/out/es.svg');
  p.webview.receive({ type: 'savePlot', plotId: 'p1', format: 'svg' });
  await tick();
  await tick();
  const svg = Buffer.from(world.written.get('/out/es.svg')!).toString('utf8');
  assert.ok(svg.startsWith('<svg') && !svg.includes('currentColor'));

  // PNG at the panelspec.plotExport.width setting (default 2400 px; height by the plot's aspect)
  world.saveTarget = Uri.file('/out/pl.png');
  p.webview.receive({ type: 'savePlot', plotId: 'p2', format: 'png' });
  for (let i = 0; i < 200 && !world.written.has('/out/pl.png'); i++) await new Promise((r) => setTimeout(r, 20));
  const png = Buffer.from(world.written.get('/out/pl.png')!);
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [2400, 1500]);
  await tick();
  assert.ok(world.messages.some((m) => m.level === 'info' && m.text === `PanelSpec: plot saved to ${Uri.file('/out/pl.png').fsPath} (2400 × 1500 px)`), JSON.stringify(world.messages));

  // Every table in one Word document.
  world.saveTarget = Uri.file('/out/all.docx');
  p.webview.receive({ type: 'exportAll', format: 'docx' });
  await tick();
  await tick();
  const all = strFromU8(unzipSync(world.written.get('/out/all.docx')!)['word/document.xml']);
  assert.equal((all.match(/<w:tbl>/g) ?? []).length, 3); // m1; the event study's model and k tables

  p.webview.receive({ type: 'reveal', line: 6, character: 3 });
  await tick();
  await tick();
  assert.deepEqual(world.revealed.at(-1), { uri: SPEC, line: 6, character: 3 });

  // Hostile or malformed messages are ignored.
  p.webview.receive({ type: 'export', tableId: 't0-0', format: '../../etc' });
  p.webview.receive({ type: 'eval', code: 'x' });
  await tick();
});

test('export command asks for the table and the format', async () => {
  world.quickPicks.push('t1-1', 'docx');
  world.saveTarget = Uri.file('/out/picked.docx');
  await world.commands.get('panelspec.exportTable')!();
  const xml = strFromU8(unzipSync(world.written.get('/out/picked.docx')!)['word/document.xml']);
  assert.ok(xml.includes('0 (ref.)'), 'the event-time table was exported');
});

test('a failed run shows the error with a link to its line', async () => {
  const { notify } = setup(() => null);
  notify({ uri: SPEC, output: { version: 1, file: 'study.pspec', results: [] }, error: { message: 'variable gdp not found', line: 4, character: 8 } });
  const html = world.panels.at(-1)!.webview.html;
  assert.match(html, /data-action="reveal" data-line="4" data-character="8">line 5<\/a>: variable gdp not found/);
});

test('a server that fails the request: error shown, no crash', async () => {
  setup(() => {
    throw new Error('server exploded');
  });
  await world.commands.get('panelspec.runFile')!(Uri.parse(SPEC));
  assert.match(world.panels.at(-1)!.webview.html, /<strong>Error<\/strong>: server exploded/);
});

test('Restricted Mode refuses runs and exports with a clear message', async () => {
  const { requests } = setup(() => null);
  world.trusted = false;
  world.messages.length = 0;
  await world.commands.get('panelspec.runFile')!(Uri.parse(SPEC));
  await world.commands.get('panelspec.exportTable')!();
  world.trusted = true;
  assert.equal(requests.length, 0);
  assert.equal(world.messages.length, 2);
  assert.match(world.messages[0].text, /does not run specs in Restricted Mode/);
  assert.match(world.messages[1].text, /does not write table or plot files in Restricted Mode/);
});

test('the serializer restores the panel from its saved state', async () => {
  const settings = () => readSettings((k) => world.config[k]);
  const panel = new ResultsPanel(log as never, settings);
  panel.registerSerializer();
  const restored = world.panels[0];
  restored.webview.html = '';
  await world.serializer!.deserializeWebviewPanel(restored, { uri: SPEC, output: { version: 1, file: 'study.pspec', results }, running: true });
  assert.equal((restored.webview.html.match(/<table class="ps-table"/g) ?? []).length, 3);
  assert.ok(!restored.webview.html.includes('class="ps-running"'));
  await world.serializer!.deserializeWebviewPanel(restored, { junk: true });
  assert.match(restored.webview.html, /No results yet/);
  // Settings re-render: decimals 2.
  world.config.decimals = 2;
  await world.serializer!.deserializeWebviewPanel(restored, { uri: SPEC, output: { version: 1, file: 'study.pspec', results } });
  // the estimation's coefficient table: estimate, SE, t, p, interval; estimates and SEs at 2 decimals
  assert.ok(restored.webview.html.includes('<th scope="row" class="ps-stub">treat</th><td>0.39</td><td>0.08</td>'), restored.webview.html);
  delete world.config.decimals;
});

test('a refused run (server reply without results) drops the spinner and says why', async () => {
  setup(() => ({ ok: false, results: 0, refused: 'unknown document file:///w/study.pspec' }));
  world.messages.length = 0;
  await world.commands.get('panelspec.runFile')!(Uri.parse(SPEC));
  const p = world.panels.at(-1)!;
  assert.deepEqual(p.webview.posted.at(-1), { type: 'running', running: false });
  assert.deepEqual(world.messages.at(-1), { level: 'warning', text: 'PanelSpec: unknown document file:///w/study.pspec' });
});
