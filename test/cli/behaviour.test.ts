// CLI behaviour: exit codes 0/1/2, `FILE:LINE:COL: error:` lines, no stack traces, results before a
// run-time error still written, the replace rule for esttab and export, text output.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PREP, runCli, runSpecText, workDir } from './helpers';


const ERROR_LINE = /^.+:\d+:\d+: error: .+$/;
const noStack = (s: string) => assert.ok(!/\n\s+at .+:\d+:\d+\)?/.test(s) && !/Error: .*\n\s+at /.test(s), `stack trace in output: ${s}`);

describe('exit status and error format', () => {
  it('0 when every command ran; JSON has version, file, results with seconds and line', () => {
    const r = runSpecText(PREP + 'eststo m1: reghdfe lemp post, absorb(countyreal year) vce(cluster countyreal)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.json.version, 1);
    assert.ok(String(r.json.file).endsWith('spec.pspec'));
    assert.deepEqual(r.json.results.map((x: any) => x.kind), ['data', 'estimation']);
    assert.deepEqual(r.json.results[0], { ...r.json.results[0], kind: 'data', file: 'mpdta.csv', rows: 2500, columns: 6 });
    const m = r.json.results[1];
    assert.equal(m.name, 'm1');
    assert.equal(m.line, 4);
    assert.deepEqual(m.vcov, { type: 'cluster', clusters: ['countyreal'], n_clusters: [500] });
    assert.deepEqual(m.fixed_effects.map((f: any) => [f.name, f.levels]), [['countyreal', 500], ['year', 5]]);
    for (const x of r.json.results) assert.equal(typeof x.seconds, 'number');
  });

  it('1 on a parse error, nothing run, FILE:LINE:COL lines', () => {
    const r = runSpecText(PREP + 'reghdfe lemp post, absorb(countyreal year\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 1);
    const lines = r.stderr.trim().split('\n');
    assert.ok(lines.length >= 1);
    for (const l of lines) assert.match(l, ERROR_LINE);
    assert.match(lines[0], /spec\.pspec:4:\d+: error: /);
    noStack(r.stderr);
    assert.deepEqual(r.json?.results ?? [], []);
  });

  it('1 with every finding at once: a syntax error does not hide unknown variables elsewhere', () => {
    const r = runSpecText(PREP + 'reghdfe lemq post, absorb(countyreal year)\ngen x = (1 +\nreghdfe lemp post, absorb(countyreal) vce(cluster nonexist)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 1);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 3, r.stderr);
    assert.match(lines[0], /spec\.pspec:4:9: error: unknown variable `lemq` \(did you mean `lemp`\?\)/);
    assert.match(lines[1], /spec\.pspec:5:\d+: error: expected a value/);
    assert.match(lines[2], /spec\.pspec:6:\d+: error: unknown variable `nonexist`/);
    noStack(r.stderr);
  });

  it('1 on an unknown command (static check), nothing run', () => {
    const r = runSpecText(PREP + 'frobnicate lemp\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /spec\.pspec:4:1: error: .*frobnicate/);
    noStack(r.stderr);
  });

  it('2 on an estimation error at run time; results before it are in the JSON', () => {
    const r = runSpecText(PREP + 'summarize lemp\ngen c = 1\nreghdfe c post, absorb(countyreal year)\nsummarize post\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 2, r.stderr);
    assert.deepEqual(r.json.results.map((x: any) => x.kind), ['data', 'summary']);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0], /spec\.pspec:6:\d+: error: /);
    noStack(r.stderr);
    assert.equal(r.json.error.line, 6);
  });

  it('2 on a data error at run time (missing data file), with the use line', () => {
    const r = runSpecText('use "missing.csv"\nsummarize x\n', { args: ['--no-check'] });
    assert.equal(r.status, 2);
    assert.match(r.stderr.trim(), /spec\.pspec:1:\d+: error: .*missing\.csv/);
    noStack(r.stderr);
  });

  it('a spec that does not exist is reported as FILE:1:1', () => {
    const dir = workDir();
    const r = runCli(['run', join(dir, 'nope.pspec')], dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr.trim(), /nope\.pspec:1:1: error: cannot read/);
  });

  it('text output without --json prints the tables', () => {
    const r = runSpecText(PREP + 'reghdfe lemp post, absorb(countyreal year) vce(cluster countyreal)\nsummarize lemp\n', { datasets: ['mpdta.csv'], json: false });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /post/);
    assert.match(r.stdout, /-0\.0365/);
    assert.match(r.stdout, /2,500|2500/);
  });
});

describe('replace rule', () => {
  it('esttab using needs replace to overwrite; the file is untouched without it', () => {
    const dir = workDir(['mpdta.csv']);
    writeFileSync(join(dir, 'table.tex'), 'OLD');
    const spec = PREP + 'eststo m1: reghdfe lemp post, absorb(countyreal year) vce(cluster countyreal)\nesttab m1 using "table.tex"\n';
    const a = runSpecText(spec, { dir });
    assert.equal(a.status, 2);
    assert.match(a.stderr, /spec\.pspec:5:\d+: error: .*replace/);
    assert.equal(readFileSync(join(dir, 'table.tex'), 'utf8'), 'OLD');
    assert.deepEqual(a.json.results.map((x: any) => x.kind), ['data', 'estimation']);
    const b = runSpecText(spec.replace('"table.tex"\n', '"table.tex", replace\n'), { dir });
    assert.equal(b.status, 0, b.stderr);
    const tex = readFileSync(join(dir, 'table.tex'), 'utf8');
    assert.match(tex, /tabular/);
    assert.match(tex, /post/);
    const t = b.json.results.find((x: any) => x.kind === 'table');
    assert.deepEqual(t.models, ['m1']);
    assert.equal(t.file, 'table.tex');
  });

  it('esttab writes markdown, html, csv and docx by extension', () => {
    const dir = workDir(['mpdta.csv']);
    const spec =
      PREP +
      'eststo a: reghdfe lemp post, absorb(countyreal year)\neststo b: did lemp post lpop, fe(countyreal year) cluster(countyreal)\n' +
      ['md', 'html', 'csv', 'docx'].map((e) => `esttab a b using "t.${e}"\n`).join('');
    const r = runSpecText(spec, { dir });
    assert.equal(r.status, 0, r.stderr);
    for (const e of ['md', 'html', 'csv', 'docx']) assert.ok(existsSync(join(dir, `t.${e}`)), e);
    assert.match(readFileSync(join(dir, 't.md'), 'utf8'), /\|/);
    assert.equal(readFileSync(join(dir, 't.docx')).subarray(0, 2).toString(), 'PK');
  });

  it('export delimited needs replace to overwrite', () => {
    const dir = workDir(['mpdta.csv']);
    writeFileSync(join(dir, 'o.csv'), 'OLD');
    const a = runSpecText(PREP + 'export delimited "o.csv" countyreal year post\n', { dir });
    assert.equal(a.status, 2);
    assert.equal(readFileSync(join(dir, 'o.csv'), 'utf8'), 'OLD');
    const b = runSpecText(PREP + 'export delimited "o.csv" countyreal year post, replace\n', { dir });
    assert.equal(b.status, 0, b.stderr);
    const lines = readFileSync(join(dir, 'o.csv'), 'utf8').trim().split('\n');
    assert.equal(lines[0], 'countyreal,year,post');
    assert.equal(lines.length, 2501);
  });
});

describe('multiple outcomes and placebo', () => {
  it('did (y1 y2) runs one model per outcome, named NAME_y', () => {
    const r = runSpecText(PREP + 'gen lemp2 = lemp * 2\neststo m: did (lemp lemp2) post, fe(countyreal year) cluster(countyreal)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const ms = r.json.results.filter((x: any) => x.kind === 'estimation');
    assert.deepEqual(ms.map((m: any) => m.name), ['m_lemp', 'm_lemp2']);
    assert.ok(Math.abs(ms[1].coefficients[0].estimate - 2 * ms[0].coefficients[0].estimate) < 1e-10);
  });

  it('placebo: same seed gives the same draws; p-value is the share of |draw| >= |actual|', () => {
    const spec = PREP + 'placebo reps(20) seed(7): did lemp post, fe(countyreal year) cluster(countyreal)\n';
    const a = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(a.status, 0, a.stderr);
    const p = a.json.results.find((x: any) => x.kind === 'placebo');
    assert.equal(p.reps, 20);
    assert.equal(p.draws.length, 20);
    assert.ok(Math.abs(p.actual - -0.03654893667406738) < 1e-9);
    const share = p.draws.filter((d: number) => Math.abs(d) >= Math.abs(p.actual)).length / 20;
    assert.equal(p.p_value, share);
    const b = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.deepEqual(b.json.results.find((x: any) => x.kind === 'placebo').draws, p.draws);
  });
});
