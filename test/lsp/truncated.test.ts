// Every provider answers every prefix of a spec (what the editor holds while a user types) with an
// answer VS Code accepts. VS Code's own converters throw on some shapes (a document symbol with an
// empty name: "name must not be falsy"; a selection range outside the symbol's range; a completion
// range over several lines or not containing the cursor), and each throw is an error notification
// for the user, so the checks below are those rules, applied to the server's raw answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, repoRoot } from './lspClient';

const uri = pathToFileURL(join(repoRoot, 'test', 'reference', 'data', 'lsp_truncated.pspec')).href;
const SPEC = [
  'use "mpdta.csv"',
  'xtset countyreal year',
  'global ctrl lpop',
  'gen z = L.lemp + 1 if year > 2003',
  'label var z "zed"',
  'eststo m1: reghdfe lemp treat $ctrl, absorb(countyreal year) vce(cluster countyreal)',
  'placebo reps(5) units(10) seed(1): did lemp treat, fe(countyreal year)',
  'eventstudy lemp, treat(first_treat) window(-2 2) ref(-1) fe(countyreal year)',
  'esttab m1 using "x.tex", replace',
  'coefplot m1, keep(treat)',
  'graph export "f.svg", replace',
  '/* block',
  ' comment */',
].join('\n');

interface Pos {
  line: number;
  character: number;
}
interface Rng {
  start: Pos;
  end: Pos;
}
const before = (a: Pos, b: Pos): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
const validRange = (r: Rng): boolean => r.start.line >= 0 && r.start.character >= 0 && before(r.start, r.end);
const contains = (outer: Rng, inner: Rng): boolean => before(outer.start, inner.start) && before(inner.end, outer.end);

interface Symbol {
  name: string;
  range: Rng;
  selectionRange: Rng;
  children?: Symbol[];
}
function checkSymbols(syms: Symbol[], where: string): void {
  for (const s of syms) {
    assert.ok(typeof s.name === 'string' && s.name.trim().length > 0, `${where}: document symbol with an empty name ${JSON.stringify(s)}`);
    assert.ok(validRange(s.range) && validRange(s.selectionRange), `${where}: bad symbol range ${JSON.stringify(s)}`);
    assert.ok(contains(s.range, s.selectionRange), `${where}: selectionRange outside range ${JSON.stringify(s)}`);
    checkSymbols(s.children ?? [], where);
  }
}

/** The text with VS Code's auto-closing applied on its last line: `use "` is `use ""` in the editor. */
function autoClosed(text: string): string {
  const last = text.slice(text.lastIndexOf('\n') + 1);
  const quotes = (last.match(/"/g) ?? []).length;
  if (quotes % 2 === 1) return text + '"';
  const open = (last.match(/\(/g) ?? []).length - (last.match(/\)/g) ?? []).length;
  return open > 0 ? text + ')'.repeat(open) : text;
}

test('every provider answers every prefix of a spec with what VS Code accepts', { timeout: 240000 }, async () => {
  const c = new LspClient();
  try {
    await c.initialize();
    c.open(uri, '');
    // every cut inside the first lines (where a new file starts), then every third character
    const cuts: number[] = [];
    for (let i = 0; i <= SPEC.length; i += i < 120 ? 1 : 3) cuts.push(i);
    cuts.push(SPEC.length);
    // each prefix as typed, and as the editor holds it with its auto-closed quote or parenthesis
    const texts = cuts.flatMap((n) => {
      const t = SPEC.slice(0, n);
      const closed = autoClosed(t);
      return closed === t ? [t] : [t, closed];
    });
    for (const text of texts) {
      const n = text.length;
      const where = `prefix ${JSON.stringify(text.slice(-30))} (${n} chars)`;
      c.change(uri, text);
      const lines = text.split('\n');
      const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
      const td = { textDocument: { uri } };
      const [syms, folds, tokens, lenses, hints, comp, hov] = await Promise.all([
        c.request('textDocument/documentSymbol', td),
        c.request('textDocument/foldingRange', td),
        c.request('textDocument/semanticTokens/full', td),
        c.request('textDocument/codeLens', td),
        c.request('textDocument/inlayHint', { ...td, range: { start: { line: 0, character: 0 }, end } }),
        c.completion(uri, end.line, end.character),
        c.hover(uri, end.line, Math.max(0, end.character - 1)),
      ]);
      checkSymbols(syms ?? [], where);
      for (const f of folds ?? []) assert.ok(f.startLine >= 0 && f.startLine <= f.endLine, `${where}: folding ${JSON.stringify(f)}`);
      assert.equal((tokens?.data ?? []).length % 5, 0, where);
      for (const l of lenses ?? []) assert.ok(validRange(l.range) && l.command?.title, `${where}: code lens ${JSON.stringify(l)}`);
      for (const h of hints ?? []) assert.ok(typeof h.label === 'string' ? h.label.length > 0 : h.label.length > 0, `${where}: empty inlay hint`);
      const items = Array.isArray(comp) ? comp : comp?.items ?? [];
      for (const it of items) {
        assert.ok(typeof it.label === 'string' && it.label.length > 0, `${where}: completion without a label`);
        const r: Rng | undefined = it.textEdit?.range;
        if (r) {
          assert.ok(validRange(r) && r.start.line === r.end.line, `${where}: completion range over lines ${JSON.stringify(it)}`);
          assert.ok(r.start.line === end.line && r.start.character <= end.character && end.character <= r.end.character, `${where}: completion range not at the cursor ${JSON.stringify(it)}`);
        }
      }
      if (hov?.range) assert.ok(validRange(hov.range), `${where}: hover range`);
    }
    assert.equal(c.exited, null, c.stderr);
    assert.doesNotMatch(c.stderr, /Error/);
  } finally {
    await c.close();
  }
});
