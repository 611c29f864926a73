// esttab's estout-style options end to end: a spec runs, writes the table in every format, and
// each file read back shows the formats, stars, footer rows, indicate rows, titles and notes asked
// for, with the numbers of the JSON. Without options the default table stays as it was.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { run, runOk } from './helpers';

const ROOT = resolve(__dirname, '..', '..', '..');
const MPDTA = { 'mpdta.csv': readFileSync(join(ROOT, 'test', 'reference', 'data', 'mpdta.csv'), 'utf8') };
const PREP = `use "mpdta.csv"
xtset countyreal year
gen post = treat * (year >= first_treat)
eststo a: reghdfe lemp post, absorb(countyreal year) vce(cluster countyreal)
eststo b: reg lemp post lpop i.year, vce(cluster countyreal)
`;
const OPTS =
  'b(%9.4f) se(%9.3f) star(+ 0.10 * 0.05) ar2 scalars("N Observations" "r2_within Within R2") mtitles("FE" "Dummies") nonumbers ' +
  'keep(post lpop) indicate("County FE = *county*" "Year FE = *year*") addnotes("Clustered by county.")';
const FORMATS = ['tex', 'md', 'html', 'csv', 'txt', 'docx'];

/** The visible text of a written table (Word: the document's text runs; LaTeX: \sym{} unwrapped). */
function readBack(dir: string, ext: string): string {
  const p = join(dir, `t.${ext}`);
  if (ext === 'docx') {
    const xml = strFromU8(unzipSync(new Uint8Array(readFileSync(p)))['word/document.xml']);
    // runs of one paragraph (a number and its superscript stars) join; paragraphs (cells) are apart
    const paras = xml.split('</w:p>').map((para) => [...para.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''));
    return paras.join(' ').replace(/&lt;/g, '<');
  }
  // what a reader sees: LaTeX \sym{} unwrapped, Markdown \* unescaped, HTML tags dropped and &lt; decoded
  const raw = readFileSync(p, 'utf8');
  if (ext === 'html') return raw.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<');
  return raw.replace(/\\sym\{([^}]*)\}/g, '$1').replace(/\\\*/g, '*');
}

describe('esttab estout options', () => {
  it('every renderer shows formats, stars, footer, indicate rows, titles and notes', async () => {
    const spec = PREP + FORMATS.map((e) => `esttab a b using "t.${e}", replace ${OPTS}\n`).join('');
    const out = await runOk(spec, MPDTA);
    const [a, b] = out.results.filter((r) => r.kind === 'estimation') as any[];
    const pa = a.coefficients.find((c: any) => c.term === 'post');
    const pb = b.coefficients.find((c: any) => c.term === 'post');
    const sym = (p: number) => (p < 0.05 ? '*' : p < 0.1 ? '+' : '');
    for (const ext of FORMATS) {
      const t = readBack(out.dir, ext);
      const has = (s: string) => assert.ok(t.includes(s), `${ext}: no ${JSON.stringify(s)} in\n${t}`);
      has(pa.estimate.toFixed(4) + sym(pa.p));
      has(pb.estimate.toFixed(4) + sym(pb.p));
      has(`(${pa.se.toFixed(3)})`);
      has('Dummies');
      has('County FE');
      has('Year FE');
      has('Observations');
      has('Within R2');
      has(a.r2_within.toFixed(4));
      has(b.adj_r2.toFixed(4));
      has('Clustered by county.');
      has('+ p');
      assert.ok(!t.includes('(1)'), `${ext}: nonumbers`);
      assert.ok(!/\b2004\.year\b/.test(t), `${ext}: the year dummies are indicated, not listed`);
      assert.ok(!/Clusters/.test(t), `${ext}: the footer is esttab's, not the default`);
      assert.match(t, /2,?500/, ext);
    }
    // Yes/No: a absorbs county and year; b has year dummies only
    const txt = readBack(out.dir, 'txt');
    assert.match(txt, /^County FE\s+Yes\s+No$/m);
    assert.match(txt, /^Year FE\s+Yes\s+Yes$/m);
    // N is relabelled, not repeated
    assert.equal(txt.match(/^Observations/gm)?.length, 1);
    assert.ok(!/^N\s/m.test(txt));
    // the JSON carries the layout, so the CLI text and the panel draw the same table
    const table = out.results.find((r) => r.kind === 'table') as any;
    assert.equal(table.b_format, '%9.4f');
    assert.deepEqual(table.star_levels, [
      { symbol: '+', p: 0.1 },
      { symbol: '*', p: 0.05 },
    ]);
    assert.deepEqual(table.indicate.map((g: any) => g.label), ['County FE', 'Year FE']);
  });

  it('without options the table keeps its default rows; t, p and nostar switch what is shown', async () => {
    const out = await runOk(PREP + 'esttab a b using "d.txt"\nesttab a using "p.txt", p(%9.2f) nostar nomtitles\nesttab a using "t.txt", t(2) nonotes\n', MPDTA);
    const d = readFileSync(join(out.dir, 'd.txt'), 'utf8');
    for (const row of ['(1)', 'countyreal FE', 'year FE', 'N ', 'R²', 'Within R²', 'Clusters', '2004.year', '* p<0.10, ** p<0.05, *** p<0.01']) assert.ok(d.includes(row), `default: ${row}\n${d}`);
    const a = out.results.find((r) => r.kind === 'estimation') as any;
    const post = a.coefficients.find((c: any) => c.term === 'post');
    const p = readFileSync(join(out.dir, 'p.txt'), 'utf8');
    assert.ok(p.includes(`(${post.p.toFixed(2)})`), p);
    assert.ok(p.includes('p-values in parentheses'));
    assert.ok(!p.includes('*'), 'nostar');
    assert.ok(!p.includes('lemp'), 'nomtitles');
    const t = readFileSync(join(out.dir, 't.txt'), 'utf8');
    assert.ok(t.includes(`(${post.t.toFixed(2)})`), t);
    assert.ok(!t.includes('in parentheses'), 'nonotes');
  });

  it("the brief's paper line runs as written (mtitles with nomtitles, $globals, Stata abbreviations)", async () => {
    const out = await runOk(
      PREP +
        `global controls lpop
eststo c: reg lemp post $controls, vce(cluster countyreal)
esttab a b c using "t3.tex", replace b(%9.4f) se(%9.4f) star(* 0.10 ** 0.05 *** 0.01) ///
      ar2 scalars("N Observations" "r2_within Within R2") mtitles("Baseline" "Controls" "FE") ///
      nonumbers nomtitles label keep(post $controls) order(lpop) addnote("Clustered by county.") ///
      indicate("County FE = *county*" "Year FE = *year*")
esttab a c using "s.txt", stat(N r2, label("Obs." "R2") fmt(%9.0fc %9.2f)) nocons
`,
      MPDTA,
    );
    const tex = readFileSync(join(out.dir, 't3.tex'), 'utf8');
    const lines = tex.split('\n');
    // nomtitles wins: the body opens right after the top rule, lpop first (order)
    assert.equal(lines[lines.indexOf('\\toprule') + 1].split(' & ')[0], 'lpop');
    assert.ok(!tex.includes('Baseline'));
    assert.match(tex, /County FE & Yes & No & No/);
    assert.match(tex, /Year FE & Yes & Yes & No/);
    const s = readFileSync(join(out.dir, 's.txt'), 'utf8');
    const c = out.results.filter((r) => r.kind === 'estimation')[2] as any;
    assert.match(s, /^Obs\.\s+2,500\s+2,500$/m);
    assert.match(s, new RegExp(`^R2\\s+\\S+\\s+${c.r2.toFixed(2)}$`, 'm'));
    assert.ok(!s.includes('Constant'), 'noconstant');
  });

  it('a bad option argument fails at its range before anything is written', async () => {
    const r = await run(PREP + 'esttab a using "x.md", b(%9.4q)\n', MPDTA);
    assert.match(r.error!.message, /b\(\): `%9\.4q` is not a number format/);
    assert.equal(r.error!.range!.start.line, 5);
    assert.equal(r.error!.range!.start.character, 'esttab a using "x.md", b('.length);
    const s = await run(PREP + 'esttab a, stats(N ymean)\n', MPDTA);
    assert.match(s.error!.message, /unknown statistic `ymean`/);
  });
});
