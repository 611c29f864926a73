// level(): the intervals of every estimation follow it (ci_low/ci_high in the JSON, the text table,
// the event-time rows), with the model's own t df; esttab's ci / ci(fmt) put the interval in brackets.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PREP, runSpecText } from './helpers';
import { tQuantile } from '../../server/src/engine/dist';

const MODELS = `eststo m95: reghdfe lemp post lpop, absorb(countyreal year) vce(cluster countyreal)
eststo m90: reghdfe lemp post lpop, absorb(countyreal year) vce(cluster countyreal) level(90)
eststo iv90: ivreghdfe lemp (post = treat) lpop, absorb(year) robust level(80)
eststo es90: eventstudy lemp, treat(first_treat) window(-3 2) ref(-1) fe(countyreal year) cluster(countyreal) level(90)
`;
const est = (json: any, name: string) => json.results.find((r: any) => r.kind === 'estimation' && r.name === name);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

describe('level()', () => {
  it('moves ci_low/ci_high to estimate ± t(df_t) · se at the level, and nothing else', () => {
    const r = runSpecText(PREP + MODELS, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const m95 = est(r.json, 'm95');
    const m90 = est(r.json, 'm90');
    assert.equal(m95.level, undefined);
    assert.equal(m90.level, 90);
    assert.equal(m90.df_t, m95.df_t);
    let checked = 0;
    for (const [model, level] of [[m95, 95], [m90, 90], [est(r.json, 'iv90'), 80]] as const) {
      const q = tQuantile(1 - (1 - level / 100) / 2, model.df_t);
      for (const c of model.coefficients) {
        assert.ok(rel(c.ci_low, c.estimate - q * c.se) < 1e-12, `${c.term} low at ${level}`);
        assert.ok(rel(c.ci_high, c.estimate + q * c.se) < 1e-12, `${c.term} high at ${level}`);
        checked++;
      }
    }
    assert.equal(checked, 1 + 1 + 2); // lpop is time-invariant: absorbed by countyreal in the reghdfe models
    m90.coefficients.forEach((c: any, j: number) => {
      const d = m95.coefficients[j];
      assert.equal(c.estimate, d.estimate);
      assert.equal(c.se, d.se);
      assert.equal(c.p, d.p);
      assert.ok(c.ci_high - c.ci_low < d.ci_high - d.ci_low, 'the 90% interval is the narrower');
    });
    // the event-time rows carry the 90% intervals of their dummies
    const es = est(r.json, 'es90');
    const q90 = tQuantile(0.95, es.df_t);
    const rows = es.event_time.filter((e: any) => e.se > 0);
    assert.ok(rows.length >= 4);
    for (const e of rows) assert.ok(rel(e.ci_high, e.estimate + q90 * e.se) < 1e-12, `k = ${e.k}`);
  });

  it('the text output shows coefficient, SE, t, p and the interval at the level', () => {
    const r = runSpecText(PREP + 'reghdfe lemp post lpop, absorb(countyreal year) vce(cluster countyreal) level(90)\n', { datasets: ['mpdta.csv'], json: false });
    assert.equal(r.status, 0, r.stderr);
    const j = runSpecText(PREP + 'reghdfe lemp post lpop, absorb(countyreal year) vce(cluster countyreal) level(90)\n', { datasets: ['mpdta.csv'] }).json;
    const post = j.results.find((x: any) => x.kind === 'estimation').coefficients.find((c: any) => c.term === 'post');
    assert.match(r.stdout, /Coefficient\s+Std\. err\.\s+t\s+P>\|t\|\s+\[90% conf\.\s+interval\]/);
    const line = r.stdout.split('\n').find((l) => /^\s*post\s/.test(l));
    assert.ok(line, r.stdout);
    const nums = line!.trim().split(/\s+/).slice(1);
    assert.deepEqual(nums, [post.estimate, post.se].map((x: number) => x.toFixed(4)).concat([post.t.toFixed(2), post.p.toFixed(3), post.ci_low.toFixed(4), post.ci_high.toFixed(4)]));
  });

  it('rejects a level outside 10 .. 99.99 at the option (the checker, from the table\'s rule)', () => {
    const r = runSpecText(PREP + 'reg lemp post, level(150)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /spec\.pspec:4:\d+: error: option level\(\) must be between 10 and 99\.99, found 150/);
  });
});

describe('esttab ci', () => {
  it('puts [ci_low, ci_high] in brackets under the estimate; ci(fmt) formats it', () => {
    const r = runSpecText(PREP + MODELS + 'esttab m95 m90, ci\nesttab m90, ci(%9.2f)\n', { datasets: ['mpdta.csv'], json: false });
    assert.equal(r.status, 0, r.stderr);
    const j = runSpecText(PREP + MODELS, { datasets: ['mpdta.csv'] }).json;
    const p95 = est(j, 'm95').coefficients.find((c: any) => c.term === 'post');
    const p90 = est(j, 'm90').coefficients.find((c: any) => c.term === 'post');
    const f4 = (x: number) => x.toFixed(4);
    assert.ok(r.stdout.includes(`[${f4(p95.ci_low)}, ${f4(p95.ci_high)}]`), r.stdout);
    assert.ok(r.stdout.includes(`[${f4(p90.ci_low)}, ${f4(p90.ci_high)}]`), r.stdout);
    assert.ok(r.stdout.includes(`[${p90.ci_low.toFixed(2)}, ${p90.ci_high.toFixed(2)}]`), r.stdout);
    assert.match(r.stdout, /Confidence intervals in brackets/); // two levels in one table
    assert.match(r.stdout, /90% confidence intervals in brackets/);
  });

  it('ci and p together is an error', () => {
    const r = runSpecText(PREP + 'reg lemp post\nesttab, ci p\n', { datasets: ['mpdta.csv'] });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr + r.stdout, /choose one of se, t, p and ci/);
  });
});
