import { PAGE_CSS } from '../../client/src/webview/styles';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPage, contentSecurityPolicy, jsonForScript } from '../../client/src/webview/page';
import { webviewMain } from '../../client/src/webview/script';
import { buildHelpPage } from '../../client/src/webview/helpPage';
import { allCommands, resolveCommand } from '../../grammar/src/commands';
import type { PanelState } from '../../client/src/resultsState';
import type { CommandResult } from '../../server/src/results/types';
import { coef, estimation, eventStudy, placebo, summary } from '../results/fixtures';
import { findAll, hasClass, parseXml } from '../results/xml';

const HOSTILE = '<img src=x onerror=alert(1)>';
const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const NONCE = 'abc123NONCE';

function state(results: CommandResult[], extra: Partial<PanelState> = {}): PanelState {
  return { uri: 'file:///w/study.pspec', output: { version: 1, file: 'study.pspec', results }, ...extra };
}

const opts = { cspSource: CSP_SOURCE, nonce: NONCE, display: { decimals: 4, stars: [0.1, 0.05, 0.01] } };

test('CSP meta tag: nothing by default, scripts and styles only with the nonce', () => {
  const html = buildPage(state([estimation()]), opts);
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(meta, 'CSP meta present');
  const csp = meta[1];
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, new RegExp(`script-src 'nonce-${NONCE}'`));
  assert.match(csp, /style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net 'nonce-abc123NONCE'/);
  assert.match(csp, /img-src \S+ data:/);
  assert.ok(!/unsafe-inline|unsafe-eval/.test(csp));
  assert.equal(contentSecurityPolicy('x', 'n').split('; ')[0], "default-src 'none'");
  // Every <script> and <style> carries the nonce.
  for (const tag of html.match(/<(script|style)\b[^>]*>/g) ?? []) assert.ok(tag.includes(`nonce="${NONCE}"`) || tag.includes('type="application/json"'), tag);
  assert.ok((html.match(/<script nonce=/g) ?? []).length === 1);
  // No inline style attributes (the CSP would block them) and no inline event handlers.
  assert.ok(!/\sstyle="/.test(html));
  assert.ok(!/\son[a-z]+="/i.test(html));
});

test('no remote resources: no http(s) URLs except the SVG namespace and the CSP source', () => {
  const html = buildPage(state([estimation(), eventStudy(), placebo(), summary()]), opts);
  const urls = (html.match(/https?:\/\/[^\s"'<>)\\]+/g) ?? []).filter((u) => u !== 'http://www.w3.org/2000/svg' && !u.startsWith(CSP_SOURCE));
  assert.deepEqual(urls, []);
  assert.ok(!/\s(src|href)="https?:/.test(html));
});

test('a hostile variable name renders as text everywhere', () => {
  const evil = estimation({ depvar: HOSTILE, name: HOSTILE, coefficients: [coef(HOSTILE, 1, 0.1, 0.01)] });
  const evilSummary = { ...summary(), rows: [{ var: HOSTILE, n: 3, mean: 1, sd: 1, min: 0, max: 2 }] };
  const html = buildPage(
    state([evil, evilSummary, { kind: 'data', file: HOSTILE, rows: 1, columns: 1, seconds: 0 }, { kind: 'export', file: 'weird</script><script>alert(1)</script>', rows: 1, columns: 1, seconds: 0 }], {
      error: { message: HOSTILE, line: 3, character: 0 },
    }),
    opts,
  );
  assert.ok(!html.includes('<img'), 'no live img tag');
  assert.ok(!html.includes('</script><script>alert'), 'no script breakout');
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  // The embedded state JSON cannot close its script element.
  const stateBlock = /<script type="application\/json" id="ps-state"[^>]*>([\s\S]*?)<\/script>/.exec(html)!;
  assert.ok(!stateBlock[1].includes('<'));
  assert.equal(JSON.parse(stateBlock[1]).output.results[0].depvar, HOSTILE);
});

test('tables, buttons, plots and the error link', () => {
  const html = buildPage(state([estimation(), eventStudy(), placebo(), summary(), { kind: 'table', models: ['m1', 'es'], file: null, seconds: 0, line: 40 }], { error: { message: 'boom', line: 6, character: 2 } }), opts);
  assert.equal((html.match(/<table class="ps-table"/g) ?? []).length, 1 + 2 + 1 + 1); // m1; es + its event-time table; summary; esttab
  assert.ok(html.includes('data-action="copy" data-table="t0-0" data-format="latex"'));
  assert.ok(html.includes('data-action="export" data-table="t4-0" data-format="docx">Word</button>'));
  assert.ok(html.includes('data-action="png" data-plot="p1"') && html.includes('data-action="pdf" data-plot="p1"'));
  assert.ok(html.includes('<button data-action="exportAll" data-format="docx">Word</button>'));
  assert.ok(html.includes('data-table="t0-0" data-format="html"') && html.includes('data-table="t0-0" data-format="tsv"'));
  assert.ok(html.includes('<button class="ps-stop" data-action="stop"'));
  assert.ok(html.includes('data-action="svg" data-plot="p2"'));
  assert.ok(html.includes('<figure class="ps-figure" id="p1">') && html.includes('<figure class="ps-figure" id="p2">'));
  assert.match(html, /data-action="reveal" data-line="6" data-character="2">line 7<\/a>: boom/);
  // The inline plots are themed (currentColor); files are rendered by the extension, not from the page.
  const fig = /<figure class="ps-figure" id="p1">([\s\S]*?)<\/figure>/.exec(html)![1];
  assert.ok(fig.includes('currentColor'));
  const root = parseXml(fig).children[0];
  assert.equal(findAll(root, hasClass('ps-point')).length, 8);
  assert.ok(!html.includes('ps-svg-'));
});

test('an esttab naming an unknown model shows a message, not a crash', () => {
  const html = buildPage(state([estimation(), { kind: 'table', models: ['nope'], file: null, seconds: 0 }]), opts);
  assert.match(html, /no stored model named &quot;nope&quot;/);
});

test('running and empty states', () => {
  assert.match(buildPage(undefined, opts), /No results yet/);
  assert.match(buildPage(state([], { running: true }), opts), /<body class="ps-running">/);
});

test('the webview script is self-contained and parses', () => {
  const src = webviewMain.toString();
  assert.doesNotThrow(() => new Function(`(${src})`));
  assert.ok(!/\b__\w+\(/.test(src), 'no bundler helpers');
  assert.ok(!/\brequire\(|\bimport\b/.test(src));
  assert.equal(jsonForScript({ a: '</script>&\u2028' }), '{"a":"\\u003c/script\\u003e\\u0026\\u2028"}');
});

test('the webview script wires buttons to messages (fake DOM)', () => {
  const posted: unknown[] = [];
  let state: unknown = null;
  const listeners: Record<string, (e: { target: unknown; data?: unknown }) => void> = {};
  const button = (attrs: Record<string, string>) => ({ getAttribute: (n: string) => attrs[n] ?? null, closest: () => button(attrs) });
  const bodyClasses = new Set<string>();
  const fakeWindow = {
    acquireVsCodeApi: () => ({ postMessage: (m: unknown) => posted.push(m), getState: () => state, setState: (s: unknown) => (state = s) }),
    document: {
      body: { classList: { toggle: (c: string, on?: boolean) => (on ? bodyClasses.add(c) : bodyClasses.delete(c)) } },
      getElementById: (id: string) => (id === 'ps-state' ? { textContent: '{"uri":"file:///a.pspec","output":{"results":[]}}' } : null),
      addEventListener: (t: string, fn: (e: { target: unknown }) => void) => (listeners['doc:' + t] = fn),
    },
    addEventListener: (t: string, fn: (e: { target: unknown; data?: unknown }) => void) => (listeners['win:' + t] = fn),
    scrollTo: () => undefined,
    scrollY: 0,
    setTimeout: () => 1,
  };
  const run = new Function('globalThis', `(${webviewMain.toString()})()`);
  run(fakeWindow);
  assert.deepEqual(posted.at(-1), { type: 'ready' });
  assert.equal((state as { uri: string }).uri, 'file:///a.pspec');
  listeners['doc:click']({ target: button({ 'data-action': 'copy', 'data-table': 't0-0', 'data-format': 'latex' }) });
  assert.deepEqual(posted.at(-1), { type: 'copy', tableId: 't0-0', format: 'latex' });
  listeners['doc:click']({ target: button({ 'data-action': 'export', 'data-table': 't1-0', 'data-format': 'docx' }) });
  assert.deepEqual(posted.at(-1), { type: 'export', tableId: 't1-0', format: 'docx' });
  listeners['doc:click']({ target: button({ 'data-action': 'reveal', 'data-line': '6', 'data-character': '2' }) });
  assert.deepEqual(posted.at(-1), { type: 'reveal', line: 6, character: 2 });
  listeners['win:message']({ target: null, data: { type: 'running', running: true } });
  assert.ok(bodyClasses.has('ps-running'));
});

test('significance stars use the text colour (full contrast in every theme), bold', () => {
  const rule = /\.ps-table \.ps-stars \{([^}]*)\}/.exec(PAGE_CSS)![1];
  assert.match(rule, /color: var\(--vscode-editor-foreground\)/);
  assert.match(rule, /font-weight: 700/);
});

test('help page: syntax, every option, an example, the Stata and R commands it matches; no script', () => {
  const spec = resolveCommand('reghdfe')!;
  const html = buildHelpPage(spec, { cspSource: CSP_SOURCE, nonce: NONCE });
  assert.match(html, /<h1>reghdfe/);
  assert.ok(html.includes(`<pre>${spec.syntax.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}</pre>`));
  for (const o of spec.options) assert.ok(html.includes(`<td class="opt">${o.name}`), o.name);
  assert.match(html, /<dt>Stata<\/dt><dd><code>reghdfe \(Correia\)<\/code>/);
  assert.match(html, /<dt>R<\/dt><dd><code>fixest::feols/);
  assert.match(html, /absorb\(city_id year\)/);
  assert.doesNotMatch(html, /<script/);
  assert.match(html, /content="default-src 'none'; style-src/);
  // every command in the table has a page with an example
  for (const c of allCommands()) assert.match(buildHelpPage(c, { cspSource: CSP_SOURCE, nonce: NONCE }), /<h2>Example<\/h2>\n<pre>[^<]+<\/pre>/, c.name);
});
