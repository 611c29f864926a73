// Contract audit: seeded random unbalanced panels with a sparse, partly disconnected two-FE graph
// (worker-firm style), weights, missing values and one- or two-way clustering, through the CLI,
// against the dense dummy-variable computation (contract-audit-dense.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { close, runSpecText, workDir } from './helpers';
import { denseFit, type Row } from './contract-audit-dense';
import { mulberry32 } from '../util/mulberry32';

const rng = mulberry32;

/** Workers move between a few firms of their own block: blocks are disconnected components. */
function panel(seed: number): Row[] {
  const r = rng(seed);
  const rows: Row[] = [];
  const blocks = 3;
  for (let wk = 1; wk <= 150; wk++) {
    const block = wk % blocks;
    const T = 2 + Math.floor(r() * 5);
    let firm = block * 10 + Math.floor(r() * 10);
    for (let t = 1; t <= T; t++) {
      if (r() < 0.3) firm = block * 10 + Math.floor(r() * 10);
      const x1 = r() * 2 - 1;
      const x2 = r() < 0.5 ? 1 : 0;
      const y = 0.5 * x1 - 0.3 * x2 + 0.1 * firm + 0.05 * wk + (r() - 0.5);
      rows.push({ worker: wk, firm, t, x1, x2, y: r() < 0.03 ? NaN : y, w: 0.5 + r() * 2, region: 1 + (firm % 4) });
    }
  }
  return rows;
}

function writeCsv(dir: string, rows: Row[]) {
  const names = Object.keys(rows[0]);
  writeFileSync(join(dir, 'p.csv'), [names.join(','), ...rows.map((o) => names.map((n) => (Number.isNaN(o[n]) ? '' : String(o[n]))).join(','))].join('\n') + '\n');
}

const worker = (o: Row) => o.worker;
const firm = (o: Row) => o.firm;
const region = (o: Row) => o.region;

describe('random sparse panels against dense OLS', () => {
  for (const seed of [1, 2, 3]) {
    const rows = panel(seed);
    const cases: { spec: string; dense: Parameters<typeof denseFit>[1] }[] = [
      { spec: 'reghdfe y x1 x2, absorb(worker firm)', dense: { y: 'y', x: ['x1', 'x2'], fe: [worker, firm] } },
      { spec: 'reghdfe y x1 x2 [aw=w], absorb(worker firm) vce(robust)', dense: { y: 'y', x: ['x1', 'x2'], fe: [worker, firm], weight: 'w', robust: true } },
      { spec: 'reghdfe y x1 x2, absorb(worker firm) vce(cluster firm)', dense: { y: 'y', x: ['x1', 'x2'], fe: [worker, firm], cluster: [firm] } },
      { spec: 'reghdfe y x1 x2 [aw=w], absorb(firm worker) vce(cluster worker)', dense: { y: 'y', x: ['x1', 'x2'], fe: [worker, firm], weight: 'w', cluster: [worker] } },
      { spec: 'reghdfe y x1 x2, absorb(worker firm) vce(cluster worker region)', dense: { y: 'y', x: ['x1', 'x2'], fe: [worker, firm], cluster: [worker, region] } },
    ];
    for (const c of cases) {
      it(`seed ${seed}: ${c.spec}`, () => {
        const dir = workDir();
        writeCsv(dir, rows);
        const r = runSpecText(`use "p.csv"\n${c.spec}\n`, { dir });
        assert.equal(r.status, 0, r.stderr);
        const m = r.json.results[1];
        const d = denseFit(rows, c.dense);
        assert.equal(m.nobs, d.n, 'nobs');
        assert.equal(m.singletons_removed, d.singletons, 'singletons');
        assert.equal(m.df_t, d.dfT, 'df_t');
        for (const t of ['x1', 'x2']) {
          const a = m.coefficients.find((x: any) => x.term === t);
          assert.ok(close(a.estimate, d.coef[t].estimate), `${t} estimate ${a.estimate} vs ${d.coef[t].estimate}`);
          assert.ok(close(a.se, d.coef[t].se), `${t} se ${a.se} vs ${d.coef[t].se}`);
          assert.ok(close(a.ci_low, d.coef[t].ci_low), `${t} ci_low`);
        }
        assert.ok(close(m.r2_within, d.r2Within as number), `r2_within ${m.r2_within} vs ${d.r2Within}`);
      });
    }
  }
});
