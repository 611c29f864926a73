// Contract audit: summarize, entropy, psmatch and placebo through the CLI against hand computations
// of CONTRACT.md's definitions (no PanelSpec code on the test side).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { PREP, REF, close, runSpecText } from './helpers';
import { readCsv, type Row } from './contract-audit-dense';

const mp = (): Row[] => readCsv(join(REF, 'data', 'mpdta.csv')).map((r) => ({ ...r, post: r.treat * (r.year >= r['first.treat'] ? 1 : 0) }));
const of = (json: any, kind: string, i = 0) => json.results.filter((x: any) => x.kind === kind)[i];
const near = (a: number, b: number, what: string, rel = 1e-9) => assert.ok(close(a, b, rel, 1e-12), `${what}: ${a} vs ${b}`);

function moments(xs: number[]) {
  const v = xs.filter((x) => Number.isFinite(x));
  const n = v.length;
  const mean = v.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  return { n, mean, sd, min: Math.min(...v), max: Math.max(...v) };
}

describe('summarize', () => {
  it('summ/su/summarize with if, missing values left out, sd with n - 1, rows in varlist order', () => {
    const spec = PREP + 'gen half = lemp if mod(countyreal, 2) == 0\nsumm lemp half if year >= 2005\nsu post\n';
    const r = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const [a, b] = r.json.results.filter((x: any) => x.kind === 'summary');
    assert.deepEqual(a.rows.map((x: any) => x.var), ['lemp', 'half']);
    const d = mp().filter((o) => o.year >= 2005);
    const lemp = moments(d.map((o) => o.lemp));
    const half = moments(d.map((o) => (o.countyreal % 2 === 0 ? o.lemp : NaN)));
    for (const [row, m] of [[a.rows[0], lemp], [a.rows[1], half]] as const) {
      assert.equal(row.n, m.n);
      near(row.mean, m.mean, 'mean');
      near(row.sd, m.sd, 'sd');
      assert.equal(row.min, m.min);
      assert.equal(row.max, m.max);
    }
    assert.equal(b.rows[0].n, 2500);
    near(b.rows[0].mean, mp().filter((o) => o.post === 1).length / 2500, 'post mean');
  });

  it('a string variable and an all-missing variable: n 0 and null statistics; one row: sd null; no error', () => {
    const spec = PREP + 'gen s = "abc"\ngen m = .\ngen one = lemp if countyreal == 8001 & year == 2003\nsummarize s m one\n';
    const r = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const rows = of(r.json, 'summary').rows;
    assert.deepEqual(rows.map((x: any) => x.var), ['s', 'm', 'one']);
    for (const x of rows.slice(0, 2)) assert.deepEqual([x.n, x.mean, x.sd, x.min, x.max], [0, null, null, null, null]);
    assert.equal(rows[2].n, 1);
    assert.equal(rows[2].sd, null);
    assert.equal(rows[2].mean, mp()[0].lemp);
  });

  it('log of a negative, division by zero and overflow give missing values (never Inf or NaN in the JSON)', () => {
    const spec = PREP + 'gen a = log(lemp - 100)\ngen b = lemp / (year - year)\ngen c = exp(lemp * 1000)\nsummarize a b c lemp\n';
    const r = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const rows = of(r.json, 'summary').rows;
    for (const x of rows.slice(0, 3)) assert.equal(x.n, 0, x.var);
    assert.doesNotMatch(readFileSync(join(r.dir, 'out.json'), 'utf8'), /Infinity|NaN/);
  });
});

describe('entropy (CONTRACT.md formula by hand)', () => {
  function entropyByHand(rows: Row[], vars: string[], neg: Set<string>, shift: number, scale: number) {
    const n = rows.length;
    const xs = vars.map((v) => {
      const col = rows.map((o) => o[v]);
      const lo = Math.min(...col);
      const hi = Math.max(...col);
      return col.map((x) => (neg.has(v) ? (hi - x) / (hi - lo) : (x - lo) / (hi - lo)) + shift);
    });
    const e = xs.map((c) => {
      const s = c.reduce((a, b) => a + b, 0);
      return -c.reduce((a, x) => a + (x / s) * Math.log(x / s), 0) / Math.log(n);
    });
    const d = e.map((v) => 1 - v);
    const sd = d.reduce((a, b) => a + b, 0);
    const w = d.map((v) => v / sd);
    const idx = rows.map((_, i) => scale * xs.reduce((a, c, j) => a + w[j] * c[i], 0));
    return { w, idx };
  }

  it('negative(), shift(), scale() and if: weights and the new variable', () => {
    const spec = PREP + 'gen emp = exp(lemp)\nentropy ix = lpop lemp emp if year >= 2004, negative(lemp) shift(0.01) scale(10)\nsummarize ix\nexport delimited "ix.csv" ix, replace\n';
    const r = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const e = of(r.json, 'index');
    assert.equal(e.name, 'ix');
    assert.equal(e.method, 'entropy');
    assert.deepEqual(e.weights.map((w: any) => [w.var, w.direction]), [['lpop', 1], ['lemp', -1], ['emp', 1]]);
    const rows = mp().filter((o) => o.year >= 2004).map((o) => ({ ...o, emp: Math.exp(o.lemp) }));
    const h = entropyByHand(rows, ['lpop', 'lemp', 'emp'], new Set(['lemp']), 0.01, 10);
    e.weights.forEach((w: any, j: number) => near(w.weight, h.w[j], `weight ${w.var}`, 1e-10));
    const s = of(r.json, 'summary').rows[0];
    assert.equal(s.n, 2000); // rows outside if are missing
    const m = moments(h.idx);
    near(s.mean, m.mean, 'index mean', 1e-10);
    near(s.sd, m.sd, 'index sd', 1e-9);
    // row by row, in file order (rows with year 2003 empty)
    const lines = readFileSync(join(r.dir, 'ix.csv'), 'utf8').trim().split('\n').slice(1);
    const all = mp();
    let j = 0;
    lines.forEach((l, i) => {
      if (all[i].year >= 2004) near(Number(l), h.idx[j++], `row ${i + 1}`, 1e-9);
      else assert.ok(l === '' || l === '.', `row ${i + 1} missing: ${l}`);
    });
  });

  it('defaults shift(0.0001) scale(100)', () => {
    const r = runSpecText(PREP + 'entropy ix = lpop lemp\nsummarize ix\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const h = entropyByHand(mp(), ['lpop', 'lemp'], new Set(), 0.0001, 100);
    of(r.json, 'index').weights.forEach((w: any, j: number) => near(w.weight, h.w[j], w.var, 1e-10));
    near(of(r.json, 'summary').rows[0].max, Math.max(...h.idx), 'max', 1e-10);
  });
});

describe('psmatch against an independent logit and nearest-neighbour match', () => {
  function logit(y: number[], X: number[][]): number[] {
    // Newton-Raphson, columns of X plus a constant
    const k = X[0].length + 1;
    let b = new Array(k).fill(0);
    for (let it = 0; it < 100; it++) {
      const g = new Array(k).fill(0);
      const H = Array.from({ length: k }, () => new Array(k).fill(0));
      y.forEach((yi, i) => {
        const x = [...X[i], 1];
        const p = 1 / (1 + Math.exp(-x.reduce((s, v, j) => s + v * b[j], 0)));
        for (let a = 0; a < k; a++) {
          g[a] += (yi - p) * x[a];
          for (let c = 0; c < k; c++) H[a][c] += p * (1 - p) * x[a] * x[c];
        }
      });
      // solve H d = g (Gauss)
      const A = H.map((r, i) => [...r, g[i]]);
      for (let c = 0; c < k; c++) {
        let piv = c;
        for (let r = c + 1; r < k; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
        [A[c], A[piv]] = [A[piv], A[c]];
        for (let r = 0; r < k; r++) if (r !== c) {
          const f = A[r][c] / A[c][c];
          for (let j = c; j <= k; j++) A[r][j] -= f * A[c][j];
        }
      }
      const d = A.map((r, i) => r[k] / r[i]);
      b = b.map((v, j) => v + d[j]);
      if (Math.max(...d.map(Math.abs)) < 1e-13) break;
    }
    return b;
  }
  function match(rows: Row[], treat: string, covs: string[], k: number, caliper: number, by?: (o: Row) => number) {
    const groups = new Map<number, number[]>();
    rows.forEach((o, i) => {
      const g = by ? by(o) : 0;
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g)!.push(i);
    });
    const on = new Array(rows.length).fill(0);
    let treatedMatched = 0;
    for (const idx of groups.values()) {
      const b = logit(idx.map((i) => rows[i][treat]), idx.map((i) => covs.map((c) => rows[i][c])));
      const ps = new Map(idx.map((i) => [i, 1 / (1 + Math.exp(-(covs.reduce((s, c, j) => s + rows[i][c] * b[j], 0) + b[covs.length])))]));
      const ctrl = idx.filter((i) => rows[i][treat] === 0);
      for (const i of idx) {
        if (rows[i][treat] !== 1) continue;
        const cand = ctrl
          .map((c) => ({ c, d: Math.abs(ps.get(c)! - ps.get(i)!) }))
          .filter((x) => x.d <= caliper)
          .sort((a, b2) => a.d - b2.d || a.c - b2.c)
          .slice(0, k);
        if (!cand.length) continue;
        treatedMatched++;
        on[i] = 1;
        for (const x of cand) on[x.c] = 1;
      }
    }
    const controlsUsed = on.filter((v, i) => v && rows[i][treat] === 0).length;
    return { on, treatedMatched, controlsUsed };
  }

  it('neighbors(2) caliper(0.01) by(): counts and the NEW variable row by row', () => {
    const spec = PREP + 'gen big = lpop > 3\npsmatch treat lpop lemp if year == 2003, gen(m1) neighbors(2) caliper(0.01) by(big)\nexport delimited "m.csv" m1, replace\n';
    const r = runSpecText(spec, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const pm = of(r.json, 'match');
    const rows = mp().filter((o) => o.year === 2003);
    const h = match(rows, 'treat', ['lpop', 'lemp'], 2, 0.01, (o) => (o.lpop > 3 ? 1 : 0));
    assert.equal(pm.name, 'm1');
    assert.equal(pm.treated_matched, h.treatedMatched);
    assert.equal(pm.controls_used, h.controlsUsed);
    assert.equal(pm.rows_kept, h.treatedMatched + h.controlsUsed);
    assert.ok(h.treatedMatched < rows.filter((o) => o.treat === 1).length, 'the caliper binds');
    const col = readFileSync(join(r.dir, 'm.csv'), 'utf8').trim().split('\n').slice(1).map(Number);
    const all = mp();
    let j = 0;
    col.forEach((v, i) => assert.equal(v, all[i].year === 2003 ? h.on[j++] : 0, `row ${i + 1}`));
  });

  it('default neighbors(1), no caliper: every treated row matched', () => {
    const r = runSpecText(PREP + 'psmatch treat lpop if year == 2005, gen(m)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const rows = mp().filter((o) => o.year === 2005);
    const h = match(rows, 'treat', ['lpop'], 1, Infinity);
    const pm = of(r.json, 'match');
    assert.equal(pm.treated_matched, 191);
    assert.equal(pm.controls_used, h.controlsUsed);
  });
});

describe('placebo', () => {
  const spec = (seed: number, extra = '') => PREP + `placebo reps(25) units(100) seed(${seed}): did lemp post lpop${extra}, fe(countyreal year) cluster(countyreal)\n`;
  it('reps draws, same seed same draws, other seed other draws, summary fields from the draws', () => {
    const a = of(runSpecText(spec(11), { datasets: ['mpdta.csv'] }).json, 'placebo');
    const b = of(runSpecText(spec(11), { datasets: ['mpdta.csv'] }).json, 'placebo');
    const c = of(runSpecText(spec(12), { datasets: ['mpdta.csv'] }).json, 'placebo');
    assert.equal(a.kind, 'placebo');
    assert.equal(a.reps, 25);
    assert.equal(a.draws.length, 25);
    assert.deepEqual(a.draws, b.draws);
    assert.notDeepEqual(a.draws, c.draws);
    near(a.actual, -0.03654893667406738, 'actual = the did estimate', 1e-8);
    const m = moments(a.draws);
    near(a.mean, m.mean, 'mean', 1e-10);
    near(a.sd, m.sd, 'sd', 1e-10);
    assert.equal(a.p_value, a.draws.filter((d: number) => Math.abs(d) >= Math.abs(a.actual)).length / 25);
    assert.equal(typeof a.seconds, 'number');
  });
  it('with [aw=] and if, actual is the weighted did on the subsample', () => {
    const r = runSpecText(PREP + 'placebo reps(3) seed(1): did lemp post [aw=lpop] if year >= 2004, fe(countyreal year) cluster(countyreal)\ndid lemp post [aw=lpop] if year >= 2004, fe(countyreal year) cluster(countyreal)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const p = of(r.json, 'placebo');
    const m = of(r.json, 'estimation');
    near(p.actual, m.coefficients.find((c: any) => c.term === 'post').estimate, 'actual', 1e-12);
    assert.equal(p.draws.length, 3);
  });
});
