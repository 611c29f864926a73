import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDataPage, DATA_GRID } from '../../client/src/webview/dataPage';
import { dataViewerMain, formatCell, pagesToRequest, profileView, scrollTopFor, viewportAt } from '../../client/src/webview/dataGrid';
import { parseDataPage, parseDataViewMessage } from '../../client/src/protocol';
import { RunTracker } from '../../client/src/runTracker';
import { shiftLine } from '../../client/src/shiftLine';
import { defaultExportDir } from '../../client/src/settings';

test('data page: strict CSP, escaped title, self-contained script', () => {
  const html = buildDataPage({ cspSource: 'vscode-webview://x', nonce: 'N0NCE', title: '<b>x</b>.pspec' });
  assert.match(html, /content="default-src 'none'; script-src 'nonce-N0NCE'; style-src vscode-webview:\/\/x 'nonce-N0NCE'/);
  assert.ok(!html.includes('<b>x</b>'));
  assert.ok(html.includes('data-title="&lt;b&gt;x&lt;/b&gt;.pspec"'));
  assert.ok(!/https?:\/\//.test(html.replaceAll('http://www.w3.org/2000/svg', '')), 'no remote resources');
  // exactly one script, nonce'd, that parses
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  assert.match(scripts[0][1], /nonce="N0NCE"/);
  assert.doesNotThrow(() => new Function(scripts[0][2]));
});

test('grid helpers are self-contained: they work from their source text, as the webview runs them', () => {
  for (const f of [viewportAt, scrollTopFor, pagesToRequest, formatCell, profileView, dataViewerMain]) {
    assert.doesNotThrow(() => new Function(`return (${f.toString()})`)(), f.name);
  }
  // each helper called from its own source text alone (a reference to another helper would throw)
  const alone = <F>(f: F): F => new Function(`return (${String(f)})`)() as F;
  assert.equal(alone(scrollTopFor)(500_000, 440, 1_000_000, 22, 8e6), scrollTopFor(500_000, 440, 1_000_000, 22, 8e6));
  assert.deepEqual(alone(pagesToRequest)(0, 1000, 200, new Set([2]), 650), [3, 4, 1, 0]);
  assert.deepEqual(alone(formatCell)(1.5, true), { text: '1.5', missing: false });
  const vp = new Function(`return (${viewportAt.toString()})`)() as typeof viewportAt;
  assert.deepEqual(vp(220, 440, 100, 22, 1e6), viewportAt(220, 440, 100, 22, 1e6));
  const pv = new Function(`return (${profileView.toString()})`)() as typeof profileView;
  assert.equal(pv({ kind: 'string', n: 2, missing: 0, distinct: 2, top: [] })?.lines[1], '2 distinct');
});

test('viewport: one row per rowH px, then a scaled scroll range beyond maxScrollPx', () => {
  // 100 rows x 22 px, viewport 440 px: not scaled
  assert.deepEqual(viewportAt(0, 440, 100, 22, 1e6), { first: 0, shift: 0, rowsPx: 2200, scale: 1 });
  assert.deepEqual(viewportAt(230, 440, 100, 22, 1e6), { first: 10, shift: 10, rowsPx: 2200, scale: 1 });
  // scrolled past the end: clamped to the last full view
  assert.equal(viewportAt(1e9, 440, 100, 22, 1e6).first, 80);
  // 1,000,000 rows: 22M px of rows, the range capped at 8M
  const top = viewportAt(0, 440, 1_000_000, 22, 8e6);
  assert.equal(top.rowsPx, 8e6);
  assert.ok(Math.abs(top.scale - (22e6 - 440) / (8e6 - 440)) < 1e-12);
  const end = viewportAt(8e6 - 440, 440, 1_000_000, 22, 8e6);
  assert.equal(end.first, 1_000_000 - 20, 'the bottom of the range shows the last 20 rows');
  assert.ok(Math.abs(end.shift) < 1e-6);
  const mid = viewportAt((8e6 - 440) / 2, 440, 1_000_000, 22, 8e6);
  assert.equal(mid.first, Math.floor((22e6 - 440) / 2 / 22));
  // scrollTopFor is the inverse
  for (const row of [0, 1, 12345, 499_990, 999_980]) {
    const st = scrollTopFor(row, 440, 1_000_000, 22, 8e6);
    const back = viewportAt(st, 440, 1_000_000, 22, 8e6);
    assert.equal(back.first + Math.round(back.shift / 22), row, `row ${row}`);
  }
  assert.equal(scrollTopFor(37, 440, 100, 22, 1e6), 37 * 22);
  // an empty dataset
  assert.deepEqual(viewportAt(0, 440, 0, 22, 8e6), { first: 0, shift: 0, rowsPx: 0, scale: 1 });
});

test('virtual grid asks only for the pages in view, the nearest first', () => {
  assert.deepEqual(pagesToRequest(0, 50, 200, new Set()), [0]);
  assert.deepEqual(pagesToRequest(190, 420, 200, new Set([0])), [1, 2]);
  assert.deepEqual(pagesToRequest(400, 401, 200, new Set([2])), []);
  assert.deepEqual(pagesToRequest(0, 1000, 200, new Set([2]), 650), [3, 4, 1, 0]);
  assert.equal(DATA_GRID.maxScrollPx < 33_000_000, true, 'under Chromium\'s element-height cap');
});

test('cells: 8 significant digits, missing as Stata shows it', () => {
  assert.deepEqual(formatCell(3, true), { text: '3', missing: false });
  assert.deepEqual(formatCell(0.1 + 0.2, true), { text: '0.3', missing: false });
  assert.deepEqual(formatCell(123456.789012, true), { text: '123456.79', missing: false });
  assert.deepEqual(formatCell(null, true), { text: '.', missing: true });
  assert.deepEqual(formatCell(null, false), { text: '', missing: true });
  assert.deepEqual(formatCell(undefined, true), { text: '…', missing: false });
  assert.deepEqual(formatCell('<b>', false), { text: '<b>', missing: false }, 'text is set as textContent, never parsed');
  const labels = new Map([[1, 'treated'], [0, 'control']]);
  assert.deepEqual(formatCell(1, true, labels), { text: 'treated', missing: false, labelled: true });
  assert.deepEqual(formatCell(2, true, labels), { text: '2', missing: false }, 'an unlabelled value shows its number');
  assert.deepEqual(formatCell(null, true, labels), { text: '.', missing: true });
});

test('profile strip: moments and histogram for numbers, distinct values for strings', () => {
  const num = profileView({ kind: 'numeric', n: 9, missing: 1, mean: 2.123456, sd: 0.5, min: 1, max: 4, histogram: { lo: 1, hi: 4, counts: [1, 4, 2, 0] } });
  assert.deepEqual(num?.lines, ['num · 1 missing (10%)', 'mean 2.123', 'sd 0.5']);
  assert.deepEqual(num?.bars, [0.25, 1, 0.5, 0]);
  assert.match(num?.tip ?? '', /min 1, max 4/);
  const str = profileView({ kind: 'string', n: 5130, missing: 0, distinct: 285, top: [{ value: 'Beijing', count: 18 }, { value: 'Tianjin', count: 9 }] });
  assert.deepEqual(str?.lines, ['str · no missing', '285 distinct', 'top "Beijing"']);
  assert.deepEqual(str?.bars, [1, 0.5]);
  assert.match(str?.tip ?? '', /"Beijing": 18/);
  assert.equal(profileView({ kind: 'numeric', n: 0, missing: 3, mean: null, sd: null, min: null, max: null, histogram: null })?.lines[1], 'all missing');
  assert.equal(profileView(undefined), null);
});

test('data messages and pages are validated', () => {
  assert.deepEqual(parseDataViewMessage({ type: 'need', offset: 200, limit: 200 }), { type: 'need', gen: 0, offset: 200, limit: 200 });
  assert.deepEqual(parseDataViewMessage({ type: 'need', gen: 3, offset: 0, limit: 200, sort: { column: 'y', descending: 1 }, filter: ' year > 2010 ', profile: true, reload: 'yes' }), {
    type: 'need',
    gen: 3,
    offset: 0,
    limit: 200,
    sort: { column: 'y', descending: false },
    filter: ' year > 2010 ',
    profile: true,
  });
  assert.equal(parseDataViewMessage({ type: 'need', offset: -1, limit: 200 }), undefined);
  assert.equal(parseDataViewMessage({ type: 'need', offset: 0, limit: 1e9 }), undefined);
  assert.equal(parseDataViewMessage({ type: 'need', offset: 0, limit: 10, sort: { column: 5 } })?.sort, undefined);
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
    unfiltered: 5130,
    offset: 0,
  });
  const withProfile = parseDataPage({
    columns: [{ name: 'y', profile: { kind: 'numeric', n: 3, missing: 0, mean: NaN, sd: 1, min: 0, max: 2, histogram: { lo: 0, hi: 2, counts: [1, -2, 'x'] } } }],
    rows: [],
    total: 3,
    unfiltered: 10,
  });
  assert.deepEqual(withProfile?.columns[0].profile, { kind: 'numeric', n: 3, missing: 0, mean: null, sd: 1, min: 0, max: 2, histogram: { lo: 0, hi: 2, counts: [1, 0, 0] } });
  assert.equal(withProfile?.unfiltered, 10);
  const labelled = parseDataPage({ columns: [{ name: 'g', valueLabels: [[1, 'yes'], [0, 'no'], ['x', 'bad'], [2]] }], rows: [], total: 0 });
  assert.deepEqual(labelled?.columns[0].valueLabels, [[1, 'yes'], [0, 'no']]);
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

test('the viewer\'s line follows edits above it', () => {
  const ch = (sl: number, el: number, text: string) => ({ range: { start: { line: sl }, end: { line: el } }, text });
  assert.equal(shiftLine(10, [ch(2, 2, 'gen x = 1\n')]), 11, 'a line inserted above');
  assert.equal(shiftLine(10, [ch(12, 12, 'a\nb\n')]), 10, 'below: no move');
  assert.equal(shiftLine(10, [ch(3, 5, '')]), 8, 'two lines joined above');
  assert.equal(shiftLine(10, [ch(8, 14, 'x')]), 8, 'a deletion through the line moves it to the deletion');
  assert.equal(shiftLine(10, [ch(10, 10, '\n')]), 10, 'an edit on the line itself');
});
