import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResultsParams, parseWebviewMessage } from '../../client/src/protocol';
import { readSettings } from '../../client/src/settings';
import { untrustedMessage } from '../../client/src/trust';
import { applyRun, mergeResults, slimForState, isPanelState } from '../../client/src/resultsState';
import { fileStem, findTable, panelItems } from '../../client/src/panelModel';
import type { CommandResult } from '../../server/src/results/types';
import { estimation, placebo } from '../results/fixtures';

test('webview messages are validated', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'copy', tableId: 't0-0', format: 'latex' }), { type: 'copy', tableId: 't0-0', format: 'latex' });
  assert.equal(parseWebviewMessage({ type: 'copy', tableId: 't0-0', format: 'docx' }), undefined);
  assert.deepEqual(parseWebviewMessage({ type: 'export', tableId: 'x' }), { type: 'export', tableId: 'x' });
  assert.equal(parseWebviewMessage({ type: 'export', tableId: 'x', format: 'exe' }), undefined);
  assert.equal(parseWebviewMessage({ type: 'savePng', plotId: 'p1', dataBase64: 'not base64!' }), undefined);
  assert.deepEqual(parseWebviewMessage({ type: 'savePng', plotId: 'p1', dataBase64: 'iVBORw0KGgo=' }), { type: 'savePng', plotId: 'p1', dataBase64: 'iVBORw0KGgo=' });
  assert.equal(parseWebviewMessage({ type: 'reveal', line: -1 }), undefined);
  assert.equal(parseWebviewMessage({ type: 'reveal', line: 1.5 }), undefined);
  assert.deepEqual(parseWebviewMessage({ type: 'exportAll', format: 'latex' }), { type: 'exportAll', format: 'latex' });
  assert.equal(parseWebviewMessage({ type: 'exportAll', format: 'pdf' }), undefined);
  assert.equal(parseWebviewMessage('ready'), undefined);
  assert.equal(parseWebviewMessage({ type: 'rm -rf' }), undefined);
});

test('results notifications are checked', () => {
  assert.equal(parseResultsParams({}), undefined);
  const p = parseResultsParams({ uri: 'file:///a', output: { version: 1, file: 'a', results: [estimation()] }, error: { message: 'x', line: 2 } });
  assert.equal(p!.output.results.length, 1);
  assert.deepEqual(p!.error, { message: 'x', line: 2, character: 0 });
  assert.deepEqual(parseResultsParams({ uri: 'file:///a', output: 'junk' })!.output.results, []);
  assert.equal(parseResultsParams({ uri: 'file:///a', output: { results: [] }, line: 4 })!.line, 4);
  assert.equal('line' in parseResultsParams({ uri: 'file:///a', output: { results: [] }, line: -1 })!, false);
});

test('settings are read with defaults and validation', () => {
  const s = readSettings((k) => ({ stars: [0.01, 0.05], decimals: 3, 'inlayHints.enabled': true, outputFolder: ' tables ' })[k]);
  assert.deepEqual(s, { stars: [0.05, 0.01], decimals: 3, inlayHintsEnabled: true, outputFolder: 'tables' });
  assert.deepEqual(readSettings(() => undefined), { stars: [0.1, 0.05, 0.01], decimals: 4, inlayHintsEnabled: false, outputFolder: '' });
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
