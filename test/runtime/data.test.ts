// Data commands: gen/replace rules, keep/drop, egen by-group (hand-computed), bysort _n/_N, lags.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { col, near, run, runOk } from './helpers';

const PANEL = {
  // unit 1 has a gap at t = 3; unit 2 is complete; rows deliberately out of order
  'p.csv': 'u,t,x,g\n1,1,10,1\n2,2,200,2\n1,2,12,1\n1,4,20,1\n2,1,100,2\n2,3,300,2\n2,4,400,2\n',
};

describe('gen, replace, keep, drop', () => {
  it('gen refuses an existing name; replace refuses a new one', async () => {
    const a = await run(`use "p.csv"\ngen x = 1\n`, PANEL);
    assert.match(a.error!.message, /x already defined/);
    assert.equal(a.error!.range?.start.line, 1);
    const b = await run(`use "p.csv"\nreplace nope = 1\n`, PANEL);
    assert.match(b.error!.message, /variable nope not found/);
  });

  it('replace with if changes only the rows selected', async () => {
    const out = await runOk(`use "p.csv"\nreplace x = -x if u == 2 & t >= 3\n`, PANEL);
    assert.deepEqual(col(out.session.data, 'x'), [10, 200, 12, 20, 100, -300, -400]);
  });

  it('keep if / drop if / keep varlist / drop varlist', async () => {
    const out = await runOk(`use "p.csv"\nkeep if u == 1\ndrop if t == 4\ndrop g\n`, PANEL);
    const t = out.session.data!;
    assert.equal(t.nrows, 2);
    assert.deepEqual(t.names, ['u', 't', 'x']);
    assert.deepEqual(col(t, 'x'), [10, 12]);
    const k = await runOk(`use "p.csv"\nkeep t x\n`, PANEL);
    assert.deepEqual(k.session.data!.names, ['t', 'x']);
  });
});

describe('egen', () => {
  it('by-group statistics against hand values', async () => {
    const out = await runOk(
      `use "p.csv"
egen m = mean(x), by(u)
egen s = sd(x), by(u)
egen tot = total(x), by(u)
egen c = count(x), by(u)
egen md = median(x), by(u)
egen mn = min(x), by(u)
egen mx = max(x), by(u)
`,
      PANEL,
    );
    const t = out.session.data;
    // unit 1: 10 12 20 -> mean 14, sd sqrt(((−4)²+(−2)²+6²)/2)=sqrt(28); unit 2: 100..400 -> mean 250, sd sqrt(50000/3)
    const m = col(t, 'm');
    const u = col(t, 'u');
    u.forEach((ui, i) => {
      assert.equal(m[i], ui === 1 ? 14 : 250);
      assert.ok(near(col(t, 's')[i], ui === 1 ? Math.sqrt(28) : Math.sqrt(50000 / 3)));
      assert.equal(col(t, 'tot')[i], ui === 1 ? 42 : 1000);
      assert.equal(col(t, 'c')[i], ui === 1 ? 3 : 4);
      assert.equal(col(t, 'md')[i], ui === 1 ? 12 : 250);
      assert.equal(col(t, 'mn')[i], ui === 1 ? 10 : 100);
      assert.equal(col(t, 'mx')[i], ui === 1 ? 20 : 400);
    });
  });

  it('rank gives tied values their average rank; group numbers sorted levels', async () => {
    const out = await runOk(
      `use "r.csv"
egen r = rank(v)
egen rb = rank(v), by(k)
egen gid = group(k)
egen h = hhi(a b)
egen rm = rowmean(a b)
egen rt = rowtotal(a b)
`,
      { 'r.csv': 'k,v,a,b\nz,3,1,1\ny,1,3,1\nz,3,2,.\ny,2,0,0\nz,5,.,.\n' },
    );
    const t = out.session.data;
    // v = 3 1 3 2 5: ranks 3.5 1 3.5 2 5
    assert.deepEqual(col(t, 'r'), [3.5, 1, 3.5, 2, 5]);
    // within k: z -> 3 3 5 : 1.5 1.5 3 ; y -> 1 2 : 1 2
    assert.deepEqual(col(t, 'rb'), [1.5, 1, 1.5, 2, 3]);
    assert.deepEqual(col(t, 'gid'), [2, 1, 2, 1, 2]); // y < z
    // hhi: (1,1) -> .5 ; (3,1) -> (.75² + .25²) = .625 ; (2,.) -> 1 ; (0,0) -> missing ; (.,.) -> missing
    assert.deepEqual(col(t, 'h'), [0.5, 0.625, 1, null, null]);
    assert.deepEqual(col(t, 'rm'), [1, 2, 2, 0, null]);
    assert.deepEqual(col(t, 'rt'), [2, 4, 2, 0, 0]);
  });

  it('unknown egen function is an error', async () => {
    const out = await run(`use "p.csv"\negen z = wobble(x)\n`, PANEL);
    assert.match(out.error!.message, /unknown egen function wobble/);
  });
});

describe('bysort and time-series operators', () => {
  it('bysort u (t): _n, _N and x[_n-1] within groups; egen under bysort', async () => {
    const out = await runOk(
      `use "p.csv"
bysort u (t): gen n = _n
bysort u: gen N = _N
bysort u (t): gen prev = x[_n-1]
bysort u: egen first = min(t)
`,
      PANEL,
    );
    const t = out.session.data;
    // data are now sorted by u, t
    assert.deepEqual(col(t, 'u'), [1, 1, 1, 2, 2, 2, 2]);
    assert.deepEqual(col(t, 't'), [1, 2, 4, 1, 2, 3, 4]);
    assert.deepEqual(col(t, 'n'), [1, 2, 3, 1, 2, 3, 4]);
    assert.deepEqual(col(t, 'N'), [3, 3, 3, 4, 4, 4, 4]);
    assert.deepEqual(col(t, 'prev'), [null, 10, 12, null, 100, 200, 300]);
    assert.deepEqual(col(t, 'first'), [1, 1, 1, 1, 1, 1, 1]);
  });

  it('L. F. D. follow (unit, time) and give missing across gaps', async () => {
    const out = await runOk(
      `use "p.csv"
xtset u t
gen lx = L.x
gen fx = F.x
gen dx = D.x
gen l2 = L2.x
`,
      PANEL,
    );
    const t = out.session.data;
    // rows in file order: (1,1) (2,2) (1,2) (1,4) (2,1) (2,3) (2,4)
    assert.deepEqual(col(t, 'lx'), [null, 100, 10, null, null, 200, 300]);
    assert.deepEqual(col(t, 'fx'), [12, 300, null, null, 200, 400, null]);
    assert.deepEqual(col(t, 'dx'), [null, 100, 2, null, null, 100, 100]);
    assert.deepEqual(col(t, 'l2'), [null, null, null, 12, null, 100, 200]);
  });

  it('L. without xtset is a clear error', async () => {
    const out = await run(`use "p.csv"\ngen lx = L.x\n`, PANEL);
    assert.match(out.error!.message, /xtset/);
    assert.equal(out.error!.range?.start.line, 1);
  });

  it('xtset refuses repeated (unit, time)', async () => {
    const out = await run(`use "d.csv"\nxtset u t\n`, { 'd.csv': 'u,t\n1,1\n1,1\n' });
    assert.match(out.error!.message, /repeated time values/);
  });
});
