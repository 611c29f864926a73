// Contract audit: the CLI as outside checks drive it (CONTRACT.md): exit codes 0/1/2, FILE:LINE:COL
// errors, results before a run-time error kept, the replace rule on every output, paths with spaces
// relative to the spec, .dta/.xlsx/.parquet inputs, Stata syntax variants, and the JSON field by field.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { encodeDta } from '../../server/src/data/dta-write';
import { numericColumn } from '../../server/src/data/columns';
import { DataTable } from '../../server/src/data/table';
import { PREP, REF, close, loadCase, runCli, runSpecText, workDir } from './helpers';
import { readCsv } from './contract-audit-dense';

const ERROR_LINE = /^.+:\d+:\d+: error: \S.*$/;
const noStack = (s: string) => assert.ok(!/\n\s+at .+:\d+:\d+\)?/.test(s), `stack trace in: ${s}`);
const kinds = (j: any) => j.results.map((x: any) => x.kind);
const REF_POST = loadCase('mpdta_twfe_cluster').results.coefficients.post;
const TWFE = 'eststo m1: reghdfe lemp post, absorb(countyreal year) vce(cluster countyreal)\n';

function checkTwfe(m: any) {
  const c = m.coefficients.find((x: any) => x.term === 'post');
  assert.ok(close(c.estimate, REF_POST.estimate), `estimate ${c.estimate}`);
  assert.ok(close(c.se, REF_POST.std_error), `se ${c.se}`);
  assert.ok(close(c.p, REF_POST.p_value), `p ${c.p}`);
  assert.ok(close(c.ci_low, REF_POST.ci_low) && close(c.ci_high, REF_POST.ci_high), 'ci');
}

describe('JSON shape, field by field', () => {
  it('top level, data, estimation (FE, cluster), reg without FE, table, summary', () => {
    const r = runSpecText(PREP + TWFE + 'reg lemp post lpop\nesttab m1\nsummarize lemp\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.json.version, 1);
    assert.equal(typeof r.json.file, 'string');
    assert.ok(Array.isArray(r.json.results));
    assert.deepEqual(kinds(r.json), ['data', 'estimation', 'estimation', 'table', 'summary']);
    for (const x of r.json.results) {
      assert.equal(typeof x.seconds, 'number', `${x.kind} seconds`);
      assert.ok(x.seconds >= 0 && x.seconds < 60);
    }
    const [data, m, reg, tab, sum] = r.json.results;
    assert.deepEqual([data.file, data.rows, data.columns], ['mpdta.csv', 2500, 6]);
    // estimation: every contract field with its type
    assert.equal(m.kind, 'estimation');
    assert.equal(m.command, 'reghdfe');
    assert.equal(m.name, 'm1');
    assert.equal(m.line, 4);
    assert.equal(m.depvar, 'lemp');
    assert.equal(m.nobs, 2500);
    assert.equal(m.df_resid, 2494);
    for (const f of ['r2', 'adj_r2', 'r2_within']) assert.equal(typeof m[f], 'number', f);
    assert.deepEqual(m.vcov, { type: 'cluster', clusters: ['countyreal'], n_clusters: [500] });
    assert.deepEqual(m.fixed_effects.map((f: any) => ({ name: f.name, levels: f.levels })), [{ name: 'countyreal', levels: 500 }, { name: 'year', levels: 5 }]);
    assert.equal(m.singletons_removed, 0);
    assert.deepEqual(m.omitted, []);
    assert.deepEqual(Object.keys(m.coefficients[0]).filter((k) => ['term', 'estimate', 'se', 't', 'p', 'ci_low', 'ci_high'].includes(k)).sort(), ['ci_high', 'ci_low', 'estimate', 'p', 'se', 't', 'term']);
    checkTwfe(m);
    // reg: _cons reported last, name null, r2_within null, no FE, iid
    assert.equal(reg.command, 'reg');
    assert.equal(reg.name, null);
    assert.equal(reg.r2_within, null);
    assert.deepEqual(reg.fixed_effects, []);
    assert.equal(reg.vcov.type, 'iid');
    assert.deepEqual(reg.coefficients.map((c: any) => c.term), ['post', 'lpop', '_cons']);
    assert.deepEqual(tab, { ...tab, kind: 'table', models: ['m1'], file: null });
    assert.deepEqual(sum.rows.map((x: any) => Object.keys(x).slice(0, 6)), [['var', 'n', 'mean', 'sd', 'min', 'max']]);
  });

  it('vce(robust) and robust: vcov type robust', () => {
    const r = runSpecText(PREP + 'reghdfe lemp post, absorb(countyreal year) vce(robust)\ndid lemp post, fe(countyreal year) robust\nreg lemp post, vce(r)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    for (const m of r.json.results.slice(1)) assert.equal(m.vcov.type, 'robust', m.command);
  });

  it('omitted[]: a regressor collinear with the FEs and one collinear with another regressor', () => {
    const r = runSpecText(PREP + 'gen post2 = 2 * post\nreghdfe lemp post lpop post2, absorb(countyreal year)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const m = r.json.results[1];
    assert.deepEqual(m.coefficients.map((c: any) => c.term), ['post']);
    assert.deepEqual(m.omitted, [{ term: 'lpop', reason: 'collinear' }, { term: 'post2', reason: 'collinear' }]);
  });

  it('two-way clustering: clusters and n_clusters in the order written, t with min(G) - 1 df', () => {
    const r = runSpecText(PREP + 'gen st = floor(countyreal / 1000)\nreghdfe lemp post, absorb(countyreal year) vce(cluster st countyreal)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const m = r.json.results[1];
    const states = new Set(readCsv(join(REF, 'data', 'mpdta.csv')).map((o) => Math.floor(o.countyreal / 1000))).size;
    assert.deepEqual(m.vcov, { type: 'cluster', clusters: ['st', 'countyreal'], n_clusters: [states, 500] });
    assert.equal(m.df_t, states - 1);
  });

  it('eventstudy: event_time rows have k, estimate, se, ci_low, ci_high; the reference row is 0 everywhere', () => {
    const r = runSpecText(PREP + 'eventstudy lemp, treat(first_treat) window(-3 3) ref(-2) fe(countyreal year) cluster(countyreal)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const m = r.json.results[1];
    assert.equal(m.kind, 'estimation');
    assert.equal(m.command, 'eventstudy');
    assert.deepEqual(m.event_time.map((e: any) => e.k), [-3, -2, -1, 0, 1, 2, 3]);
    const ref = m.event_time[1];
    assert.deepEqual([ref.k, ref.estimate, ref.se, ref.ci_low, ref.ci_high], [-2, 0, 0, 0, 0]);
    for (const e of m.event_time) for (const f of ['k', 'estimate', 'se', 'ci_low', 'ci_high']) assert.equal(typeof e[f], 'number', `${e.k} ${f}`);
    // never-treated coded missing instead of 0 gives the same model
    const r2 = runSpecText(PREP + 'gen ft = first_treat if first_treat > 0\neventstudy lemp, treat(ft) window(-3 3) ref(-2) fe(countyreal year) cluster(countyreal)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r2.status, 0, r2.stderr);
    const m2 = r2.json.results[1];
    m.event_time.forEach((e: any, i: number) => assert.ok(close(m2.event_time[i].estimate, e.estimate) && close(m2.event_time[i].se, e.se), `k=${e.k}`));
  });
});

describe('exit status and errors', () => {
  // esttab and export lines are inserted after the TWFE model (line 4): later lines move down by 2
  const cases: [string, string, RegExp][] = [
    ['a syntax error on the first line', 'use "mpdta.csv" (\n' + PREP.split('\n').slice(1).join('\n') + TWFE, /spec\.pspec:1:/],
    ['a syntax error on the last line', PREP + TWFE + 'summarize lemp if (year ==\n', /spec\.pspec:7:/],
    ['an unclosed option inside a /// continuation', PREP + 'reghdfe lemp post, ///\n  absorb(countyreal year ///\n  \n' + TWFE, /spec\.pspec:[456]:/],
    ['an unknown option', PREP + TWFE + 'summarize lemp, nosuchoption\n', /spec\.pspec:7:/],
    ['a misspelt variable', PREP + TWFE + 'did lemp post, fe(countyreal yaer)\n', /spec\.pspec:7:\d+: error: unknown variable `yaer`/],
    ['eventstudy ref() outside window()', PREP + TWFE + 'eventstudy lemp, treat(first_treat) window(-2 2) ref(-3) fe(countyreal year)\n', /spec\.pspec:7:\d+: error: ref\(-3\) lies outside window\(-2 2\)/],
    ['eventstudy window() with low > high', PREP + TWFE + 'eventstudy lemp, treat(first_treat) window(2 -2) ref(0) fe(countyreal year)\n', /spec\.pspec:7:/],
    ['eventstudy default ref(-1) outside window()', PREP + TWFE + 'eventstudy lemp, treat(first_treat) window(0 3) fe(countyreal year)\n', /spec\.pspec:7:\d+: error: ref\(-1\)/],
  ];
  for (const [what, spec, where] of cases) {
    it(`exit 1, nothing run and no file written: ${what}`, () => {
      const dir = workDir(['mpdta.csv']);
      const r = runSpecText(spec.replace(TWFE, TWFE + 'esttab m1 using "never.tex"\nexport delimited "never.csv" lemp\n'), { dir });
      assert.equal(r.status, 1, r.stderr);
      const lines = r.stderr.trim().split('\n');
      for (const l of lines) assert.match(l, ERROR_LINE);
      assert.ok(lines.some((l) => where.test(l)), r.stderr);
      noStack(r.stderr);
      assert.deepEqual(r.json?.results ?? [], []);
      assert.ok(!existsSync(join(dir, 'never.tex')));
      assert.ok(!existsSync(join(dir, 'never.csv')));
    });
  }

  it('exit 2 on a run-time error midway: results before it in the JSON, nothing after it run, one error line', () => {
    const dir = workDir(['mpdta.csv']);
    const spec = PREP + TWFE + 'summarize lemp\ngen c = 1\nreghdfe c post, absorb(countyreal year)\nexport delimited "after.csv" lemp\nsummarize post\n';
    const r = runSpecText(spec, { dir });
    assert.equal(r.status, 2, r.stderr);
    assert.deepEqual(kinds(r.json), ['data', 'estimation', 'summary']);
    checkTwfe(r.json.results[1]);
    assert.equal(r.json.error.line, 7);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^.*spec\.pspec:7:\d+: error: \S/);
    assert.ok(!existsSync(join(dir, 'after.csv')));
    noStack(r.stderr);
  });

  it('exit 2 (a data error, not a spec error) when a data file named midway does not exist; earlier results kept', () => {
    const r = runSpecText(PREP + TWFE + 'use "no such file.csv"\nsummarize lemp\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr.trim(), /^.*spec\.pspec:5:\d+: error: .*no such file\.csv/);
    assert.deepEqual(kinds(r.json), ['data', 'estimation']);
    assert.equal(r.json.error.line, 5);
    noStack(r.stderr);
  });

  it('exit 2 for a missing data file on the first line too', () => {
    const r = runSpecText('use "absent.dta"\nsummarize x\n');
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr.trim(), /^.*spec\.pspec:1:\d+: error: .*absent\.dta/);
    assert.deepEqual(r.json.results, []);
  });

  it('exit 2 on an estimation error inside placebo and on an empty sample', () => {
    for (const bad of ['reghdfe lemp post if year > 3000, absorb(countyreal year)', 'placebo reps(3) units(9999) seed(1): did lemp post, fe(countyreal year)']) {
      const r = runSpecText(PREP + 'summarize lemp\n' + bad + '\n', { datasets: ['mpdta.csv'] });
      assert.equal(r.status, 2, `${bad}: ${r.stderr}`);
      assert.deepEqual(kinds(r.json), ['data', 'summary']);
      assert.match(r.stderr.trim(), /spec\.pspec:5:\d+: error: \S/);
    }
  });
});

describe('replace rule on every output', () => {
  for (const ext of ['tex', 'md', 'html', 'csv', 'docx']) {
    it(`esttab using .${ext}: exit 2 and the file untouched without replace; written with it`, () => {
      const dir = workDir(['mpdta.csv']);
      const old = Buffer.from('OLD CONTENT\n');
      writeFileSync(join(dir, `t.${ext}`), old);
      const a = runSpecText(PREP + TWFE + `esttab m1 using "t.${ext}"\nsummarize lemp\n`, { dir });
      assert.equal(a.status, 2, a.stderr);
      assert.match(a.stderr, /spec\.pspec:5:\d+: error: .*replace/);
      assert.deepEqual(readFileSync(join(dir, `t.${ext}`)), old);
      assert.deepEqual(kinds(a.json), ['data', 'estimation']);
      const b = runSpecText(PREP + TWFE + `esttab m1 using "t.${ext}", replace\n`, { dir });
      assert.equal(b.status, 0, b.stderr);
      assert.notDeepEqual(readFileSync(join(dir, `t.${ext}`)), old);
      assert.equal(b.json.results[2].file, `t.${ext}`);
    });
  }
  it('export delimited without replace: exit 2, file untouched; a new file needs no replace', () => {
    const dir = workDir(['mpdta.csv']);
    writeFileSync(join(dir, 'e.csv'), 'OLD');
    const a = runSpecText(PREP + 'export delimited "new.csv" lemp if year == 2003\nexport delimited "e.csv" lemp\n', { dir });
    assert.equal(a.status, 2);
    assert.equal(readFileSync(join(dir, 'e.csv'), 'utf8'), 'OLD');
    const lines = readFileSync(join(dir, 'new.csv'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 501);
    assert.equal(lines[0], 'lemp');
  });
});

describe('paths', () => {
  it('paths with spaces are relative to the spec folder, whatever the working directory', () => {
    const root = workDir();
    const specDir = join(root, 'my study');
    mkdirSync(join(specDir, 'data dir'), { recursive: true });
    mkdirSync(join(specDir, 'out put'));
    copyFileSync(join(REF, 'data', 'mpdta.csv'), join(specDir, 'data dir', 'mp da.csv'));
    const spec = PREP.replace('"mpdta.csv"', '"data dir/mp da.csv"') + TWFE + 'esttab m1 using "out put/table 1.tex"\nexport delimited "out put/e x.csv" lemp, replace\n';
    writeFileSync(join(specDir, 'the spec.pspec'), spec);
    const r = runCli(['run', join(specDir, 'the spec.pspec'), '--json', join(root, 'out.json')], root);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(join(specDir, 'out put', 'table 1.tex')));
    assert.ok(existsSync(join(specDir, 'out put', 'e x.csv')));
    checkTwfe(r.json.results[1]);
  });
});

describe('data formats', () => {
  const rows = readCsv(join(REF, 'data', 'mpdta.csv'));
  const names = ['year', 'countyreal', 'lpop', 'lemp', 'first.treat', 'treat'];
  const run = (file: string, bytes: Uint8Array) => {
    const dir = workDir();
    writeFileSync(join(dir, file), bytes);
    return runSpecText(PREP.replace('mpdta.csv', file) + TWFE, { dir });
  };
  it('.parquet (first.treat renamed first_treat)', () => {
    const buf = parquetWriteBuffer({ columnData: names.map((n) => ({ name: n, data: rows.map((o) => o[n]), type: 'DOUBLE' as const })) });
    const r = run('mpdta.parquet', new Uint8Array(buf));
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual([r.json.results[0].rows, r.json.results[0].columns], [2500, 6]);
    checkTwfe(r.json.results[1]);
  });
  it('.xlsx written by hand (shared-string header, numeric cells)', () => {
    const col = (j: number) => String.fromCharCode(65 + j);
    const head = `<row r="1">${names.map((_, j) => `<c r="${col(j)}1" t="s"><v>${j}</v></c>`).join('')}</row>`;
    const body = rows.map((o, i) => `<row r="${i + 2}">${names.map((n, j) => `<c r="${col(j)}${i + 2}"><v>${o[n]}</v></c>`).join('')}</row>`).join('');
    const sheet = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${head}${body}</sheetData></worksheet>`;
    const sst = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${names.map((n) => `<si><t>${n}</t></si>`).join('')}</sst>`;
    const wb = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`;
    const rels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
    const zip = zipSync({ 'xl/workbook.xml': strToU8(wb), 'xl/_rels/workbook.xml.rels': strToU8(rels), 'xl/sharedStrings.xml': strToU8(sst), 'xl/worksheets/sheet1.xml': strToU8(sheet) });
    const r = run('mpdta.xlsx', zip);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual([r.json.results[0].rows, r.json.results[0].columns], [2500, 6]);
    checkTwfe(r.json.results[1]);
  });
  for (const v of [117, 118, 119] as const) {
    it(`.dta version ${v}`, () => {
      const t = new DataTable(2500, names.map((n) => numericColumn(n.replace('.', '_'), Float64Array.from(rows, (o) => o[n]))));
      const r = run(`mpdta${v}.dta`, encodeDta(t, { version: v }));
      assert.equal(r.status, 0, r.stderr);
      checkTwfe(r.json.results[1]);
    });
  }
  it('.csv with NA, "." and empty cells as missing, and Windows line ends', () => {
    const dir = workDir();
    const lines = readFileSync(join(REF, 'data', 'mpdta.csv'), 'utf8').trim().split('\n');
    // the lemp of three rows of county 8001 missing, written three ways
    const edit = lines.map((l, i) => (i >= 1 && i <= 3 ? l.split(',').map((v, j) => (j === 3 ? ['NA', '.', ''][i - 1] : v)).join(',') : l));
    writeFileSync(join(dir, 'm.csv'), edit.join('\r\n') + '\r\n');
    const r = runSpecText('use "m.csv"\nsummarize lemp\n', { dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.json.results[1].rows[0].n, 2497);
  });
});

describe('Stata syntax variants', () => {
  it('comments, ///, $globals in options and in if, abbreviations: the same model as the plain spelling', () => {
    const spec = `* a star comment
use "mpdta.csv"   // trailing comment
  * an indented star comment
/* a block
   comment */
global fe countyreal year
global cl countyreal
global cond year >= 2003
g post = treat * (year >= first_treat) if $cond
xtset countyreal year
eststo m1: reghdfe lemp post, /// the model
    absorb($fe) ///
    vce(cl $cl)
`;
    const r = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const m = r.json.results.find((x: any) => x.kind === 'estimation');
    assert.equal(m.line, 11);
    checkTwfe(m);
  });

  it('if on every data command restricts it', () => {
    const spec = PREP + `gen a = 1 if year == 2004
replace a = 2 if year == 2005
egen b = mean(lemp) if year == 2006, by(countyreal)
summarize a b if year >= 2004
keep if year != 2007
drop if year == 2003
summarize year
`;
    const r = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const [s1, s2] = r.json.results.filter((x: any) => x.kind === 'summary');
    assert.deepEqual(s1.rows.map((x: any) => [x.var, x.n, x.mean]), [['a', 1000, 1.5], ['b', 500, s1.rows[1].mean]]);
    const lemp2006 = readCsv(join(REF, 'data', 'mpdta.csv')).filter((o) => o.year === 2006).map((o) => o.lemp);
    assert.ok(close(s1.rows[1].mean, lemp2006.reduce((s, v) => s + v, 0) / 500));
    assert.deepEqual([s2.rows[0].n, s2.rows[0].min, s2.rows[0].max], [1500, 2004, 2006]);
  });

  it('a#b in fe() of did and of eventstudy', () => {
    const r = runSpecText(PREP + 'did lemp post, fe(countyreal year#treat) cluster(countyreal)\neventstudy lemp, treat(first_treat) window(-2 1) ref(-1) fe(countyreal year#treat)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const [a, b] = r.json.results.slice(1);
    assert.deepEqual(a.fixed_effects.map((f: any) => [f.name, f.levels]), [['countyreal', 500], ['year#treat', 10]]);
    assert.deepEqual(b.fixed_effects.map((f: any) => [f.name, f.levels]), [['countyreal', 500], ['year#treat', 10]]);
  });

  it('did (y1 y2) gives one estimation per outcome, in order', () => {
    const r = runSpecText(PREP + 'gen l2 = lemp * 3\ndid (lemp l2) post, fe(countyreal year) cluster(countyreal)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const ms = r.json.results.filter((x: any) => x.kind === 'estimation');
    assert.deepEqual(ms.map((m: any) => m.depvar), ['lemp', 'l2']);
    checkTwfe(ms[0]);
    assert.ok(close(ms[1].coefficients[0].se, 3 * REF_POST.std_error));
  });
});

describe('seconds', () => {
  it('use reports the time of reading the data, also when the static check read it ahead of the run', () => {
    const dir = workDir();
    const lines = ['id,t,x,y,z,w'];
    for (let i = 0; i < 300_000; i++) lines.push(`${i % 1000},${Math.floor(i / 1000)},${(i * 0.37) % 11},${(i * 0.91) % 7},${i % 13},${(i * 1.3) % 5}`);
    writeFileSync(join(dir, 'big.csv'), lines.join('\n') + '\n');
    const spec = 'use "big.csv"\nsummarize x\n';
    const checked = runSpecText(spec, { dir });
    assert.equal(checked.status, 0, checked.stderr);
    const unchecked = runSpecText(spec, { dir, args: ['--no-check'] });
    assert.equal(unchecked.status, 0, unchecked.stderr);
    const a = checked.json.results[0];
    const b = unchecked.json.results[0];
    assert.equal(a.rows, 300_000);
    // the read inside the run (no check) is the reference: the checked run must not report ~0
    assert.ok(b.seconds > 0.02, `read took ${b.seconds}s`);
    assert.ok(a.seconds > 0.25 * b.seconds, `use reported ${a.seconds}s, the read takes ${b.seconds}s`);
  });
});
