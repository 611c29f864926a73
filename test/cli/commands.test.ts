// Commands through the CLI beyond the reference cases: reg with _cons against closed-form OLS,
// psmatch, tabstat/describe/tabulate, labels in esttab, lsp --stdio answering initialize.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { CLI, close, mpdta, PREP, runSpecText, workDir } from './helpers';


describe('reg', () => {
  it('reg y x reports _cons and matches closed-form OLS with iid errors', () => {
    const r = runSpecText(PREP + 'reg lemp lpop\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const m = r.json.results.find((x: any) => x.kind === 'estimation');
    assert.equal(m.command, 'reg');
    assert.deepEqual(m.coefficients.map((c: any) => c.term), ['lpop', '_cons']);
    assert.equal(m.r2_within, null);
    assert.equal(m.vcov.type, 'iid');
    const d = mpdta();
    const n = d.length;
    const mx = d.reduce((s, o) => s + o.lpop, 0) / n;
    const my = d.reduce((s, o) => s + o.lemp, 0) / n;
    const sxx = d.reduce((s, o) => s + (o.lpop - mx) ** 2, 0);
    const sxy = d.reduce((s, o) => s + (o.lpop - mx) * (o.lemp - my), 0);
    const b = sxy / sxx;
    const a = my - b * mx;
    const ssr = d.reduce((s, o) => s + (o.lemp - a - b * o.lpop) ** 2, 0);
    const se = Math.sqrt(ssr / (n - 2) / sxx);
    assert.ok(close(m.coefficients[0].estimate, b));
    assert.ok(close(m.coefficients[1].estimate, a));
    assert.ok(close(m.coefficients[0].se, se));
    assert.equal(m.nobs, n);
  });

  it('[aw=VAR] weights and if restrict the sample', () => {
    const r = runSpecText(PREP + 'reg lemp lpop if year >= 2005 [aw=lpop]\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const m = r.json.results.find((x: any) => x.kind === 'estimation');
    assert.equal(m.nobs, 1500);
    const d = mpdta().filter((o) => o.year >= 2005);
    const W = d.reduce((s, o) => s + o.lpop, 0);
    const mx = d.reduce((s, o) => s + o.lpop * o.lpop, 0) / W;
    const my = d.reduce((s, o) => s + o.lpop * o.lemp, 0) / W;
    const b = d.reduce((s, o) => s + o.lpop * (o.lpop - mx) * (o.lemp - my), 0) / d.reduce((s, o) => s + o.lpop * (o.lpop - mx) ** 2, 0);
    assert.ok(close(m.coefficients[0].estimate, b));
  });
});

describe('study commands', () => {
  it('psmatch creates the variable and reports match counts', () => {
    const r = runSpecText(PREP + 'psmatch treat lpop if year == 2003, gen(m) neighbors(1)\nsummarize m\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const pm = r.json.results.find((x: any) => x.kind === 'match');
    assert.equal(pm.name, 'm');
    const treated = mpdta().filter((o) => o.year === 2003 && o.treat === 1).length;
    assert.equal(pm.treated_matched, treated); // no caliper: every treated row finds a match
    assert.ok(pm.controls_used >= 1 && pm.controls_used <= treated);
    assert.equal(pm.rows_kept, pm.treated_matched + pm.controls_used);
    const s = r.json.results.find((x: any) => x.kind === 'summary').rows[0];
    assert.equal(s.n, 2500);
    assert.ok(close(s.mean, pm.rows_kept / 2500));
  });

  it('entropy through the CLI gives kind index with weights summing to 1', () => {
    const r = runSpecText(PREP + 'entropy idx = lpop lemp, negative(lemp)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const e = r.json.results.find((x: any) => x.kind === 'index');
    assert.equal(e.method, 'entropy');
    assert.deepEqual(e.weights.map((w: any) => [w.var, w.direction]), [['lpop', 1], ['lemp', -1]]);
    assert.ok(close(e.weights[0].weight + e.weights[1].weight, 1));
  });
});

describe('descriptive commands', () => {
  it('tabstat, describe and tabulate', () => {
    const r = runSpecText(PREP + 'tabstat lemp, statistics(n mean p50) by(year)\ndescribe\ntabulate year if post == 1\nlabel var lemp "Log employment"\ndescribe lemp\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const [ts, d1, tab, d2] = r.json.results.slice(1);
    assert.equal(ts.kind, 'tabstat');
    assert.equal(ts.rows.length, 6); // 5 years + total
    assert.equal(ts.rows[0].group, '2003');
    assert.equal(ts.rows[0].n, 500);
    assert.equal(d1.kind, 'describe');
    assert.equal(d1.panel.units, 500);
    assert.equal(d1.panel.periods, 5);
    assert.equal(d1.panel.balanced, true);
    assert.ok(d1.variables.find((v: any) => v.name === 'first_treat'));
    assert.equal(tab.kind, 'tabulate');
    const post = mpdta().filter((o) => o.treat === 1 && o.year >= o['first.treat']);
    assert.equal(tab.total, post.length);
    assert.equal(d2.variables[0].label, 'Log employment');
  });
});

describe('globals and panel inference', () => {
  it('$globals expand inside options and nested definitions expand when defined', () => {
    const r = runSpecText(
      `use "mpdta.csv"
gen post = treat * (year >= first_treat)
global fe countyreal year
global cl cluster countyreal
global rhs post
global all $rhs lpop
global rhs nothing_here
reghdfe lemp $all, absorb($fe) vce($cl)
`,
      { datasets: ['mpdta.csv'] },
    );
    assert.equal(r.status, 0, r.stderr);
    const m = r.json.results.find((x: any) => x.kind === 'estimation');
    // lpop does not vary within county: absorbed by the county FE, so reported as omitted
    assert.deepEqual(m.coefficients.map((c: any) => c.term), ['post']);
    assert.deepEqual(m.omitted.map((o: any) => o.term), ['lpop']);
    assert.deepEqual(m.vcov.n_clusters, [500]);
  });

  it('eventstudy without xtset takes the time variable from fe()', () => {
    const r = runSpecText('use "mpdta.csv"\neventstudy lemp, treat(first_treat) window(-4 3) ref(-1) fe(countyreal year) cluster(countyreal)\n', { datasets: ['mpdta.csv'], args: ['--no-check'] });
    assert.equal(r.status, 0, r.stderr);
    const m = r.json.results.find((x: any) => x.kind === 'estimation');
    assert.equal(m.event_time.length, 8);
    assert.ok(close(m.event_time.find((e: any) => e.k === 0).estimate, -0.018143926966580917));
  });
});

describe('lsp --stdio', () => {
  it('answers initialize over stdio', async () => {
    const dir = workDir();
    const child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { cwd: dir });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    const reply = await new Promise<string>((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => reject(new Error(`no reply; got ${buf}`)), 15000);
      child.stdout.on('data', (d) => {
        buf += d.toString();
        if (/"id":\s*1/.test(buf) && buf.includes('capabilities')) {
          clearTimeout(timer);
          resolve(buf);
        }
      });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
    child.kill();
    assert.match(reply, /Content-Length: \d+/);
    assert.match(reply, /"capabilities"/);
  });
});
