// One results panel per spec, and the history pages, driven through the fake `vscode`: two specs
// get two panels; Show Results reveals the active editor's; each run is kept; the History button
// lists the spec's runs, opens one read-only and compares two (estimates, SEs and differences).
import { Uri, world, log } from './fakeVscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResultsPanel } from '../../client/src/resultsPanel';
import { registerCommands } from '../../client/src/commands';
import { RunTracker } from '../../client/src/runTracker';
import { readSettings } from '../../client/src/settings';
import { parseResultsParams } from '../../client/src/protocol';
import { RunHistory } from '../../client/src/history/runHistory';
import type { CommandResult } from '../../server/src/results/types';
import { coef, estimation } from '../results/fixtures';

const SPEC1 = 'file:///w/first.pspec';
const SPEC2 = 'file:///w/second.pspec';
const TEXT = 'use "d.csv"\n\neststo m1: did y treat, fe(city year)\n';

test('two specs, two panels; history listed, opened and compared', async () => {
  const settings = () => readSettings((k) => world.config[k]);
  const root = mkdtempSync(join(tmpdir(), 'pspec-flow-'));
  const history = new RunHistory(root, () => 50, '1.2.3', log, () => undefined);
  const panel = new ResultsPanel(log as never, settings, history);
  const runs = new RunTracker();
  // what the fake server answers: the next result list, for the spec that was run
  const outputs: CommandResult[][] = [];
  const notify = (p: unknown) => {
    const params = parseResultsParams(p)!;
    panel.applyResults(params, runs.notified(params.uri));
    void history.record(params);
  };
  const client = {
    sendRequest: async (_m: string, params: { arguments: [{ uri: string }] }) => {
      const uri = params.arguments[0].uri;
      notify({ uri, output: { version: 1, file: uri, results: outputs.shift() ?? [] }, text: TEXT });
      return null;
    },
  };
  registerCommands({ server: { ready: async () => client, restart: async () => undefined } as never, panel, runs, log: log as never });
  world.panels.length = 0;
  const run = (uri: string, estimate: number, se: number) => {
    outputs.push([estimation({ line: 3, coefficients: [coef('treat', estimate, se, 0.01), coef('gdp_pc', 0.5, 0.1, 0.01)] })]);
    return world.commands.get('panelspec.runFile')!(Uri.parse(uri));
  };

  await run(SPEC1, 0.39, 0.077);
  await run(SPEC2, 1.25, 0.5);
  assert.equal(world.panels.length, 2, 'a second spec gets its own panel');
  const [p1, p2] = world.panels;
  assert.equal(p1.title, 'Results: first.pspec');
  assert.equal(p2.title, 'Results: second.pspec');
  assert.ok(p1.webview.html.includes('<td>0.3900'));
  assert.ok(p2.webview.html.includes('<td>1.2500'));

  // Show Results reveals the active editor's spec's panel
  world.activeEditor = { document: { uri: Uri.parse(SPEC1), languageId: 'panelspec' } };
  world.shown.length = 0;
  await world.commands.get('panelspec.showResults')!();
  assert.deepEqual(world.shown, [p1]);
  world.activeEditor = { document: { uri: Uri.parse(SPEC2), languageId: 'panelspec' } };
  await world.commands.get('panelspec.showResults')!();
  assert.deepEqual(world.shown, [p1, p2]);

  // the first spec again, with another estimate: its panel (not the second's) updates
  await run(SPEC1, 0.41, 0.08);
  assert.ok(p1.webview.html.includes('<td>0.4100'));
  assert.ok(p2.webview.html.includes('<td>1.2500'));
  assert.equal(world.panels.length, 2);
  assert.match(p1.webview.html, /<button data-action="history"/);

  // History: the first spec's two runs, newest first (the second spec's run is not among them)
  p1.webview.receive({ type: 'history' });
  const ids = async () => {
    for (let i = 0; i < 100; i++) {
      const found = [...p1.webview.html.matchAll(/class="ps-pick" value="([^"]+)"/g)].map((m) => m[1]);
      if (found.length) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    return [];
  };
  const [newest, oldest, ...more] = await ids();
  assert.equal(more.length, 0);
  assert.ok(newest > oldest);
  assert.match(p1.webview.html, /History: first\.pspec/);
  assert.match(p1.webview.html, /<td>1\.2\.3<\/td>/);

  // one run, read-only under its banner
  p1.webview.receive({ type: 'openRun', id: oldest });
  for (let i = 0; i < 100 && !p1.webview.html.includes('not the current text'); i++) await new Promise((r) => setTimeout(r, 10));
  assert.match(p1.webview.html, /Run of \d\d:\d\d, not the current text\./);
  assert.ok(p1.webview.html.includes('<td>0.3900'));
  assert.ok(!p1.webview.html.includes('data-action="copy"'));

  // the two compared: m1's treat 0.39 (0.077) then 0.41 (0.08), difference 0.02 (0.003)
  p1.webview.receive({ type: 'compare', a: newest, b: oldest });
  for (let i = 0; i < 100 && !p1.webview.html.includes('ps-cmp-row'); i++) await new Promise((r) => setTimeout(r, 10));
  const row = /<tr class="ps-cmp-row" data-term="treat">(.*?)<\/tr>/.exec(p1.webview.html)![1];
  const cells = [...row.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
  assert.deepEqual(cells, ['0.3900', '0.0770', '0.4100', '0.0800', (0.41 - 0.39).toFixed(4), (0.08 - 0.077).toFixed(4)]);
  // gdp_pc did not move: its difference is exactly 0
  const same = /<tr class="ps-cmp-row" data-term="gdp_pc">(.*?)<\/tr>/.exec(p1.webview.html)![1];
  assert.deepEqual([...same.matchAll(/<td class="ps-diff"[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]), ['0.0000', '0.0000']);

  // a run id that is not kept: said, and back to the list
  world.messages.length = 0;
  p1.webview.receive({ type: 'openRun', id: '2020-01-01T00-00-00-000Z-001' });
  for (let i = 0; i < 100 && !world.messages.length; i++) await new Promise((r) => setTimeout(r, 10));
  assert.match(world.messages[0].text, /no longer kept/);

  // back to the current results
  p1.webview.receive({ type: 'current' });
  await new Promise((r) => setTimeout(r, 10));
  assert.ok(p1.webview.html.includes('<td>0.4100'));
  assert.ok(!p1.webview.html.includes('ps-cmp-row'));
});

test('a long run gets a table of contents linking each model, table and plot', async () => {
  const { buildPage } = await import('../../client/src/webview/page');
  const results = [1, 2, 3, 4, 5].map((i) => estimation({ name: `b${i}`, line: i }));
  const opts = { cspSource: 'x', nonce: 'n', display: { decimals: 4, stars: [0.1] } };
  const html = buildPage({ uri: SPEC1, output: { version: 1, file: 'f', results } }, opts);
  const links = [...html.matchAll(/data-action="goto" data-target="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(links, ['ps-item-0', 'ps-item-1', 'ps-item-2', 'ps-item-3', 'ps-item-4']);
  for (const l of links) assert.ok(html.includes(`<section id="${l}"`), l);
  // four models are not long: no contents
  assert.ok(!buildPage({ uri: SPEC1, output: { version: 1, file: 'f', results: results.slice(0, 4) } }, opts).includes('<nav class="ps-toc"'));
});
