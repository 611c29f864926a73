// The staggered-adoption note (issue #12) over the real server on stdio: a TWFE did / eventstudy line
// on mpdta gets an information diagnostic whose numbers are the TWFE weights computed here from the
// CSV (engine module on the test's own reading of the file); its quick fix inserts the csdid line(s),
// and the edited spec passes the checker and runs through the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, hoverText, repoRoot, type Diag } from './lspClient';
import { readCsv } from '../study/helpers';
import { FixedEffects } from '../../server/src/engine/demean';
import { adoptionCohorts, twfeWeights } from '../../server/src/engine/did/twfeWeights';
import { message } from '../../server/src/lsp/twfeWarning';
import { runSpecText } from '../cli/helpers';
import { fmt } from '../../server/src/lsp/completion';

const dir = mkdtempSync(join(tmpdir(), 'pspec-twfe-'));
copyFileSync(join(repoRoot, 'test', 'reference', 'data', 'mpdta.csv'), join(dir, 'mpdta.csv'));
const uriOf = (name: string): string => pathToFileURL(join(dir, name)).href;

function codes(v: Float64Array): { codes: Int32Array; nlevels: number } {
  const levels = [...new Set(v)].sort((a, b) => a - b);
  const at = new Map(levels.map((x, i) => [x, i]));
  return { codes: Int32Array.from(v, (x) => at.get(x)!), nlevels: levels.length };
}

/** The note expected on mpdta: post = adopted and year >= first.treat, county and year FE, all rows. */
function expectedMessage(): string {
  const m = readCsv('test/reference/data/mpdta.csv');
  const year = m.num('year').values;
  const g = m.num('first.treat').values;
  const unit = codes(m.num('countyreal').values);
  const post = Float64Array.from(year, (t, i) => (g[i] > 0 && t >= g[i] ? 1 : 0));
  const w = twfeWeights(post, new FixedEffects([{ name: 'countyreal', ...unit }, { name: 'year', ...codes(year) }]))!;
  assert.ok(w.negative > 0);
  return message(adoptionCohorts(unit.codes, g), w);
}

let c: LspClient;
before(async () => {
  c = new LspClient();
  await c.initialize({ trusted: true }, dir);
}, { timeout: 20000 });
after(async () => {
  await c.close();
});

const note = (ds: Diag[]): Diag | undefined => ds.find((d) => d.code === 'twfe-staggered');

/** Applies a single-insert workspace edit to a text. */
function apply(text: string, edit: { range: Diag['range']; newText: string }): string {
  const lines = text.split('\n');
  const { line, character } = edit.range.start;
  assert.deepEqual(edit.range.start, edit.range.end, 'an insertion');
  lines[line] = lines[line].slice(0, character) + edit.newText + lines[line].slice(character);
  return lines.join('\n');
}

async function fixOf(uri: string, d: Diag): Promise<{ range: Diag['range']; newText: string }> {
  const actions = await c.request('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
  const a = actions.find((x: any) => /csdid/.test(x.title));
  assert.ok(a, JSON.stringify(actions));
  const edits = a.edit.changes[uri];
  assert.equal(edits.length, 1);
  return edits[0];
}

/** Publishes after the edit, until the checker's (the first after it is the checker's own). */
async function checksClean(uri: string, text: string): Promise<void> {
  const seen = c.notifications.length;
  c.change(uri, text);
  const deadline = Date.now() + 20000;
  let got: Diag[] | undefined;
  while (!got && Date.now() < deadline) {
    got = c.notifications.slice(seen).find((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri)?.params.diagnostics;
    if (!got) await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(got, 'diagnostics published after the edit');
  // no error and no warning on the edited text (the note itself is information)
  assert.deepEqual(got.filter((d) => (d.severity ?? 1) <= 2), [], JSON.stringify(got));
}

test('did on mpdta: information note with the cohorts and negative weights; the fix uses first_treat', { timeout: 60000 }, async () => {
  const uri = uriOf('twfe_did.pspec');
  const text = ['use "mpdta.csv"', 'xtset countyreal year', 'gen post = year >= first_treat & first_treat > 0', 'did lemp post, fe(countyreal year) cluster(countyreal)', ''].join('\n');
  c.open(uri, text);
  const ds = await c.waitDiagnostics(uri, (x) => !!note(x), 40000);
  const d = note(ds)!;
  assert.equal(d.severity, 3, 'information, not an error');
  assert.equal(d.range.start.line, 3);
  assert.equal(d.message, expectedMessage());
  console.log(`  note: ${d.message}`);
  assert.match(d.message, /^Staggered adoption: 3 cohorts \(2004-2007\); \d+\.\d % of treated cells get negative weight in the TWFE estimate \(sum -0\.\d{3}\)\. Heterogeneous effects can bias it: consider csdid\.$/);
  const edit = await fixOf(uri, d);
  assert.equal(edit.newText, '\ncsdid lemp, gvar(first_treat)');
  const fixed = apply(text, edit);
  await checksClean(uri, fixed);
  const r = runSpecText(fixed, { datasets: ['mpdta.csv'] });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.json.results.some((x: any) => x.command === 'csdid'));
});

test('did without an adoption variable: the fix derives it (bysort egen min(cond())), same csdid numbers', { timeout: 90000 }, async () => {
  const uri = uriOf('twfe_derive.pspec');
  const text = ['use "mpdta.csv"', 'xtset countyreal year', 'gen post = year >= first_treat & first_treat > 0', 'drop first_treat', 'did lemp post, fe(countyreal year)', ''].join('\n');
  c.open(uri, text);
  const d = note(await c.waitDiagnostics(uri, (x) => !!note(x), 40000))!;
  assert.equal(d.message, expectedMessage());
  const edit = await fixOf(uri, d);
  assert.equal(edit.newText, ['', 'bysort countyreal: egen gvar_post = min(cond(post == 1, year, .))', 'replace gvar_post = 0 if missing(gvar_post)', 'csdid lemp, gvar(gvar_post)'].join('\n'));
  const fixed = apply(text, edit);
  await checksClean(uri, fixed);
  const derived = runSpecText(fixed, { datasets: ['mpdta.csv'] });
  assert.equal(derived.status, 0, derived.stderr);
  const direct = runSpecText('use "mpdta.csv"\nxtset countyreal year\ncsdid lemp, gvar(first_treat)\n', { datasets: ['mpdta.csv'] });
  assert.equal(direct.status, 0, direct.stderr);
  const cs = (run: any) => run.json.results.find((x: any) => x.command === 'csdid');
  assert.deepEqual(cs(derived).att_gt, cs(direct).att_gt);
  assert.deepEqual(cs(derived).aggregate.simple, cs(direct).aggregate.simple);
});

test('eventstudy (twfe) gets the same note, its treat() as gvar; estimator(cs) and non-staggered lines get none', { timeout: 60000 }, async () => {
  const uri = uriOf('twfe_es.pspec');
  const text = [
    'use "mpdta.csv"', // 0
    'eventstudy lemp, treat(first_treat) window(-3 3) fe(countyreal year)', // 1
    'eventstudy lemp, treat(first_treat) window(-3 3) fe(countyreal year) estimator(cs)', // 2
    'keep if first_treat == 0 | first_treat == 2007', // 3
    'eventstudy lemp, treat(first_treat) fe(countyreal year)', // 4: one cohort
    '',
  ].join('\n');
  c.open(uri, text);
  const ds = await c.waitDiagnostics(uri, (x) => !!note(x), 40000);
  // let the background job finish every line
  await new Promise((r) => setTimeout(r, 1500));
  const notes = (c.diagnostics.get(uri) ?? ds).filter((d) => d.code === 'twfe-staggered');
  assert.deepEqual(notes.map((d) => d.range.start.line), [1]);
  assert.equal(notes[0].message, expectedMessage());
  const edit = await fixOf(uri, notes[0]);
  assert.equal(edit.newText, '\ncsdid lemp, gvar(first_treat) ivar(countyreal) time(year)');
});

test('the sample study: the baseline did line gets the note (4 cohorts, 2015-2018)', { timeout: 120000 }, async () => {
  const file = join(repoRoot, 'samples', 'city_clusters.pspec');
  const text = readFileSync(file, 'utf8');
  const uri = pathToFileURL(file).href;
  const baseline = text.split(/\r?\n/).findIndex((l) => /^eststo b1: did resilience integration,/.test(l));
  assert.ok(baseline > 0);
  c.open(uri, text);
  const ds = await c.waitDiagnostics(uri, (x) => x.some((d) => d.code === 'twfe-staggered' && d.range.start.line === baseline), 100000);
  const d = ds.find((x) => x.code === 'twfe-staggered' && x.range.start.line === baseline)!;
  console.log(`  sample: ${d.message}`);
  assert.equal(d.severity, 3);
  assert.match(d.message, /^Staggered adoption: 4 cohorts \(2015-2018\); /);
  const edit = await fixOf(uri, d);
  assert.equal(edit.newText, '\ncsdid resilience, gvar(approval_year)');
});

test('hover after a run: csdid and eventstudy estimator(cs) show the aggregates, cohorts and controls', { timeout: 120000 }, async () => {
  const uri = uriOf('twfe_hover.pspec');
  const text = ['use "mpdta.csv"', 'xtset countyreal year', 'csdid lemp, gvar(first_treat)', 'eventstudy lemp, treat(first_treat) estimator(cs)', ''].join('\n');
  c.open(uri, text);
  await c.waitDiagnostics(uri, () => true, 20000);
  const reply = await c.request('workspace/executeCommand', { command: 'panelspec.run', arguments: [{ uri }] });
  assert.ok(reply.ok, JSON.stringify(reply));
  // the numbers the CLI reports for the same spec
  const run = runSpecText(text, { datasets: ['mpdta.csv'] });
  assert.equal(run.status, 0, run.stderr);
  const [cs, es] = run.json.results.filter((x: any) => x.kind === 'estimation');
  const h = hoverText(await c.hover(uri, 2, 1));
  assert.match(h, /\*\*csdid\*\*/);
  for (const k of ['simple', 'event', 'group', 'calendar']) {
    const row = h.split('\n').find((l) => l.startsWith(`| ${k} |`));
    assert.ok(row, `${k} row in ${h}`);
    const e = cs.aggregate[k];
    assert.equal(row, `| ${k} | ${fmt(e.att)} | (${fmt(e.se)}) | [${fmt(e.ci_low)}, ${fmt(e.ci_high)}] |`);
  }
  assert.match(h, /3 cohorts \(2,?004, 2,?006, 2,?007\) · controls: never-treated units · 500 units/);
  const he = hoverText(await c.hover(uri, 3, 1));
  assert.match(he, /eventstudy, estimator\(cs\)/);
  const ev = he.split('\n').find((l) => l.startsWith('| event |'))!;
  assert.ok(ev.startsWith(`| event | ${fmt(es.aggregate.event.att)} | (${fmt(es.aggregate.event.se)}) |`), ev);
});

test('untrusted workspace: no note (building the data would run the spec\'s data steps)', { timeout: 60000 }, async () => {
  const u = new LspClient();
  try {
    await u.initialize({ trusted: false }, dir);
    const uri = uriOf('twfe_untrusted.pspec');
    u.open(uri, ['use "mpdta.csv"', 'xtset countyreal year', 'gen post = year >= first_treat & first_treat > 0', 'did lemp post, fe(countyreal year)', ''].join('\n'));
    await u.waitDiagnostics(uri, () => true, 20000);
    await new Promise((r) => setTimeout(r, 3000));
    assert.deepEqual((u.diagnostics.get(uri) ?? []).filter((d) => d.code === 'twfe-staggered'), []);
    // trusted later: the note comes
    void u.conn.sendNotification('panelspec/trust', { trusted: true });
    const ds = await u.waitDiagnostics(uri, (x) => x.some((d) => d.code === 'twfe-staggered'), 40000);
    assert.equal(ds.find((d) => d.code === 'twfe-staggered')!.message, expectedMessage());
  } finally {
    await u.close();
  }
});
