// Stata spellings PanelSpec runs as its own commands: `xtreg y x, fe` is the within estimator on
// the xtset panel (checked against the within estimator computed here by hand), its vce(robust) is
// clustered by the panel as in Stata; `browse` runs as nothing on the command line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { close, mpdta, runSpecText } from './helpers';

/** Within (unit-demeaned) OLS of lemp on d = treat * (year >= first_treat): slope, iid SE, CR1 SE. */
function within(): { b: number; seIid: number; seCluster: number; n: number } {
  const rows = mpdta().map((r) => ({ id: r.countyreal, y: r.lemp, x: r.treat * (r.year >= r['first.treat'] ? 1 : 0) }));
  const groups = new Map<number, { y: number; x: number; n: number }>();
  for (const r of rows) {
    const g = groups.get(r.id) ?? { y: 0, x: 0, n: 0 };
    g.y += r.y;
    g.x += r.x;
    g.n++;
    groups.set(r.id, g);
  }
  const d = rows.map((r) => {
    const g = groups.get(r.id)!;
    return { id: r.id, y: r.y - g.y / g.n, x: r.x - g.x / g.n };
  });
  const sxx = d.reduce((s, r) => s + r.x * r.x, 0);
  const b = d.reduce((s, r) => s + r.x * r.y, 0) / sxx;
  const e = d.map((r) => r.y - b * r.x);
  const N = d.length;
  const G = groups.size;
  const ssr = e.reduce((s, v) => s + v * v, 0);
  const seIid = Math.sqrt(ssr / (N - G - 1) / sxx);
  const score = new Map<number, number>();
  d.forEach((r, i) => score.set(r.id, (score.get(r.id) ?? 0) + r.x * e[i]));
  const meat = [...score.values()].reduce((s, v) => s + v * v, 0);
  // Stata xtreg, fe vce(robust): CR1 with (N-1)/(N-K) and G/(G-1), K = 1 regressor + the constant
  const seCluster = Math.sqrt(((G / (G - 1)) * ((N - 1) / (N - 2)) * meat) / (sxx * sxx));
  return { b, seIid, seCluster, n: N };
}

const PRE = 'use "mpdta.csv"\nxtset countyreal year\ngen d = treat * (year >= first_treat)\n';

describe('Stata spellings', () => {
  it('xtreg y x, fe is the within estimator on the panel; vce(robust) clusters by the panel', () => {
    const w = within();
    const r = runSpecText(PRE + 'eststo a: xtreg lemp d, fe\neststo b: xtreg lemp d, fe vce(robust)\nbrowse lemp d\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const [a, b] = ['a', 'b'].map((n) => r.json.results.find((x: any) => x.name === n));
    const ca = a.coefficients.find((c: any) => c.term === 'd');
    const cb = b.coefficients.find((c: any) => c.term === 'd');
    assert.ok(close(ca.estimate, w.b), `${ca.estimate} vs ${w.b}`);
    assert.ok(close(ca.se, w.seIid), `iid se ${ca.se} vs ${w.seIid}`);
    assert.ok(close(cb.estimate, w.b));
    assert.ok(close(cb.se, w.seCluster), `cluster se ${cb.se} vs ${w.seCluster}`);
    assert.equal(a.nobs, w.n);
    assert.match(JSON.stringify(b.vcov), /cluster/);
  });

  it('xtreg without fe, or without xtset, is a clear error', () => {
    const noFe = runSpecText(PRE + 'xtreg lemp d\n', { datasets: ['mpdta.csv'] });
    assert.equal(noFe.status, 1);
    assert.match(noFe.stderr, /spec\.pspec:4:1: error: xtreg needs option fe/);
    const noPanel = runSpecText('use "mpdta.csv"\nxtreg lemp treat, fe\n', { datasets: ['mpdta.csv'] });
    assert.equal(noPanel.status, 2);
    assert.match(noPanel.stderr, /spec\.pspec:2:1: error: xtreg needs `xtset UNIT \[TIME\]` above/);
  });
});
