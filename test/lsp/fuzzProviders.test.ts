// Property test over the language server: random edits typed into a spec (incremental changes),
// and after each one every provider is asked at a random position: completion, hover,
// documentSymbol, codeLens, semanticTokens, inlay hints, code actions; diagnostics keep coming.
// No request may fail, the server may not exit, and each answer comes within a latency bound.
// Short by default; PANELSPEC_FUZZ_LONG=1 types many more edits (see docs/robustness.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { LspClient, repoRoot } from './lspClient';

const LONG = !!process.env.PANELSPEC_FUZZ_LONG;
const EDITS = LONG ? 2000 : 30;
/** Per request, generous for a machine shared with other jobs: a hang or a quadratic blow-up is far beyond it. */
const LATENCY_MS = 5000;

const uri = pathToFileURL(join(repoRoot, 'test', 'reference', 'data', 'lsp_fuzz_providers.pspec')).href;
const START = [
  'use "mpdta.csv"',
  'xtset countyreal year',
  'global ctrl lpop',
  'gen post = treat * (year >= first_treat)',
  'egen m = mean(lemp), by(year)',
  'eststo m1: reghdfe lemp post $ctrl, absorb(countyreal year) vce(cluster countyreal)',
  'eststo m2: eventstudy lemp, treat(first_treat) window(-3 3) ref(-1) fe(countyreal year)',
  'esttab m1 m2 using "x.csv", replace',
  'summarize lemp lpop if year > 2004',
].join('\n');
// no '\r': the local text model below splits lines on '\n' exactly as the server's document does then
const FRAGMENTS = ['reghdfe ', 'lemp', 'lemq', ' ', '\n', '"', '(', ')', ',', ':', '$', '${ctrl}', '///\n', '/*', '*/', '//', '*', 'L.', ' if ', '[aw=lpop]', '=', '#', '-', '1e400', '.', 'é', '𝛽', 'absorb(', 'eststo m3:', 'gen z = 1 + 1 + 1', 'window(-100000 100000)', '\u0000', '\u001b'];

interface Edit {
  at: number; // fractions of the text length, mapped to offsets when applied
  len: number;
  text: string;
  probe: number;
}

function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

test(`${EDITS} random edits: every provider answers without error, within ${LATENCY_MS} ms`, { timeout: LONG ? 3_600_000 : 90_000 }, async () => {
  const c = new LspClient();
  try {
    await c.initialize({ trusted: true, settings: { inlayHints: { enabled: true } } });
    c.open(uri, START);
    let text = START;
    const edits = fc.sample(
      fc.record({
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        len: fc.nat({ max: 12 }),
        text: fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 4 }).map((a) => a.join('')),
        probe: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      { numRuns: EDITS, seed: LONG ? Date.now() : 14 },
    ) as Edit[];
    let slowest = 0;
    for (const e of edits) {
      const from = Math.floor(e.at * text.length);
      const to = Math.min(text.length, from + e.len);
      c.changeRange(uri, { start: position(text, from), end: position(text, to) }, e.text);
      text = text.slice(0, from) + e.text + text.slice(to);
      const pos = position(text, Math.floor(e.probe * text.length));
      const whole = { start: { line: 0, character: 0 }, end: position(text, text.length) };
      const doc = { textDocument: { uri } };
      const asks: [string, unknown][] = [
        ['textDocument/completion', { ...doc, position: pos }],
        ['textDocument/hover', { ...doc, position: pos }],
        ['textDocument/documentSymbol', doc],
        ['textDocument/codeLens', doc],
        ['textDocument/semanticTokens/full', doc],
        ['textDocument/inlayHint', { ...doc, range: whole }],
        ['textDocument/codeAction', { ...doc, range: { start: pos, end: pos }, context: { diagnostics: c.diagnostics.get(uri) ?? [] } }],
      ];
      await Promise.all(
        asks.map(async ([method, params]) => {
          const t0 = Date.now();
          try {
            await c.request(method, params);
          } catch (err) {
            assert.fail(`${method} at ${JSON.stringify(pos)} failed: ${(err as Error).message}\ntext:\n${JSON.stringify(text)}\nstderr: ${c.stderr.slice(-2000)}`);
          }
          const ms = Date.now() - t0;
          slowest = Math.max(slowest, ms);
          assert.ok(ms < LATENCY_MS, `${method} took ${ms} ms\ntext:\n${JSON.stringify(text)}`);
        }),
      );
      assert.equal(c.exited, null, `server exited: ${c.stderr}`);
    }
    // diagnostics still arrive after all that: a clean text with one unknown variable is reported
    c.change(uri, START + '\nsummarize lemq_fuzz\n');
    const ds = await c.waitDiagnostics(uri, (d) => d.some((x) => /lemq_fuzz/.test(x.message)), 15000);
    assert.ok(ds.length >= 1);
    assert.doesNotMatch(c.stderr, /TypeError|RangeError|Maximum call stack/);
  } finally {
    await c.close();
  }
});
