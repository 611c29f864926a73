// The FE normal-equation solver behind the imputation estimator, against a dense solve: on an
// unbalanced random panel, CG's fitted values Z0 g and the extrapolations Z1 g match the dummy-variable
// least squares (one time dummy dropped, Cholesky) to 1e-9.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { feApply, feLayout, feSolve, feTranspose } from '../../server/src/engine/did/fenormal';
import { cholesky, cholSolve } from '../../server/src/engine/linalg';

/** A small deterministic generator (LCG), so that the panel is the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test('feSolve matches dense dummy-variable least squares on an unbalanced panel', () => {
  const rnd = lcg(7);
  const U = 150;
  const T = 8;
  const unit: number[] = [];
  const time: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < U; i++) for (let t = 0; t < T; t++) {
    if (rnd() < 0.2) continue;
    unit.push(i);
    time.push(t);
    y.push(i * 0.01 + Math.sin(t) + rnd());
  }
  const n = unit.length;
  const uc = Int32Array.from(unit);
  const tc = Int32Array.from(time);
  // "untreated" rows: a random 80%; every unit keeps at least one (else its level is not identified)
  const seen = new Set<number>();
  const r0: number[] = [];
  const r1: number[] = [];
  for (let j = 0; j < n; j++) {
    if (!seen.has(unit[j]) || rnd() < 0.8) { r0.push(j); seen.add(unit[j]); } else r1.push(j);
  }
  const rows0 = Int32Array.from(r0);
  const rows1 = Int32Array.from(r1);
  const L = feLayout([uc, tc]);
  const y0 = Float64Array.from(rows0, (j) => y[j]);
  const g = feSolve(L, rows0, feTranspose(L, y0, rows0));
  const fit0 = feApply(L, g, rows0);
  const fit1 = feApply(L, g, rows1);

  // dense: columns = U unit dummies + (T - 1) time dummies (time 0 dropped)
  const k = U + T - 1;
  const col = (j: number): number[] => (tc[j] > 0 ? [uc[j], U + tc[j] - 1] : [uc[j]]);
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (const j of rows0) {
    const c = col(j);
    for (const p of c) {
      b[p] += y[j];
      for (const q of c) A[p * k + q] += 1;
    }
  }
  assert.ok(cholesky(A, k));
  const beta = cholSolve(A, k, b);
  const dense = (j: number): number => col(j).reduce((s, p) => s + beta[p], 0);
  rows0.forEach((j, m) => assert.ok(Math.abs(fit0[m] - dense(j)) < 1e-9, `fit row ${j}`));
  rows1.forEach((j, m) => assert.ok(Math.abs(fit1[m] - dense(j)) < 1e-9, `imputed row ${j}`));
  assert.ok(rows1.length > 50);
});
