import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { NOT_NUMBER, fastNumber, fastNumberTerminated, fastState, overflowed, parseNumber, parseNumberText } from '../../server/src/data/numparse';

const parse = (s: string) => {
  const b = Buffer.from(s, 'latin1');
  return parseNumber(b, 0, b.length);
};

test('parseNumber equals Number() bit for bit on formatted doubles', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 20 }), (x, k) => {
      for (const s of [String(x), x.toExponential(Math.min(k, 20)), x.toPrecision(Math.max(1, k)), Math.abs(x) < 1e21 ? x.toFixed(k) : String(x)]) {
        const got = parse(s);
        const want = Number(s);
        if (Number.isFinite(want)) assert.ok(Object.is(got, want), `${s}: got ${got}, want ${want}`);
        else assert.ok(Number.isNaN(got), `${s} overflows: missing`);
      }
    }),
    { numRuns: 20000 },
  );
});

test('parseNumber equals Number() on random digit strings (many digits, exponents)', () => {
  const digits = fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), minLength: 1, maxLength: 25 });
  fc.assert(
    fc.property(fc.boolean(), digits, fc.option(digits), fc.option(fc.integer({ min: -340, max: 340 })), (neg, a, b, e) => {
      const s = `${neg ? '-' : ''}${a}${b !== null ? '.' + b : ''}${e !== null ? 'e' + e : ''}`;
      const want = Number(s);
      const got = parse(s);
      if (Number.isFinite(want)) assert.ok(Object.is(got, want), `${s}: got ${got}, want ${want}`);
      else assert.ok(Number.isNaN(got), `${s} overflows: missing`);
    }),
    { numRuns: 20000 },
  );
});

test('fastNumber agrees with Number() when it accepts, and stops at the terminator', () => {
  fc.assert(
    fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 9 }), (m, k) => {
      const s = (m / 10 ** k).toFixed(k);
      const b = Buffer.from(s + ',rest', 'latin1');
      const v = fastNumber(b, 0, b.length, 44);
      assert.ok(Object.is(v, Number(s)), `${s}: got ${v}`);
      assert.equal(fastState.end, s.length);
    }),
    { numRuns: 20000 },
  );
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e20, max: 1e20 }), fc.integer({ min: 0, max: 25 }), (x, k) => {
      for (const s of [String(x), x.toFixed(k)]) {
        if (/e/.test(s)) continue;
        const b = Buffer.from(s + '\n', 'latin1');
        const v = fastNumber(b, 0, b.length, 44);
        assert.ok(Object.is(v, Number(s)), `${s}: got ${v}`);
        assert.equal(fastState.end, s.length);
        const w = fastNumberTerminated(b, 0, 44);
        assert.ok(Object.is(w, v), `${s}: unchecked variant got ${w}`);
        assert.equal(fastState.end, s.length);
      }
    }),
    { numRuns: 20000 },
  );
  const b = Buffer.from('1.5 ,x', 'latin1');
  assert.equal(fastNumber(b, 0, b.length, 44), NOT_NUMBER); // trailing blank: general path
  const e = Buffer.from('1e5,', 'latin1');
  assert.equal(fastNumber(e, 0, e.length, 44), NOT_NUMBER); // exponent: general path
  const t = Buffer.from('-12.5\r\n', 'latin1');
  assert.equal(fastNumberTerminated(t, 0, 44), -12.5);
  assert.equal(fastState.end, 5);
  const nodig = Buffer.from('-,\n', 'latin1');
  assert.equal(fastNumberTerminated(nodig, 0, 44), NOT_NUMBER);
});

test('missing markers and non-numbers', () => {
  for (const s of ['', '.', '.a', '.z', 'NA', 'NaN']) assert.ok(Number.isNaN(parse(s)), `${s} is missing`);
  for (const s of ['abc', '1,5', '0x10', 'Infinity', '-inf', '1e', '--1', '1.2.3', '.e5', '+', '1 2'])
    assert.equal(parse(s), NOT_NUMBER, `${s} is not a number`);
  // a number beyond a double is missing (as Stata reads it), and counted for the reader's note
  overflowed.cells = 0;
  for (const s of ['1e400', '-1e400', '1' + '0'.repeat(400)]) assert.ok(Number.isNaN(parse(s)), `${s} is missing`);
  assert.equal(overflowed.cells, 3);
  assert.equal(parseNumberText(' 42 '), 42);
  assert.equal(parseNumberText('４２'), NOT_NUMBER);
});
