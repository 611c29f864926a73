import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDataPage, dataViewerMain, pagesToRequest } from '../../client/src/webview/dataPage';
import { parseDataPage, parseDataViewMessage } from '../../client/src/protocol';
import { RunTracker } from '../../client/src/runTracker';
import { defaultExportDir } from '../../client/src/settings';

test('data page: strict CSP, escaped title, self-contained script', () => {
  const html = buildDataPage({ cspSource: 'vscode-webview://x', nonce: 'N0NCE', title: '<b>x</b>.pspec' });
  assert.match(html, /content="default-src 'none'; script-src 'nonce-N0NCE'; style-src vscode-webview:\/\/x 'nonce-N0NCE'/);
  assert.ok(!html.includes('<b>x</b>'));
  assert.ok(!/https?:\/\//.test(html));
  assert.doesNotThrow(() => new Function(`(${dataViewerMain.toString()})`));
});

test('virtual grid asks only for the pages in view', () => {
  assert.deepEqual(pagesToRequest(0, 50, 200, new Set()), [0]);
  assert.deepEqual(pagesToRequest(190, 420, 200, new Set([0])), [1, 2]);
  assert.deepEqual(pagesToRequest(400, 401, 200, new Set([2])), []);
});

test('data messages and pages are validated', () => {
  assert.deepEqual(parseDataViewMessage({ type: 'need', offset: 200, limit: 200 }), { type: 'need', offset: 200, limit: 200 });
  assert.equal(parseDataViewMessage({ type: 'need', offset: -1, limit: 200 }), undefined);
  assert.equal(parseDataViewMessage({ type: 'need', offset: 0, limit: 1e9 }), undefined);
  const page = parseDataPage({ columns: [{ name: 'city', type: 'string' }, { name: 'y' }, { bad: 1 }], rows: [['a', 1.5], ['b', null], 'junk'], total: 5130 });
  assert.deepEqual(page, {
    columns: [
      { name: 'city', type: 'string' },
      { name: 'y', type: 'numeric' },
    ],
    rows: [
      ['a', 1.5],
      ['b', null],
    ],
    total: 5130,
    offset: 0,
  });
  assert.equal(parseDataPage({ rows: [] }), undefined);
});

test('run tracker pairs runs with notifications', () => {
  const t = new RunTracker();
  const s1 = t.begin('a', true);
  assert.equal(t.notified('a'), true);
  assert.equal(t.needsFallback('a', s1), false);
  const s2 = t.begin('a', false);
  assert.equal(t.needsFallback('a', s2), true);
  assert.equal(t.isLatest('a', s1), false);
  assert.equal(t.notified('b'), false);
});

test('export folder setting', () => {
  assert.equal(defaultExportDir('/w/proj/specs/s.pspec', '/w/proj', ''), '/w/proj/specs');
  assert.equal(defaultExportDir('/w/proj/specs/s.pspec', '/w/proj', 'tables'), '/w/proj/tables');
  assert.equal(defaultExportDir('/w/proj/specs/s.pspec', undefined, 'out'), '/w/proj/specs/out');
  assert.equal(defaultExportDir('/w/proj/specs/s.pspec', '/w/proj', '/tmp/t'), '/tmp/t');
});
