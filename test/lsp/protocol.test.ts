// Protocol tests: the built server runs as its own process and is driven over stdio with real LSP
// JSON-RPC (dist/cli.js `lsp --stdio` when built, else the test entry calling startLanguageServer).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, labels, hoverText, repoRoot, type Diag } from './lspClient';

const dataDir = join(repoRoot, 'test', 'reference', 'data');
const uriOf = (name: string): string => pathToFileURL(join(dataDir, name)).href;

const SPEC = [
  'use "mpdta.csv"', // 0
  'xtset countyreal year', // 1
  'global ctrl lpop', // 2
  'reghdfe lemq treat $ctrl, absorb(countyreal year) vce(cluster countyreal)', // 3
  'reghdfe lemp treat, absrob(year)', // 4
  'reg lemp $nothere', // 5
  'eststo m1: reghdfe lemp treat, absorb(countyreal year)', // 6
  'esttab m1 m9', // 7
  'reghdfe lemp treat, absorb(', // 8  (broken)
  'gen z = L.lemp + lemp', // 9
  '/* a block', // 10
  '   comment */', // 11
  'reg lemp lpop ///', // 12
  '   treat', // 13
].join('\n');

let c: LspClient;
const uri = uriOf('lsp_protocol_test.pspec');

before(async () => {
  c = new LspClient();
  const init = await c.initialize({ trusted: true });
  assert.ok(init.capabilities.completionProvider);
  c.open(uri, SPEC);
}, { timeout: 20000 });
after(async () => {
  await c.close();
});

const find = (ds: Diag[], re: RegExp): Diag | undefined => ds.find((d) => re.test(d.message));
const rng = (d: Diag | undefined) => d && [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];

test('publishDiagnostics: misspelt variable with exact range, and the other findings', { timeout: 30000 }, async () => {
  const ds = await c.waitDiagnostics(uri, (d) => d.some((x) => /lemq/.test(x.message)));
  const lemq = find(ds, /unknown variable `lemq` \(did you mean `lemp`\?\)/);
  assert.deepEqual(rng(lemq), [3, 8, 3, 12]);
  assert.equal(lemq!.source, 'panelspec');
  assert.equal(lemq!.severity, 1);
  assert.deepEqual(rng(find(ds, /option `absrob` not allowed with reghdfe \(did you mean `absorb`\?\)/)), [4, 20, 4, 26]);
  assert.deepEqual(rng(find(ds, /global `\$nothere` is not defined/)), [5, 9, 5, 17]);
  assert.deepEqual(rng(find(ds, /model `m9` was not stored/)), [7, 10, 7, 12]);
  assert.ok(ds.some((d) => d.code === 'syntax' && d.range.start.line === 8), 'syntax error on the broken line');
  // after the broken line, later lines are still checked: L. is fine here (xtset above), no other finding on 9
  assert.equal(ds.filter((d) => d.range.start.line >= 9).length, 0, JSON.stringify(ds));
});

test('missing data file and L. without xtset, in another document', { timeout: 30000 }, async () => {
  const u2 = uriOf('lsp_protocol_test2.pspec');
  c.open(u2, 'use "no_such_file.csv"\nuse "mpdta.csv"\ngen z = L.lemp\n');
  const ds = await c.waitDiagnostics(u2, (d) => d.length >= 2);
  assert.deepEqual(rng(find(ds, /data file not found: no_such_file\.csv/)), [0, 4, 0, 22]);
  assert.deepEqual(rng(find(ds, /operator L\. needs `xtset UNIT TIME` above/)), [2, 8, 2, 10]);
});

test('completion: variables after `reghdfe `, with a profile in the detail', { timeout: 30000 }, async () => {
  await c.waitDiagnostics(uri, (d) => d.some((x) => /lemq/.test(x.message)));
  c.change(uri, SPEC + '\nreghdfe ');
  const res = await c.completion(uri, 14, 8);
  // the dataset's columns plus `z`, made by gen on line 9
  assert.deepEqual(labels(res).sort(), ['countyreal', 'first_treat', 'lemp', 'lpop', 'treat', 'year', 'z']);
  const z = (res.items ?? res).find((i: any) => i.label === 'z');
  assert.equal(z.detail, 'num · created by gen (line 10)');
  const lemp = (res.items ?? res).find((i: any) => i.label === 'lemp');
  assert.match(lemp.detail, /^num · mean [0-9.]+ · 0 missing/);
  assert.equal(lemp.kind, 6); // Variable
});

test('completion: options after `, `, variables inside absorb(, vce keywords', { timeout: 30000 }, async () => {
  c.change(uri, SPEC + '\nreghdfe lemp treat, \nreghdfe lemp treat, absorb(\nreg lemp treat, vce(');
  const opts = labels(await c.completion(uri, 14, 20));
  for (const o of ['absorb', 'vce', 'cluster', 'robust']) assert.ok(opts.includes(o), o);
  assert.ok(!opts.includes('lemp'));
  const inAbsorb = labels(await c.completion(uri, 15, 27));
  assert.ok(inAbsorb.includes('countyreal') && inAbsorb.includes('year'));
  assert.deepEqual(labels(await c.completion(uri, 16, 20)), ['robust', 'cluster']);
});

test('completion: commands at line start, globals after $, files inside use ", models after esttab', { timeout: 30000 }, async () => {
  c.change(uri, SPEC + '\n\nreg lemp $\nuse "\nesttab ');
  const cmds = labels(await c.completion(uri, 14, 0));
  for (const k of ['use', 'reghdfe', 'did', 'eventstudy', 'esttab', 'generate']) assert.ok(cmds.includes(k), k);
  assert.deepEqual(labels(await c.completion(uri, 15, 10)), ['$ctrl']);
  const files = labels(await c.completion(uri, 16, 5));
  assert.ok(files.includes('mpdta.csv') && files.includes('trade.csv'), files.join(','));
  assert.ok(files.every((f) => /\.(csv|dta|xlsx|parquet)$/.test(f)));
  assert.deepEqual(labels(await c.completion(uri, 17, 7)), ['m1']);
});

test('hover: a variable shows hand-computed statistics; a command shows its syntax', { timeout: 30000 }, async () => {
  c.change(uri, SPEC);
  // mean and sd of lemp computed here from the CSV
  const rows = readFileSync(join(dataDir, 'mpdta.csv'), 'utf8').trim().split(/\r?\n/);
  const col = rows[0].split(',').indexOf('lemp');
  const xs = rows.slice(1).map((r) => Number(r.split(',')[col]));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
  const h = hoverText(await c.hover(uri, 6, 21)); // `lemp` on line 6
  assert.match(h, /\*\*lemp\*\*/);
  assert.match(h, new RegExp(`N ${xs.length} · missing 0`));
  const cells = /\| ([-0-9.e]+) \| ([-0-9.e]+) \| ([-0-9.e]+) \| ([-0-9.e]+) \|/.exec(h);
  assert.ok(cells, h);
  assert.ok(Math.abs(Number(cells![1]) - mean) / mean < 1e-4, `mean ${cells![1]} vs ${mean}`);
  assert.ok(Math.abs(Number(cells![2]) - sd) / sd < 1e-4, `sd ${cells![2]} vs ${sd}`);
  assert.equal(Number(cells![3]), Math.min(...xs.map((x) => Number(x.toPrecision(5)))));
  const cmd = hoverText(await c.hover(uri, 6, 13)); // `reghdfe`
  assert.match(cmd, /reghdfe DEPVAR/);
  assert.match(cmd, /absorb\(\)/);
  const o = hoverText(await c.hover(uri, 6, 33)); // `absorb`
  assert.match(o, /^\*\*absorb\(\)\*\* \(reghdfe\)\n\nFixed effects to absorb/);
  const g = hoverText(await c.hover(uri, 3, 21)); // `$ctrl`
  assert.match(g, /expands to[\s\S]*lpop/);
  const panel = hoverText(await c.hover(uri, 1, 8)); // xtset countyreal
  assert.match(panel, /500 units, 5 periods .* balanced/);
});

test('codeAction: the quick fix replaces the misspelt variable', { timeout: 30000 }, async () => {
  c.change(uri, SPEC);
  const ds = await c.waitDiagnostics(uri, (d) => d.some((x) => /lemq/.test(x.message)));
  const d = ds.find((x) => /lemq/.test(x.message))!;
  const actions = await c.request('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
  assert.equal(actions.length, 1);
  assert.equal(actions[0].title, 'Change to `lemp`');
  assert.equal(actions[0].isPreferred, true);
  assert.deepEqual(actions[0].edit.changes[uri], [{ range: d.range, newText: 'lemp' }]);
});

test('an unknown function: published on its name, a quick fix to the nearest one; functions complete in expressions', { timeout: 30000 }, async () => {
  const u3 = uriOf('lsp_protocol_test3.pspec');
  c.open(u3, 'use "mpdta.csv"\ngen z = lgo(lemp)\ngen w = ');
  const ds = await c.waitDiagnostics(u3, (d) => d.some((x) => /lgo/.test(x.message)));
  const d = find(ds, /^unknown function lgo\(\) \(did you mean `log`\?\)$/);
  assert.deepEqual(rng(d), [1, 8, 1, 11]);
  assert.equal(d!.code, 'unknown-function');
  const actions = await c.request('textDocument/codeAction', { textDocument: { uri: u3 }, range: d!.range, context: { diagnostics: [d] } });
  assert.deepEqual(actions[0].edit.changes[u3], [{ range: d!.range, newText: 'log' }]);
  const items = labels(await c.completion(u3, 2, 8));
  for (const x of ['lemp', 'log', 'inrange', 'strpos', 'cond']) assert.ok(items.includes(x), x);
});

test('incremental didChange: fixing the name clears its diagnostic', { timeout: 30000 }, async () => {
  c.change(uri, SPEC);
  await c.waitDiagnostics(uri, (d) => d.some((x) => /lemq/.test(x.message)));
  c.changeRange(uri, { start: { line: 3, character: 8 }, end: { line: 3, character: 12 } }, 'lemp');
  const ds = await c.waitDiagnostics(uri, (d) => !d.some((x) => /lemq/.test(x.message)));
  assert.ok(ds.some((x) => /absrob/.test(x.message)));
});

test('codeLens, documentSymbol, folding, semantic tokens', { timeout: 30000 }, async () => {
  c.change(uri, SPEC);
  const lenses = await c.request('textDocument/codeLens', { textDocument: { uri } });
  const runLines = lenses.filter((l: any) => l.command.title === '▶ Run').map((l: any) => l.range.start.line);
  assert.deepEqual(runLines, [3, 4, 5, 6, 7, 12]);
  assert.equal(lenses.filter((l: any) => l.command.title === '▶ Run file').length, 1);
  assert.deepEqual(lenses.find((l: any) => l.range.start.line === 6).command, { title: '▶ Run', command: 'panelspec.runLine', arguments: [{ uri, line: 6 }] });
  // Stata's `browse` gets a lens that opens the data viewer at its line
  c.change(uri, SPEC + '\nbrowse lemp');
  const withBrowse = await c.request('textDocument/codeLens', { textDocument: { uri } });
  assert.deepEqual(withBrowse.find((l: any) => l.range.start.line === 14).command, { title: '▶ Browse', command: 'panelspec.openDataViewer', arguments: [{ uri }, 14] });
  c.change(uri, SPEC);
  const syms = await c.request('textDocument/documentSymbol', { textDocument: { uri } });
  const names = syms.map((s: any) => s.name);
  for (const n of ['mpdta.csv', '$ctrl', 'm1', 'reghdfe lemq']) assert.ok(names.includes(n), `${n} in ${names}`);
  const folds = await c.request('textDocument/foldingRange', { textDocument: { uri } });
  assert.ok(folds.some((f: any) => f.startLine === 10 && f.endLine === 11 && f.kind === 'comment'));
  assert.ok(folds.some((f: any) => f.startLine === 12 && f.endLine === 13));
  const st = await c.request('textDocument/semanticTokens/full', { textDocument: { uri } });
  assert.ok(st.data.length > 0 && st.data.length % 5 === 0);
  // first token: `use` keyword at 0:0 length 3, type 0 (keyword)
  assert.deepEqual(st.data.slice(0, 4), [0, 0, 3, 0]);
});

test('run via executeCommand, then a coefficient hover shows the estimate', { timeout: 30000 }, async () => {
  const u3 = uriOf('lsp_protocol_run.pspec');
  const text = [
    'use "mpdta.csv"',
    'xtset countyreal year',
    'gen d = treat * (year >= first_treat)',
    'eststo m1: reghdfe lemp d, absorb(countyreal year) vce(cluster countyreal)',
    'summarize lemp',
  ].join('\n');
  c.open(u3, text);
  await c.waitDiagnostics(u3, (d) => d.length === 0);
  // a column renamed on import says so (first.treat in the CSV header)
  assert.match(hoverText(await c.hover(u3, 2, 30)), /\*\*first_treat\*\*[\s\S]*renamed from `first\.treat`/);
  const before = c.notifications.length;
  const reply = await c.request('workspace/executeCommand', { command: 'panelspec.run', arguments: [{ uri: u3, line: 3 }] });
  const note = c.notifications.slice(before).find((n) => n.method === 'panelspec/results');
  assert.ok(note, 'panelspec/results sent');
  if (!reply.ok) assert.fail(`run failed: ${JSON.stringify(reply.error)}`);
  // only the targeted statement's result is reported
  assert.deepEqual(note!.params.output.results.map((r: any) => r.kind), ['estimation']);
  const est = note!.params.output.results[0];
  assert.equal(est.line, 4);
  const coef = est.coefficients.find((x: any) => x.term === 'd');
  const h = hoverText(await c.hover(u3, 3, 24)); // `d`
  assert.match(h, /\*\*d\*\* = /);
  const shown = Number(/\*\*d\*\* = ([-0-9.e]+)/.exec(h)![1]);
  assert.ok(Math.abs(shown - coef.estimate) <= 1e-4 * Math.abs(coef.estimate), `${shown} vs ${coef.estimate}`);
  assert.match(h, /SE \| t \| p \| 95% CI/);
  assert.match(h, /500 clusters \(countyreal\)/);
  const dep = hoverText(await c.hover(u3, 3, 20)); // `lemp` depvar
  assert.match(dep, /R² [0-9.]+ · adj\. R² [0-9.]+ · within R² [0-9.]+ · RMSE/);
  const m = hoverText(await c.hover(u3, 3, 8)); // `m1`
  assert.match(m, /\*\*m1\*\*: reghdfe lemp/);
  const cmdHover = hoverText(await c.hover(u3, 3, 13)); // `reghdfe`: last result over the doc
  assert.match(cmdHover, /\| d \| [-0-9.e]+\**/);
  assert.match(cmdHover, /reghdfe DEPVAR/);
});

test('a run in an untrusted workspace is refused', { timeout: 30000 }, async () => {
  void c.conn.sendNotification('panelspec/trust', { trusted: false });
  const reply = await c.request('workspace/executeCommand', { command: 'panelspec.run', arguments: [{ uri }] });
  assert.equal(reply.ok, false);
  assert.match(reply.refused, /untrusted/);
  void c.conn.sendNotification('panelspec/trust', { trusted: true });
});

test('a long run reports workDoneProgress after a second and can be cancelled through it', { timeout: 30000 }, async () => {
  const u4 = uriOf('lsp_protocol_long.pspec');
  const text = [
    'use "mpdta.csv"',
    'xtset countyreal year',
    'gen d = treat * (year >= first_treat)',
    'placebo reps(100000) units(100) seed(1): did lemp d, fe(countyreal year) cluster(countyreal)',
  ].join('\n');
  c.open(u4, text);
  await c.waitDiagnostics(u4, (d) => d.length === 0);
  const reqBefore = c.serverRequests.length;
  const started = Date.now();
  const pending = c.request('workspace/executeCommand', { command: 'panelspec.run', arguments: [{ uri: u4 }] });
  // wait for the progress to begin, then cancel it from the client side
  let token: unknown;
  while (Date.now() - started < 15000) {
    const create = c.serverRequests.slice(reqBefore).find((r) => r.method === 'window/workDoneProgress/create');
    const begun = create && c.notifications.find((n) => n.method === '$/progress' && n.params.token === create.params.token && n.params.value.kind === 'begin');
    if (begun) {
      token = create!.params.token;
      assert.ok(Date.now() - started >= 900, 'progress only after about a second');
      assert.equal(begun.params.value.cancellable, true);
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(token !== undefined, 'progress began');
  void c.conn.sendNotification('window/workDoneProgress/cancel', { token });
  const reply = await pending;
  assert.equal(reply.ok, false);
  assert.match(reply.error.message, /cancel/);
  assert.ok(Date.now() - started < 14000, 'the cancelled run stopped early');
  assert.ok(c.notifications.some((n) => n.method === '$/progress' && n.params.token === token && n.params.value.kind === 'end'));
});

test('inlay hints (enabled by a setting): global expansions and data size', { timeout: 30000 }, async () => {
  const c2 = new LspClient();
  try {
    await c2.initialize({ trusted: true, settings: { inlayHints: { enabled: true } } });
    const u = uriOf('lsp_protocol_inlay.pspec');
    c2.open(u, 'use "mpdta.csv"\nglobal ctrl lpop treat\nreg lemp $ctrl\n');
    await c2.waitDiagnostics(u, (d) => d.length === 0);
    // the data size appears once the dataset has loaded: poll for it
    let labelsOf: string[] = [];
    for (let i = 0; i < 50 && !labelsOf.some((l) => l.startsWith('0:')); i++) {
      const hints = await c2.request('textDocument/inlayHint', { textDocument: { uri: u }, range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } } });
      labelsOf = hints.map((h: any) => `${h.position.line}:${h.position.character}:${h.label}`);
      if (!labelsOf.some((l) => l.startsWith('0:'))) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(labelsOf.includes('2:14: = lpop treat'), labelsOf.join(' | '));
    assert.ok(labelsOf.includes('0:15:2500 × 6'), labelsOf.join(' | '));
  } finally {
    await c2.close();
  }
});

test('string variables: hover shows distinct and top values; using one as a regressor is flagged', { timeout: 30000 }, async () => {
  const u = uriOf('lsp_protocol_strings.pspec');
  c.open(u, 'use "castle.csv"\nxtset sid year\nreg homicide state\n');
  const ds = await c.waitDiagnostics(u, (d) => d.length > 0);
  assert.deepEqual(rng(find(ds, /regressor `state` is a string variable/)), [2, 13, 2, 18]);
  const h = hoverText(await c.hover(u, 2, 15));
  assert.match(h, /string · N 550 · missing 0 · 50 distinct/);
  assert.match(h, /top: `Alabama` \(11\)/);
});

test('after a did run: hover shows the within-FE share (with a warning when tiny) and the treatment', { timeout: 30000 }, async () => {
  const u = uriOf('lsp_protocol_did.pspec');
  const text = ['use "mpdta.csv"', 'gen d = treat * (year >= first_treat)', 'did lemp d lpop, fe(countyreal year) cluster(countyreal)'].join('\n');
  c.open(u, text);
  await c.waitDiagnostics(u, (d) => d.length === 0);
  const before = c.notifications.length;
  const reply = await c.request('workspace/executeCommand', { command: 'panelspec.run', arguments: [{ uri: u }] });
  if (!reply.ok) assert.fail(`run failed: ${JSON.stringify(reply.error)}`);
  const est = c.notifications.slice(before).find((n) => n.method === 'panelspec/results')!.params.output.results.find((r: any) => r.kind === 'estimation');
  const hd = hoverText(await c.hover(u, 2, 9)); // `d`
  assert.match(hd, /\*\*d\*\* = /);
  assert.ok(est.within_share, 'the engine reports within_share');
  assert.match(hd, new RegExp(`within-FE variation: ${(est.within_share.d * 100).toFixed(1)}% of the total`));
  // lpop does not vary within county: omitted, and the hover says why
  const hl = hoverText(await c.hover(u, 2, 12));
  assert.match(hl, /\*\*lpop\*\* omitted \(collinear\)/);
  assert.match(hl, /⚠ almost no within-FE variation/);
  if (est.treatment) {
    // counted here from the data: units ever treated, never treated, and units per first treated year
    const rows = readFileSync(join(dataDir, 'mpdta.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((r) => r.split(',').map(Number));
    const first = new Map<number, number>(); // county -> first_treat
    for (const r of rows) first.set(r[1], r[4]);
    const treated = [...first.values()].filter((f) => f > 0).length;
    assert.match(hd, new RegExp(`\\*\\*treatment\\*\\* \`d\`: ${treated} treated units · ${first.size - treated} never treated`));
    assert.match(hd, /adoption cohorts \(3\): 2004 \(\d+\), 2006 \(\d+\), 2007 \(\d+\)/);
  }
});

test('completion: Enter at the end of a complete word makes a new line (no list), the list is re-asked while typing', { timeout: 30000 }, async () => {
  c.change(uri, SPEC + '\nxtset countyreal year\nxtset countyreal ye\nreghdfe lemp treat, robust\nreghdfe lemp treat, rob\nxtset countyreal year\nreg');
  const done = await c.completion(uri, 14, 21); // `year` is a whole variable and the line ends
  assert.deepEqual(labels(done), []);
  assert.equal(done.isIncomplete, true);
  const partial = await c.completion(uri, 15, 19); // `ye`: still typing
  assert.ok(labels(partial).includes('year'));
  assert.equal(partial.isIncomplete, true, 'VS Code asks again on the next key');
  assert.deepEqual(labels(await c.completion(uri, 16, 26)), []); // option `robust` complete at the line end
  assert.ok(labels(await c.completion(uri, 17, 23)).includes('robust'));
  // inside a word (the line goes on) the list still shows
  assert.ok(labels(await c.completion(uri, 18, 19)).includes('year'));
  // `reg` typed in full at a line start: a complete command, no list
  assert.deepEqual(labels(await c.completion(uri, 19, 3)), []);
});

test('signature help while typing options; help COMMAND gets a lens and is checked', { timeout: 30000 }, async () => {
  c.change(uri, SPEC + '\nreghdfe lemp treat, vce(cluster countyreal) absorb()\nreghdfe lemp treat\nhelp reghdfe\nhelp reghdfx');
  const sig = await c.request('textDocument/signatureHelp', { textDocument: { uri }, position: { line: 14, character: 51 } });
  const s = sig.signatures[0];
  assert.match(s.label, /^reghdfe , absorb\(VAR\[#VAR\] \.\.\.\) vce\(robust \| cluster VARLIST\)/);
  const [from, to] = s.parameters[sig.activeParameter].label;
  assert.equal(s.label.slice(from, to), 'absorb(VAR[#VAR] ...)');
  assert.equal(await c.request('textDocument/signatureHelp', { textDocument: { uri }, position: { line: 15, character: 18 } }), null, 'no options part yet');
  const lenses = await c.request('textDocument/codeLens', { textDocument: { uri } });
  assert.deepEqual(lenses.find((l: any) => l.range.start.line === 16).command, { title: '? help reghdfe', command: 'panelspec.help', arguments: ['reghdfe'] });
  const ds = await c.waitDiagnostics(uri, (d) => d.some((x) => /reghdfx/.test(x.message)));
  assert.ok(ds.some((d) => d.range.start.line === 17 && /no command `reghdfx` \(did you mean `reghdfe`\?\)/.test(d.message)), JSON.stringify(ds));
  assert.ok(!ds.some((d) => d.range.start.line === 16));
  c.change(uri, SPEC);
});
