import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResultsParams, parseWebviewMessage } from '../../client/src/protocol';
import { readSettings } from '../../client/src/settings';
import { untrustedMessage } from '../../client/src/trust';
import { applyRun, mergeResults, rebase, slimForState, isPanelState } from '../../client/src/resultsState';
import { buildPage } from '../../client/src/webview/page';
import { fileStem, findTable, panelItems } from '../../client/src/panelModel';
import type { CommandResult } from '../../server/src/results/types';
import { estimation, placebo } from '../results/fixtures';

test('webview messages are validated', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'copy', tableId: 't0-0', format: 'latex' }), { type: 'copy', tableId: 't0-0', format: 'latex' });
  assert.equal(parseWebviewMessage({ type: 'copy', tableId: 't0-0', format: 'docx' }), undefined);
  assert.deepEqual(parseWebviewMessage({ type: 'copy', tableId: 't0-0', format: 'tsv' }), { type: 'copy', tableId: 't0-0', format: 'tsv' });
  assert.deepEqual(parseWebviewMessage({ type: 'copy', tableId: 't0-0', format: 'html' }), { type: 'copy', tableId: 't0-0', format: 'html' });
  assert.deepEqual(parseWebviewMessage({ type: 'stop' }), { type: 'stop' });
  assert.deepEqual(parseWebviewMessage({ type: 'copied', format: 'html', ok: true }), { type: 'copied', format: 'html', ok: true });
  assert.deepEqual(parseWebviewMessage({ type: 'export', tableId: 'x' }), { type: 'export', tableId: 'x' });
  assert.equal(parseWebviewMessage({ type: 'export', tableId: 'x', format: 'exe' }), undefined);
  assert.deepEqual(parseWebviewMessage({ type: 'savePlot', plotId: 'p1', format: 'png' }), { type: 'savePlot', plotId: 'p1', format: 'png' });
  assert.deepEqual(parseWebviewMessage({ type: 'savePlot', plotId: 'p1', format: 'pdf' }), { type: 'savePlot', plotId: 'p1', format: 'pdf' });
  assert.equal(parseWebviewMessage({ type: 'savePlot', plotId: 'p1', format: 'gif' }), undefined);
  assert.equal(parseWebviewMessage({ type: 'reveal', line: -1 }), undefined);
  assert.equal(parseWebviewMessage({ type: 'reveal', line: 1.5 }), undefined);
  assert.deepEqual(parseWebviewMessage({ type: 'exportAll', format: 'latex' }), { type: 'exportAll', format: 'latex' });
  assert.equal(parseWebviewMessage({ type: 'exportAll', format: 'pdf' }), undefined);
  assert.equal(parseWebviewMessage('ready'), undefined);
  assert.equal(parseWebviewMessage({ type: 'rm -rf' }), undefined);
  // the history: run ids name files, so anything but letters, digits and dashes is refused
  const id = '2026-12-06T04-51-02-123Z-001';
  assert.deepEqual(parseWebviewMessage({ type: 'openRun', id }), { type: 'openRun', id });
  assert.equal(parseWebviewMessage({ type: 'openRun', id: '../../etc/passwd' }), undefined);
  assert.deepEqual(parseWebviewMessage({ type: 'compare', a: id, b: id.replace('001', '002') }), { type: 'compare', a: id, b: id.replace('001', '002') });
  assert.equal(parseWebviewMessage({ type: 'compare', a: id, b: id }), undefined);
  assert.equal(parseWebviewMessage({ type: 'compare', a: id }), undefined);
  assert.deepEqual(parseWebviewMessage({ type: 'history' }), { type: 'history' });
  assert.deepEqual(parseWebviewMessage({ type: 'current' }), { type: 'current' });
});

test('results notifications are checked', () => {
  assert.equal(parseResultsParams({}), undefined);
  const p = parseResultsParams({ uri: 'file:///a', output: { version: 1, file: 'a', results: [estimation()] }, error: { message: 'x', line: 2 } });
  assert.equal(p!.output.results.length, 1);
  assert.deepEqual(p!.error, { message: 'x', line: 2, character: 0 });
  assert.deepEqual(parseResultsParams({ uri: 'file:///a', output: 'junk' })!.output.results, []);
  assert.equal(parseResultsParams({ uri: 'file:///a', output: { results: [] }, line: 4 })!.line, 4);
  // the run's wall time reaches the history ("Took"); junk does not
  assert.equal(parseResultsParams({ uri: 'file:///a', output: { results: [] }, seconds: 2.5 })!.seconds, 2.5);
  assert.equal(parseResultsParams({ uri: 'file:///a', output: { results: [] }, seconds: -1 })!.seconds, undefined);
  assert.equal('line' in parseResultsParams({ uri: 'file:///a', output: { results: [] }, line: -1 })!, false);
});

test('settings are read with defaults and validation', () => {
  const s = readSettings((k) => ({ stars: [0.01, 0.05], decimals: 3, 'inlayHints.enabled': true, outputFolder: ' tables ' })[k]);
  assert.deepEqual(s, { stars: [0.05, 0.01], decimals: 3, inlayHintsEnabled: true, outputFolder: 'tables', plotWidth: 2400, historyMaxRuns: 50 });
  assert.deepEqual(readSettings(() => undefined), { stars: [0.1, 0.05, 0.01], decimals: 4, inlayHintsEnabled: false, outputFolder: '', plotWidth: 2400, historyMaxRuns: 50 });
  assert.equal(readSettings((k) => (k === 'plotExport.width' ? 1200 : undefined)).plotWidth, 1200);
  assert.equal(readSettings((k) => (k === 'plotExport.width' ? 12.5 : undefined)).plotWidth, 2400);
  // the history cap: a whole number 0..1000 (0 keeps none), else the default
  assert.equal(readSettings((k) => (k === 'history.maxRuns' ? 0 : undefined)).historyMaxRuns, 0);
  assert.equal(readSettings((k) => (k === 'history.maxRuns' ? 7 : undefined)).historyMaxRuns, 7);
  assert.equal(readSettings((k) => (k === 'history.maxRuns' ? -1 : undefined)).historyMaxRuns, 50);
  assert.equal(readSettings((k) => (k === 'history.maxRuns' ? 2.5 : undefined)).historyMaxRuns, 50);
  assert.match(untrustedMessage('run'), /does not run specs in Restricted Mode/);
});

test('a line run updates its model in place; a file run replaces everything', () => {
  const a = estimation({ line: 5, name: 'a' });
  const b = estimation({ line: 9, name: 'b' });
  const data: CommandResult = { kind: 'data', file: 'x.csv', rows: 1, columns: 1, seconds: 0 };
  const prev = applyRun(undefined, 'u', { version: 1, file: 'f', results: [data, a, b] }, undefined, false);
  const b2 = { ...b, r2: 0.1 };
  const after = applyRun(prev, 'u', { version: 1, file: 'f', results: [b2] }, undefined, true);
  assert.deepEqual(
    after.output.results.map((r) => [r.kind, r.line, (r as { r2?: number }).r2]),
    [
      ['data', undefined, undefined],
      ['estimation', 5, a.r2],
      ['estimation', 9, 0.1],
    ],
  );
  const c = estimation({ line: 7, name: 'c' });
  assert.deepEqual(
    mergeResults(after.output.results, [c]).map((r) => r.line),
    [undefined, 5, 7, 9],
  );
  assert.equal(applyRun(prev, 'u', { version: 1, file: 'f', results: [b2] }, undefined, false).output.results.length, 1);
  assert.equal(applyRun(prev, 'other', { version: 1, file: 'f', results: [b2] }, undefined, true).output.results.length, 1);
  // A run that fails before any result keeps the previous results under the error.
  const failed = applyRun(prev, 'u', { version: 1, file: 'f', results: [] }, { message: 'syntax', line: 2, character: 0 }, false);
  assert.equal(failed.output.results.length, 3);
  assert.equal(failed.error!.message, 'syntax');
  const slim = slimForState({ ...prev, output: { ...prev.output, results: [{ ...a, vcov_matrix: [[1]] }] } });
  assert.equal('vcov_matrix' in slim.output.results[0], false);
  assert.ok(isPanelState(slim) && !isPanelState({ uri: 1 }));
});

test('panel items: ids, tables per result, plots', () => {
  const items = panelItems({ version: 1, file: 'f', results: [estimation(), placebo()] }, {});
  assert.equal(items[0].tables[0].id, 't0-0');
  assert.equal(items[1].plots[0].id, 'p1');
  // an estimation shows its full coefficient table: coefficient, SE, t, p and the 95% interval
  const model = findTable(items, 't0-0')!.model;
  assert.equal(model.ncols, 6);
  assert.deepEqual(model.headers[0].cells, ['Coefficient', 'Std. err.', 't', 'P>|t|', '[95% conf.', 'interval]']);
  assert.equal(fileStem('m1: did y (line 12)'), 'm1-did-y-line-12');
});

test('panel results follow edits: lines move, an edited model goes stale, a stopped run marks what it did not reach', () => {
  const text = 'use "d.csv"\neststo a: reghdfe y x, a(i)\neststo b: reghdfe y x z, a(i)\nesttab a b';
  const a = estimation({ line: 2, name: 'a' });
  const b = estimation({ line: 3, name: 'b' });
  const t: CommandResult = { kind: 'table', models: ['a', 'b'], file: null, seconds: 0, line: 4 };
  const s0 = applyRun(undefined, 'u', { version: 1, file: 'f', results: [a, b, t] }, undefined, false, { text, ends: { 2: 1, 3: 2, 4: 3 } });
  // a comment inserted above model a: every line moves down by one, nothing is stale
  const s1 = rebase(s0, text.replace('eststo a', '* note\neststo a'));
  assert.deepEqual(s1.output.results.map((r) => r.line), [3, 4, 5]);
  assert.deepEqual(s1.stale, []);
  assert.match(panelItems(s1.output, {})[0].heading, /· line 3$/);
  // model b's own text changes: b is stale, a is not
  const s2 = rebase(s1, s1.text!.replace('x z,', 'x z w,'));
  assert.deepEqual(s2.stale, [4]);
  const html = buildPage(s2, { cspSource: 'x', nonce: 'n', display: {} });
  assert.equal((html.match(/class="ps-badge ps-badge-stale"/g) ?? []).length, 1);
  // a whole run that stops at model b (line 4, 0-based 3): a is new, b and the esttab are from before
  const a2 = { ...estimation({ line: 3, name: 'a' }), r2: 0.5 };
  const s3 = applyRun(s2, 'u', { version: 1, file: 'f', results: [a2] }, { message: 'collinear', line: 3, character: 0 }, false, { text: s2.text, ends: { 3: 2 } });
  assert.deepEqual(s3.output.results.map((r) => r.line), [3, 4, 5]);
  assert.deepEqual(s3.previous, [4, 5]);
  assert.deepEqual(s3.stale, [4]);
  const page = buildPage(s3, { cspSource: 'x', nonce: 'n', display: {} });
  assert.equal((page.match(/class="ps-badge ps-badge-previous"/g) ?? []).length, 2);
  assert.match(page, /The run stopped at line 4\. Results marked <em>from an earlier run<\/em>/);
  // the next complete run clears the marks
  const s4 = applyRun(s3, 'u', { version: 1, file: 'f', results: [a2] }, undefined, false, { text: s2.text, ends: { 3: 2 } });
  assert.deepEqual([s4.previous, s4.stale], [[], []]);
});

test('mapped from the run text, a half-typed line above a model leaves it not stale once typed out', () => {
  const text = 'use "d.csv"\neststo a: reghdfe y x, a(i)';
  const a = estimation({ line: 2, name: 'a' });
  const anchor = applyRun(undefined, 'u', { version: 1, file: 'f', results: [a] }, undefined, false, { text, ends: { 2: 1 } });
  // mid-typing, the note and the model share a line: the model looks edited
  const mid = rebase(anchor, 'use "d.csv"\n* noteeststo a: reghdfe y x, a(i)');
  assert.deepEqual(mid.stale, [2]);
  // typed out: from the run's text the model is unchanged, one line down
  const done = rebase(anchor, 'use "d.csv"\n* note\neststo a: reghdfe y x, a(i)');
  assert.deepEqual(done.stale, []);
  assert.deepEqual(done.output.results.map((r) => r.line), [3]);
  // (mapping from the mid-typing state instead would have kept it stale)
  assert.deepEqual(rebase(mid, 'use "d.csv"\n* note\neststo a: reghdfe y x, a(i)').stale, [3]);
});

test('the command ids of the shared protocol are the ones package.json contributes and the code lenses invoke', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { Commands } = await import('../../server/src/protocol');
  const { RUN_FILE_COMMAND, RUN_LINE_COMMAND } = await import('../../server/src/lsp/codeLens');
  let dir = __dirname;
  while (!readFileSafe(join(dir, 'package.json'))) dir = join(dir, '..');
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const contributed = (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort();
  assert.deepEqual(Object.values(Commands).sort(), contributed);
  assert.equal(RUN_FILE_COMMAND, 'panelspec.runFile');
  assert.equal(RUN_LINE_COMMAND, 'panelspec.runLine');
  function readFileSafe(p: string): boolean {
    try {
      return JSON.parse(readFileSync(p, 'utf8')).name === 'panelspec';
    } catch {
      return false;
    }
  }
});
