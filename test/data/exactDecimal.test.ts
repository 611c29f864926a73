// exactDecimal (16-19 significant digits, checked exactly) equals Number() on random decimals and on
// the exact midpoints between neighbouring doubles (ties to even), and declines what it does not take.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactDecimal } from '../../server/src/data/exactDecimal';
import { mulberry32 } from '../util/mulberry32';

const read = (s: string) => {
  const b = Buffer.from(s, 'latin1');
  return exactDecimal(b, 0, b.length);
};

function same(s: string): void {
  const v = read(s);
  if (!Object.is(v, Number(s))) assert.fail(`${s}: got ${v}, Number() gives ${Number(s)}`);
}

test('16-19 significant digits with 0-22 after the point: equal to Number()', () => {
  const r = mulberry32(11);
  for (let i = 0; i < 200_000; i++) {
    const nd = 16 + Math.floor(r() * 4);
    let d = String(1 + Math.floor(r() * 9));
    for (let k = 1; k < nd; k++) d += String(Math.floor(r() * 10));
    const scale = Math.floor(r() * 23);
    const s = scale === 0 ? d : scale < nd ? d.slice(0, nd - scale) + '.' + d.slice(nd - scale) : '0.' + '0'.repeat(scale - nd) + d;
    same(r() < 0.1 ? '00' + s : s);
  }
});

test('exact midpoints between neighbouring doubles round to the even one, also with a point inside', () => {
  const r = mulberry32(12);
  const buf = new Float64Array(1), w = new Uint32Array(buf.buffer);
  let ties = 0;
  for (let i = 0; i < 50_000; i++) {
    const x = (1 + r()) * Math.pow(2, 53 + Math.floor(r() * 10)); // integers 2..2048 apart
    buf[0] = x;
    w[0] += 1;
    const mid = (BigInt(x) + BigInt(buf[0])) / 2n;
    const s = mid.toString();
    if (s.length > 19) continue;
    ties++;
    same(s);
    const k = 1 + Math.floor(r() * 5);
    same(s.slice(0, s.length - k) + '.' + s.slice(s.length - k));
  }
  assert.ok(ties > 40_000);
  for (const s of ['9007199254740993', '9007199254740995', '18014398509481985', '3.4028371727466583', '1.000000000000000111']) same(s);
});

test('more than 19 significant digits or 22 after the point: declined (NaN, the caller uses Number())', () => {
  assert.ok(Number.isNaN(read('12345678901234567890')));
  assert.ok(Number.isNaN(read('0.12345678901234567890123')));
  assert.equal(read('0000000000000000000000001234567890123456789'), 1234567890123456789);
});
