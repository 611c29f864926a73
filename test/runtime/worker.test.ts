// The estimation worker (dist/worker.js) through runInWorker: results and progress arrive as
// messages, a parse error comes back as an error, and a cancel stops a long placebo.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runInWorker } from '../../server/src/runtime/runInWorker';
import type { CommandResult } from '../../server/src/results/types';

const ROOT = resolve(__dirname, '..', '..', '..');
const WORKER = join(ROOT, 'dist', 'worker.js');

function dirWithMpdta(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pspec-wk-'));
  copyFileSync(join(ROOT, 'test', 'reference', 'data', 'mpdta.csv'), join(dir, 'mpdta.csv'));
  return dir;
}

const PREP = `use "mpdta.csv"\nxtset countyreal year\ngen post = treat * (year >= first_treat)\n`;

describe('runInWorker', { skip: !existsSync(WORKER) && 'dist/worker.js not built' }, () => {
  it('streams results and progress, then resolves with all results', async () => {
    const dir = dirWithMpdta();
    const seen: CommandResult[] = [];
    const lines: number[] = [];
    const out = await runInWorker(PREP + 'reghdfe lemp post, absorb(countyreal year) vce(cluster countyreal)\n', join(dir, 'spec.pspec'), {
      workerPath: WORKER,
      onResult: (r) => seen.push(r),
      onProgress: (p) => lines.push(p.line),
    });
    assert.equal(out.error, null);
    assert.deepEqual(out.results.map((r) => r.kind), ['data', 'estimation']);
    assert.equal(seen.length, 2);
    assert.ok(lines.includes(4));
    const m = out.results[1] as any;
    assert.ok(Math.abs(m.coefficients[0].se - 0.013265155429338956) < 1e-9);
  });

  it('reports parse errors and run-time errors with their range', async () => {
    const dir = dirWithMpdta();
    const a = await runInWorker('reghdfe y x, absorb(\n', join(dir, 's.pspec'), { workerPath: WORKER });
    assert.ok(a.error);
    assert.equal(a.results.length, 0);
    const b = await runInWorker(PREP + 'gen z = nosuch\n', join(dir, 's.pspec'), { workerPath: WORKER });
    assert.match(b.error!.message, /nosuch/);
    assert.equal(b.error!.range?.start.line, 3);
    assert.deepEqual(b.results.map((r) => r.kind), ['data']);
  });

  it('cancel stops a long placebo and keeps the earlier results', async () => {
    const dir = dirWithMpdta();
    const ac = new AbortController();
    const t0 = Date.now();
    const out = await runInWorker(PREP + 'summarize lemp\nplacebo reps(100000) seed(1): did lemp post, fe(countyreal year)\n', join(dir, 's.pspec'), {
      workerPath: WORKER,
      token: ac.signal,
      cancelGraceMs: 500,
      onProgress: (p) => {
        if (p.command === 'did' || p.message) ac.abort();
      },
    });
    assert.ok(Date.now() - t0 < 20_000);
    assert.equal(out.error?.kind, 'cancelled');
    // the error names the statement it stopped in (0-based line 4: the placebo), not the first line
    assert.equal(out.error?.range?.start.line, PREP.split('\n').length);
    assert.deepEqual(out.results.map((r) => r.kind), ['data', 'summary']);
  });
});
