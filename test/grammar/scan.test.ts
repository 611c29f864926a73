// The fast scanner (scan.ts) must give exactly the tokens of the Chevrotain definition (lexer.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ILexingResult } from 'chevrotain';
import { scan } from '../../grammar/src/scan';
import { getReferenceLexer } from '../../grammar/src/lexer';
import { fuzzRuns } from './helpers';

function summary(r: ILexingResult): unknown {
  return {
    tokens: r.tokens.map((t) => [t.tokenType.name, t.image, t.startOffset, t.tokenTypeIdx]),
    comments: (r.groups.comments ?? []).map((t) => [t.tokenType.name, t.image, t.startOffset]),
    errors: r.errors.map((e) => [e.offset, e.length]),
  };
}
const same = (text: string) => assert.deepEqual(summary(scan(text)), summary(getReferenceLexer().tokenize(text)), JSON.stringify(text));

const alphabet = fc.constantFrom(
  ...'abcxyLFDiolfdbu_0123456789 \t\n\r\f\v.,:;()[]{}=<>!~&|+-*/^#$"`\'?@%\\eE'.split(''),
  '///', '//', '/*', '*/', 'if', 'using', '${', '`"', '"\'', '\r\n', 'é', '收入', '城', '²', '𠀀', '\u00a0', '\u3000', '\u0000', 'L2.', 'i.', 'ib', 'ib2.', '(first)', '(last)', 'in', 'in ',
);

test('scan agrees with the Chevrotain definition on random text', () => {
  fc.assert(fc.property(fc.array(alphabet, { maxLength: 40 }).map((a) => a.join('')), same), { numRuns: fuzzRuns(500) });
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), same), { numRuns: fuzzRuns(100) });
});

test('scan agrees with the Chevrotain definition on tricky cases', () => {
  for (const t of [
    '', '*', ' * c\n* d', 'x ///\n* y', '* a ///\n* b\n*c', 'gen y = a * b', '`"a "b" c"\'', '`"open', '"open\nx',
    '$', '${x}', '${x', '$$x', 'L.x L2.收入 2L.x xL.y i.year c.x#c.y', 'if1 if using usingx ifé', '1e5 1.e5 .5 1e+ 1e-3x',
    '/*x', '/*/', '//*x', '////x\ny', 'a\r\n*b\r*c', '\u3000x', '收入 = 城市²', '${收入}',
    'ib2015.year ib(first).g ib(last).收入 ib.x ib2015. ib(first) ib(firs).x xib2.y ib2.3 iib2.x ib(last)(x)',
    'reg y x in 1/10 in f/l in -10/l inx xin in. in( in2 ïn 收in',
  ]) same(t);
});

test('Unicode letters make names', () => {
  const r = scan('gen 收入 = 城市 + é_2 if L.收入 > 0');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(
    r.tokens.map((t) => `${t.tokenType.name}:${t.image}`),
    ['Identifier:gen', 'Identifier:收入', 'Equals:=', 'Identifier:城市', 'Plus:+', 'Identifier:é_2', 'If:if', 'TsOp:L.', 'Identifier:收入', 'Greater:>', 'NumberLit:0'],
  );
  // an astral-plane letter (two UTF-16 units) is one name
  assert.deepEqual(scan('𠀀x').tokens.map((t) => t.image), ['𠀀x']);
  // a full-width space is not a blank (as in Stata): an error, reported once
  assert.deepEqual(scan('a\u3000b').errors.map((e) => [e.offset, e.length]), [[1, 1]]);
});
