// log using / log close: the log holds what the run shows between them (tables with the run's
// estimates, timings), is closed at the end of the run if still open (with the error that stopped
// it), refuses to overwrite without replace, and appends with append.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PREP, runSpecText, workDir } from './helpers';

describe('log using', () => {
  it('writes the results between log using and log close, as the command line shows them', () => {
    const r = runSpecText(
      PREP + 'log using "logs/run.log", replace text\nsummarize lemp\neststo m1: reghdfe lemp post, absorb(countyreal year) vce(cluster countyreal)\nlog close\neststo m2: reghdfe lemp post lpop, absorb(year)\n',
      { datasets: ['mpdta.csv'] },
    );
    assert.equal(r.status, 0, r.stderr);
    const log = readFileSync(join(r.dir, 'logs', 'run.log'), 'utf8');
    assert.match(log, /^-{79}\n {6}name: {2}<unnamed>\n {7}log: {2}.*run\.log\n {2}log type: {2}text\n opened on: /);
    const m1 = r.json.results.find((x: any) => x.name === 'm1');
    const post = m1.coefficients.find((c: any) => c.term === 'post');
    assert.ok(log.includes(post.estimate.toFixed(4)), 'm1 estimate in the log');
    // the coefficient table's row: estimate, SE, t, p, interval
    assert.match(log, new RegExp(`post\\s+${post.estimate.toFixed(4)}\\s+${post.se.toFixed(4)}\\s`), 'm1 standard error in the log');
    assert.match(log, /\. \[line 5\]\nDescriptive statistics/);
    assert.match(log, /^\(\d+\.\d{3} s\)$/m);
    assert.match(log, / closed on: .*\n-{79}\n$/);
    assert.ok(!log.includes('m2'), 'nothing after log close');
  });

  it('an error closes the log with the error; no overwrite without replace; append adds', () => {
    const dir = workDir(['mpdta.csv']);
    const bad = runSpecText(PREP + 'log using "e.log"\nreghdfe lemp post, absorb(countyreal year)\nreghdfe lemp nosuch, absorb(year)\n', { dir, json: false });
    assert.equal(bad.status, 1, 'the checker stops an unknown variable before anything runs');
    const failing = runSpecText(PREP + 'log using "e.log"\nreghdfe lemp post, absorb(countyreal year)\nreghdfe lemp treat, absorb(countyreal)\n', { dir });
    assert.equal(failing.status, 2);
    const log = readFileSync(join(dir, 'e.log'), 'utf8');
    assert.match(log, /error at line 6: .*collinear/);
    assert.match(log, / closed on: /);
    writeFileSync(join(dir, 'keep.log'), 'OLD\n');
    const refused = runSpecText(PREP + 'log using "keep.log"\n', { dir });
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /file keep\.log already exists \(add option replace/);
    const appended = runSpecText(PREP + 'log using "keep.log", append\nsummarize lemp\nlog close\n', { dir });
    assert.equal(appended.status, 0, appended.stderr);
    const kept = readFileSync(join(dir, 'keep.log'), 'utf8');
    assert.ok(kept.startsWith('OLD\n-'), kept.slice(0, 40));
    assert.match(kept, /Descriptive statistics/);
    const noLog = runSpecText(PREP + 'log close\n', { dir });
    assert.equal(noLog.status, 2);
    assert.match(noLog.stderr, /log close: no log is open/);
  });
});
