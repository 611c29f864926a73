// Expression semantics: Stata's missing values, logic, strings, functions, _n/_N, subscripts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { col, runOk, strCol, run } from './helpers';

const DATA = {
  'd.csv': 'id,x,y,s\n1,1,10,a\n2,.,20,b\n3,7,,c\n4,5,40,a\n5,0,50,\n',
};

describe('expressions', () => {
  it('missing propagates through arithmetic and is larger than any number', async () => {
    const out = await runOk(
      `use "d.csv"
gen a = x + 1
gen gt = x > 5
gen lt = x < 5
gen ismiss = missing(x)
gen eqmiss = x == .
gen ne = x != .
gen div = y / x
gen pw = x ^ 2
gen neg = -x
`,
      DATA,
    );
    const t = out.session.data;
    assert.deepEqual(col(t, 'a'), [2, null, 8, 6, 1]);
    assert.deepEqual(col(t, 'gt'), [0, 1, 1, 0, 0]); // missing x > 5 is true
    assert.deepEqual(col(t, 'lt'), [1, 0, 0, 0, 1]);
    assert.deepEqual(col(t, 'ismiss'), [0, 1, 0, 0, 0]);
    assert.deepEqual(col(t, 'eqmiss'), [0, 1, 0, 0, 0]);
    assert.deepEqual(col(t, 'ne'), [1, 0, 1, 1, 1]);
    assert.deepEqual(col(t, 'div'), [10, null, null, 8, null]); // y missing in row 3, x = 0 in row 5
    assert.deepEqual(col(t, 'pw'), [1, null, 49, 25, 0]);
    assert.deepEqual(col(t, 'neg'), [-1, null, -7, -5, -0]);
  });

  it('logic gives 1/0 and treats missing as true', async () => {
    const out = await runOk(
      `use "d.csv"
gen both = x & y
gen either = (x > 3) | (y < 15)
gen notx = !x
gen prec = 1 + 2 * 3 ^ 2 - 4 / 2
`,
      DATA,
    );
    const t = out.session.data;
    assert.deepEqual(col(t, 'both'), [1, 1, 1, 1, 0]);
    assert.deepEqual(col(t, 'either'), [1, 1, 1, 1, 0]);
    assert.deepEqual(col(t, 'notx'), [0, 0, 0, 0, 1]);
    assert.deepEqual(col(t, 'prec'), [17, 17, 17, 17, 17]);
  });

  it('functions: log sqrt abs round floor ceil int min max inlist inrange cond mod', async () => {
    const out = await runOk(
      `use "d.csv"
gen l = log(x)
gen r = sqrt(x - 3)
gen ab = abs(3 - x)
gen rd = round(x / 3, 0.5)
gen fl = floor(x / 2)
gen ce = ceil(x / 2)
gen it = int(-x / 2)
gen mn = min(x, y, 6)
gen mx = max(x, y)
gen il = inlist(x, 1, 5)
gen ir = inrange(x, 1, 5)
gen cd = cond(x > 2, 100, 200)
gen md = mod(x, 3)
gen e = exp(0) + ln(1)
`,
      DATA,
    );
    const t = out.session.data;
    assert.deepEqual(col(t, 'l'), [0, null, Math.log(7), Math.log(5), null]);
    assert.deepEqual(col(t, 'r'), [null, null, 2, Math.sqrt(2), null]);
    assert.deepEqual(col(t, 'ab'), [2, null, 4, 2, 3]);
    assert.deepEqual(col(t, 'rd'), [0.5, null, 2.5, 1.5, 0]);
    assert.deepEqual(col(t, 'fl'), [0, null, 3, 2, 0]);
    assert.deepEqual(col(t, 'ce'), [1, null, 4, 3, 0]);
    assert.deepEqual(col(t, 'it'), [-0, null, -3, -2, -0]);
    assert.deepEqual(col(t, 'mn'), [1, 6, 6, 5, 0]); // missing arguments ignored
    assert.deepEqual(col(t, 'mx'), [10, 20, 7, 40, 50]);
    assert.deepEqual(col(t, 'il'), [1, 0, 0, 1, 0]);
    assert.deepEqual(col(t, 'ir'), [1, 0, 0, 1, 0]);
    assert.deepEqual(col(t, 'cd'), [200, 100, 100, 100, 200]); // missing x > 2 is true
    assert.deepEqual(col(t, 'md'), [1, null, 1, 2, 0]);
    assert.deepEqual(col(t, 'e'), [1, 1, 1, 1, 1]);
  });

  it('strings: comparison and + concatenation; missing string is ""', async () => {
    const out = await runOk(
      `use "d.csv"
gen isa = s == "a"
gen t = s + "_x"
gen less = s < "b"
gen empty = missing(s)
`,
      DATA,
    );
    const t = out.session.data;
    assert.deepEqual(col(t, 'isa'), [1, 0, 0, 1, 0]);
    assert.deepEqual(strCol(t, 't'), ['a_x', 'b_x', 'c_x', 'a_x', '_x']);
    assert.deepEqual(col(t, 'less'), [1, 0, 0, 1, 1]);
    assert.deepEqual(col(t, 'empty'), [0, 0, 0, 0, 1]);
  });

  it('type mismatch between string and number is an error at the expression', async () => {
    const out = await run(`use "d.csv"\ngen bad = s + 1\n`, DATA);
    assert.ok(out.error);
    assert.match(out.error!.message, /type mismatch/);
    assert.equal(out.error!.range?.start.line, 1);
  });

  it('_n, _N and subscripts over the whole data', async () => {
    const out = await runOk(
      `use "d.csv"
gen n = _n
gen N = _N
gen prev = y[_n-1]
gen first = y[1]
`,
      DATA,
    );
    const t = out.session.data;
    assert.deepEqual(col(t, 'n'), [1, 2, 3, 4, 5]);
    assert.deepEqual(col(t, 'N'), [5, 5, 5, 5, 5]);
    assert.deepEqual(col(t, 'prev'), [null, 10, 20, null, 40]);
    assert.deepEqual(col(t, 'first'), [10, 10, 10, 10, 10]);
  });

  it('gen with if leaves the other rows missing; $globals expand inside expressions', async () => {
    const out = await runOk(
      `use "d.csv"
global cut 4
global expr x * 2
gen big = $expr if x > $cut
`,
      DATA,
    );
    assert.deepEqual(col(out.session.data, 'big'), [null, null, 14, 10, null]); // missing x > 4 is true, 2 * . is .
  });

  it('unknown functions and variables are errors with the position', async () => {
    const a = await run(`use "d.csv"\ngen q = foo(x)\n`, DATA);
    assert.match(a.error!.message, /unknown function foo/);
    const b = await run(`use "d.csv"\ngen q = zz + 1\n`, DATA);
    assert.match(b.error!.message, /variable zz not found/);
    assert.equal(b.error!.range?.start.line, 1);
    assert.equal(b.error!.range?.start.character, 8);
  });
});
