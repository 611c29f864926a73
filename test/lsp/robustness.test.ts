// Random and mutated spec texts sent through didChange never kill the server: after each batch it
// still answers a hover, a completion and publishes diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { LspClient, repoRoot } from './lspClient';

const uri = pathToFileURL(join(repoRoot, 'test', 'reference', 'data', 'lsp_fuzz.pspec')).href;
const VALID = [
  'use "mpdta.csv"',
  'xtset countyreal year',
  'global ctrl lpop',
  'gen z = L.lemp + log(lpop) if year > 2003',
  'egen m = mean(lemp), by(year)',
  'eststo m1: reghdfe lemp treat $ctrl, absorb(countyreal year) vce(cluster countyreal)',
  'placebo reps(5) units(10) seed(1): did lemp treat, fe(countyreal year)',
  'esttab m1 using "x.tex", replace',
  'reghdfe lemp treat ///\n  lpop, absorb(countyreal)',
  '/* block\n comment */',
  '* star comment',
];
const FRAGMENTS = ['reghdfe', 'use', '"', '(', ')', ',', ':', '$', '${', '///', '/*', '*/', '//', '*', 'L.', 'if', '[aw=', ']', '=', '#', '##', '\n', ' ', 'lemp', 'lemq', '-', '1e', '.', '`"', "\"'", '\\', '\u0000', '\r\n', 'é', '𝛽', 'absorb(', 'eststo m1:'];

test('random and mutated texts never kill the server', { timeout: 120000 }, async () => {
  const c = new LspClient();
  try {
    await c.initialize();
    c.open(uri, VALID.join('\n'));
    const textArb = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((a) => a.join('')),
      // a valid spec with a random slice replaced by random fragments
      fc
        .tuple(fc.nat(), fc.nat({ max: 40 }), fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 8 }))
        .map(([at, len, frag]) => {
          const base = VALID.join('\n');
          const i = at % base.length;
          return base.slice(0, i) + frag.join('') + base.slice(i + len);
        }),
    );
    const samples = fc.sample(textArb, { numRuns: 300, seed: 42 });
    let i = 0;
    for (const text of samples) {
      c.change(uri, text);
      // every 25 texts, ask for something at a random place and check the server is there
      if (++i % 25 === 0) {
        const lines = text.split(/\r\n|\n|\r/);
        const line = i % lines.length;
        const h = await c.hover(uri, line, Math.min(3, lines[line].length));
        assert.ok(h === null || typeof h === 'object');
        const comp = await c.completion(uri, line, lines[line].length);
        assert.ok(Array.isArray(comp) || Array.isArray(comp?.items));
        await c.request('textDocument/semanticTokens/full', { textDocument: { uri } });
        await c.request('textDocument/foldingRange', { textDocument: { uri } });
        await c.request('textDocument/documentSymbol', { textDocument: { uri } });
      }
    }
    assert.equal(c.exited, null, `server exited: ${c.stderr}`);
    c.change(uri, VALID.join('\n'));
    const h = await c.hover(uri, 1, 2); // `xtset`
    assert.ok(h, 'hover answered after the fuzzing');
    assert.doesNotMatch(c.stderr, /TypeError|RangeError/);
  } finally {
    await c.close();
  }
});
