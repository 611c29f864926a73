// The expression-function registry (grammar/src/functions.ts) is the one list: every function it
// names is computed by the runtime, with the kinds it declares, and every name outside it is
// refused, so that the static check and the runtime cannot drift apart.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exprFunctions, functionArgKind, resolveExprFunction } from '../../grammar/src/functions';
import { col, run, runOk, strCol } from './helpers';

const DATA = { 'd.csv': 'x,s\n0.25,ab\n4,Cd\n' };

describe('expression-function registry', () => {
  it('lists every function the runtime has always accepted (aliases included)', () => {
    const names = exprFunctions().map((f) => f.name).sort();
    assert.deepEqual(names, [
      'abs', 'ceil', 'cond', 'exp', 'floor', 'inlist', 'inrange', 'int', 'invlogit', 'length', 'ln', 'log', 'log10', 'logit',
      'lower', 'max', 'mi', 'min', 'missing', 'mod', 'real', 'round', 'sign', 'sqrt', 'string', 'strlen', 'strlower',
      'strofreal', 'strpos', 'strtrim', 'strupper', 'substr', 'trim', 'upper',
    ]);
    assert.equal(resolveExprFunction('LOG')?.name, 'log');
    assert.equal(resolveExprFunction('foo'), undefined);
  });

  it('the runtime computes each one with its declared argument kinds and result kind', async () => {
    for (const f of exprFunctions()) {
      // as many arguments as the minimum, each of the declared kind (a number where either will do)
      const args = Array.from({ length: f.minArgs }, (_, i) => (functionArgKind(f, i) === 'str' ? 's' : 'x'));
      const out = await run(`use "d.csv"\ngen r = ${f.name}(${args.join(', ')})\n`, DATA);
      assert.ok(!out.error, `${f.name}: ${out.error?.message}`);
      const kind = out.session.data!.get('r')!.kind;
      const want = typeof f.returns === 'object' ? 'numeric' : f.returns === 'str' ? 'string' : 'numeric';
      assert.equal(kind, want, f.name);
    }
  });

  it('values of the functions the registry added to the documented list', async () => {
    const out = await runOk(
      'use "d.csv"\ngen a = log10(x * 25)\ngen b = int(x * 3)\ngen c = sign(x - 1)\ngen d = logit(0.5) + invlogit(0)\ngen e = length(s)\ngen f = strupper(s)\ngen g = mi(s) + mi(x)\n',
      DATA,
    );
    const t = out.session.data;
    assert.deepEqual(col(t, 'a'), [Math.log10(6.25), 2]);
    assert.deepEqual(col(t, 'b'), [0, 12]);
    assert.deepEqual(col(t, 'c'), [-1, 1]);
    assert.deepEqual(col(t, 'd'), [0.5, 0.5]);
    assert.deepEqual(col(t, 'e'), [2, 2]);
    assert.deepEqual(strCol(t, 'f'), ['AB', 'CD']);
    assert.deepEqual(col(t, 'g'), [0, 0]);
  });

  it('argument counts come from the registry, with its wording', async () => {
    const a = await run('use "d.csv"\ngen r = mod(x)\n', DATA);
    assert.equal(a.error?.message, 'mod() takes 2 arguments, got 1');
    const b = await run('use "d.csv"\ngen r = max()\n', DATA);
    assert.equal(b.error?.message, 'max() takes at least 1 argument, got 0');
    const c = await run('use "d.csv"\ngen r = subinstr(s, "a", "b", 1)\n', DATA);
    assert.equal(c.error?.message, 'unknown function subinstr()');
  });
});
