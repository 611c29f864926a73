// coefplot through the CLI: the intervals in the JSON against the models' own (95%) and the
// t-quantile formula with the model's df (90%), keep/drop/rename, graph export, and errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PREP, loadCase, runSpecText } from './helpers';
import { tQuantile } from '../../server/src/engine/dist';
import { parseXml, findAll, hasClass, allText } from '../results/xml';

const MODELS = `label var lpop "Log population <&>"
eststo m1: reg lemp post lpop, vce(cluster countyreal)
eststo m2: reg lemp post lpop, robust
eststo m3: did lemp post, fe(countyreal year) cluster(countyreal)
`;

const run = (tail: string) => runSpecText(PREP + MODELS + tail, { datasets: ['mpdta.csv'] });
const plots = (json: any) => json.results.filter((r: any) => r.kind === 'plot' && r.plot === 'coefplot');
const model = (json: any, name: string) => json.results.find((r: any) => r.kind === 'estimation' && r.name === name);

describe('coefplot', () => {
  it('at 95% the intervals are exactly the models\' ci_low/ci_high; at 90% estimate ± t(df_t) · se', () => {
    const r = run('coefplot m1 m2 m3\ncoefplot m1 m2 m3, levels(90) xline(0)\n');
    assert.equal(r.status, 0, r.stderr);
    const [p95, p90] = plots(r.json);
    assert.deepEqual(p95.models, ['m1', 'm2', 'm3']);
    assert.equal(p95.level, 95);
    assert.equal(p90.level, 90);
    assert.deepEqual(p90.xline, [0]);
    assert.equal(p95.vertical, false);
    // rows: union of the models' coefficients, in order of first appearance
    assert.deepEqual(p95.categories.map((c: any) => c.name), ['post', 'lpop', '_cons']);
    let checked = 0;
    for (const name of ['m1', 'm2', 'm3']) {
      const m = model(r.json, name);
      const s95 = p95.series.find((s: any) => s.model === name);
      const s90 = p90.series.find((s: any) => s.model === name);
      assert.equal(s95.points.length, m.coefficients.length);
      for (const c of m.coefficients) {
        const a = s95.points.find((p: any) => p.term === c.term);
        assert.equal(a.estimate, c.estimate);
        assert.equal(a.ci_low, c.ci_low);
        assert.equal(a.ci_high, c.ci_high);
        assert.equal(a.df, m.df_t);
        // the model's 95% bounds are the same formula with its df: so the df carried is the right one
        const q975 = tQuantile(0.975, m.df_t);
        assert.ok(Math.abs(c.estimate - q975 * c.se - c.ci_low) < 1e-12 * Math.max(1, Math.abs(c.ci_low)));
        const b = s90.points.find((p: any) => p.term === c.term);
        const q95 = tQuantile(0.95, m.df_t);
        assert.ok(Math.abs(b.ci_low - (c.estimate - q95 * c.se)) < 1e-12, `${name} ${c.term} low`);
        assert.ok(Math.abs(b.ci_high - (c.estimate + q95 * c.se)) < 1e-12, `${name} ${c.term} high`);
        assert.ok(b.ci_high - b.ci_low < c.ci_high - c.ci_low);
        assert.equal(b.level, 90);
        checked++;
      }
    }
    assert.equal(checked, 7);
    // clustered models use G - 1 (500 counties), the robust one N - K
    assert.equal(model(r.json, 'm1').df_t, 499);
    assert.equal(p90.series[0].points[0].df, 499);
    assert.equal(p90.series[1].points[0].df, 2500 - 3);
    // the 90% t quantile with 499 df, independently: 1.64791 (tables of Student's t)
    const p = p90.series[0].points[0];
    assert.ok(Math.abs((p.ci_high - p.estimate) / p.se - 1.64791) < 1e-4);
  });

  it('keep, drop and rename choose and name the rows; labels unless nolabels', () => {
    const r = run('coefplot m1 m2, keep(post lpop) rename(lpop = "Pop <x>")\ncoefplot m1 m3, drop(_cons l*)\ncoefplot m1, keep(l*) nolabels\ncoefplot m1, drop(_cons)\n');
    assert.equal(r.status, 0, r.stderr);
    const [a, b, c, d] = plots(r.json);
    assert.deepEqual(a.categories, [
      { name: 'post', label: 'post' },
      { name: 'Pop <x>', label: 'Pop <x>' },
    ]);
    assert.deepEqual(a.series.map((s: any) => s.points.map((p: any) => p.term)), [['post', 'lpop'], ['post', 'lpop']]);
    assert.deepEqual(b.categories.map((x: any) => x.name), ['post']);
    assert.deepEqual(b.series.map((s: any) => s.points.length), [1, 1]);
    assert.deepEqual(c.categories, [{ name: 'lpop', label: 'lpop' }]);
    assert.deepEqual(d.categories, [
      { name: 'post', label: 'post' },
      { name: 'lpop', label: 'Log population <&>' },
    ]);
    // the text output lists the plotted numbers
    const t = runSpecText(PREP + MODELS + 'coefplot m1, keep(post)\n', { datasets: ['mpdta.csv'], json: false });
    assert.match(t.stdout, /coefplot: m1 \(95% intervals\)\n\s+m1\s+post\s+0\.07\d+\s+\[0\.00\d+, 0\.13\d+\]/);
  });

  it('graph export writes the latest coefplot as a standalone SVG, labels escaped', () => {
    const r = run('coefplot m1 m2, keep(post lpop) xline(0) title("Mechanisms <&>")\ngraph export "figs/cp.svg"\n');
    assert.equal(r.status, 0, r.stderr);
    const g = r.json.results.find((x: any) => x.kind === 'graph');
    assert.deepEqual([g.file, g.plot, g.source_line], ['figs/cp.svg', 'coefplot', 8]);
    const svg = readFileSync(join(r.dir, 'figs', 'cp.svg'), 'utf8');
    assert.ok(!svg.includes('currentColor'));
    const root = parseXml(svg).children[0];
    // text is read back as written in the file: data-derived strings escaped, never raw markup
    assert.equal(allText(findAll(root, hasClass('ps-title'))[0]), 'Mechanisms &lt;&amp;&gt;');
    assert.deepEqual(findAll(root, hasClass('ps-cp-label')).map((e) => e.text), ['post', 'Log population &lt;&amp;&gt;']);
    assert.equal(findAll(root, hasClass('ps-cp-marker')).length, 4);
    assert.equal(findAll(root, hasClass('ps-xline')).length, 1);
  });

  it('errors: unknown model, nothing left after keep, bad levels, each with its range', () => {
    const a = run('coefplot m1 m9\n');
    assert.equal(a.status, 1); // the static check refuses it before running
    assert.match(a.stderr, /spec\.pspec:8:13: error: model `m9` was not stored/);
    const b = run('coefplot m1, keep(nothing*)\n');
    assert.equal(b.status, 2);
    assert.match(b.stderr, /spec\.pspec:8:14: error: coefplot: no coefficient left to plot after keep\(nothing\*\) \(the models have: post lpop _cons\)/);
    const c = run('coefplot m1, levels(100)\n');
    assert.equal(c.status, 1); // the option's declared range: the static check refuses it, as the runtime would
    assert.match(c.stderr, /spec\.pspec:8:21: error: option levels\(\) must be between 10 and 99\.99, found 100/);
    const w = run('coefplot z*\n');
    assert.equal(w.status, 2);
    assert.match(w.stderr, /spec\.pspec:8:10: error: coefplot: no stored model matches z\*/);
    const d = run('coefplot m1, xline(zero)\n');
    assert.notEqual(d.status, 0);
    assert.match(d.stderr, /spec\.pspec:8:\d+: error: .*xline\(\)/);
    assert.ok(!existsSync(join(d.dir, 'figs')));
  });
});

const FOUR = `eststo es_twfe: eventstudy lemp, treat(first_treat) window(-3 3) ref(-1) fe(countyreal year) cluster(countyreal)
eststo es_sa: eventstudy lemp, treat(first_treat) window(-3 3) ref(-1) fe(countyreal year) cluster(countyreal) estimator(sunab)
eststo es_cs: eventstudy lemp, treat(first_treat) window(-3 3) fe(countyreal year) cluster(countyreal) estimator(cs)
eststo es_bjs: eventstudy lemp, treat(first_treat) window(-3 3) fe(countyreal year) cluster(countyreal) estimator(bjs)
eststo cs: csdid lemp, gvar(first_treat)
`;

describe('coefplot of event studies', () => {
  it('plots each model\'s event_time rows at their k: the reference period at 0, csdid\'s dynamic effects, not its ATT', () => {
    const r = runSpecText(PREP + FOUR + 'coefplot es_twfe es_sa es_cs es_bjs, vertical yline(0)\ngraph export "four.svg"\ncoefplot cs\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const [p, pcs] = plots(r.json);
    assert.equal(p.axis, 'event_time');
    assert.deepEqual(p.categories.map((c: any) => c.at), [-3, -2, -1, 0, 1, 2, 3]);
    assert.deepEqual(p.categories.map((c: any) => c.label), ['−3', '−2', '−1', '0', '1', '2', '3']);
    assert.deepEqual(p.series.map((s: any) => s.model), ['es_twfe', 'es_sa', 'es_cs', 'es_bjs']);
    assert.deepEqual(p.series.map((s: any) => s.legend), ['es_twfe (TWFE)', 'es_sa (Sun-Abraham)', "es_cs (Callaway-Sant'Anna)", 'es_bjs (Borusyak-Jaravel-Spiess)']);
    for (const s of p.series) {
      const m = model(r.json, s.model);
      // every event_time row, in order, with the model's own estimate and 95% interval
      assert.deepEqual(s.points.map((x: any) => Number(x.category)), m.event_time.map((e: any) => e.k));
      s.points.forEach((x: any, i: number) => {
        const e = m.event_time[i];
        assert.equal(x.estimate, e.estimate);
        assert.equal(x.ci_low, e.se === 0 ? e.estimate : e.ci_low);
        assert.equal(x.ci_high, e.se === 0 ? e.estimate : e.ci_high);
      });
    }
    // TWFE and Sun-Abraham leave k = -1 out: a point at exactly 0 with no interval; CS and BJS estimate it
    for (const name of ['es_twfe', 'es_sa']) {
      const ref = p.series.find((s: any) => s.model === name).points.find((x: any) => x.category === '-1');
      assert.deepEqual([ref.estimate, ref.ci_low, ref.ci_high, ref.term], [0, 0, 0, '_k_m1']);
    }
    for (const name of ['es_cs', 'es_bjs']) assert.notEqual(p.series.find((s: any) => s.model === name).points.find((x: any) => x.category === '-1').estimate, 0);
    // csdid alone: its event_time (the dynamic aggregation, every e from -3 to 3 on mpdta), not the one ATT
    const cs = model(r.json, 'cs');
    assert.equal(pcs.axis, 'event_time');
    assert.deepEqual(pcs.series[0].points.map((x: any) => x.estimate), cs.event_time.map((e: any) => e.estimate));
    assert.deepEqual(pcs.series[0].points.map((x: any) => x.estimate), cs.aggregate.event.by.map((e: any) => e.att));
    // the plotted numbers against R: did's aggte(type = "dynamic") and didimputation's horizon table
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-8, Math.abs(b));
    const dyn = loadCase('mpdta_cs_nevertreated').results.aggte_dynamic.by_event_time;
    assert.equal(pcs.series[0].points.length, dyn.length);
    pcs.series[0].points.forEach((x: any, i: number) => {
      assert.equal(Number(x.category), dyn[i].e);
      assert.ok(rel(x.estimate, dyn[i].att) < 1e-6 && rel(x.se, dyn[i].se) < 1e-6, `cs e=${dyn[i].e}: ${x.estimate} vs R ${dyn[i].att}`);
    });
    const hor = loadCase('mpdta_bjs').results.horizon.table;
    const bjs = p.series.find((s: any) => s.model === 'es_bjs').points;
    assert.equal(bjs.length, hor.length);
    bjs.forEach((x: any, i: number) => {
      assert.equal(x.category, hor[i].term);
      assert.ok(rel(x.estimate, hor[i].estimate) < 1e-6 && rel(x.se, hor[i]['std.error']) < 1e-6, `bjs k=${hor[i].term}: ${x.estimate} vs R ${hor[i].estimate}`);
    });
    // the exported SVG: 4 series of 7 markers each, the k axis titled, and a legend
    const svg = parseXml(readFileSync(join(r.dir, 'four.svg'), 'utf8'));
    assert.equal(findAll(svg, hasClass('ps-cp-marker')).length, 28);
    assert.match(allText(svg), /Periods relative to adoption \(k\)/);
    assert.match(allText(svg), /es_bjs \(Borusyak-Jaravel-Spiess\)/);
  });

  it('levels(90): estimate ± t(df_t) · se for the regressions, ± z · se for csdid (normal, as R did)', () => {
    const r = runSpecText(PREP + FOUR + 'coefplot es_twfe es_cs, levels(90) keep(_k_0 _k_m2)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const [p] = plots(r.json);
    const z90 = 1.6448536269514722; // qnorm(0.95)
    const tw = model(r.json, 'es_twfe');
    const csm = model(r.json, 'es_cs');
    assert.deepEqual(p.series.map((s: any) => s.points.map((x: any) => x.term)), [['_k_m2', '_k_0'], ['_k_m2', '_k_0']]);
    for (const [s, m, q] of [[p.series[0], tw, tQuantile(0.95, tw.df_t)], [p.series[1], csm, z90]] as const) {
      for (const x of s.points) {
        const e = m.event_time.find((e: any) => String(e.k) === x.category);
        assert.ok(Math.abs(x.ci_low - (e.estimate - q * e.se)) < 1e-12 * Math.max(1, Math.abs(x.ci_low)));
        assert.ok(Math.abs(x.ci_high - (e.estimate + q * e.se)) < 1e-12 * Math.max(1, Math.abs(x.ci_high)));
      }
    }
    assert.equal(p.series[1].points[0].df, null);
    assert.equal(p.series[0].points[0].df, tw.df_t);
  });

  it('an event study beside a plain regression is refused, not drawn on a mixed axis', () => {
    const r = runSpecText(PREP + FOUR + 'eststo m3: did lemp post, fe(countyreal year) cluster(countyreal)\ncoefplot es_twfe m3\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /coefplot: .*event stud/);
  });
});
