// Through the CLI: graph export (event study, placebo), summarize/tabstat save(), readable
// event-time labels in tables, did's treatment timing, reg vce(robust) against closed-form HC1,
// [aw=] on every estimation command, keep if / drop if.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { close, mpdta, PREP, runSpecText, workDir } from './helpers';


const ES = 'eststo es: eventstudy lemp, treat(first_treat) window(-3 3) ref(-1) fe(countyreal year) cluster(countyreal)\n';

describe('graph export', () => {
  it('writes the latest event study, then the latest placebo, as standalone SVG', () => {
    const r = runSpecText(
      PREP + ES + 'graph export "figs/es.svg"\nplacebo reps(5) units(100) seed(3): did lemp post, fe(countyreal year)\ngraph export "figs/pl.svg", replace\n',
      { datasets: ['mpdta.csv'] },
    );
    assert.equal(r.status, 0, r.stderr);
    const graphs = r.json.results.filter((x: any) => x.kind === 'graph');
    assert.deepEqual(
      graphs.map((g: any) => [g.file, g.plot, g.source_line, g.line]),
      [
        ['figs/es.svg', 'eventstudy', 4, 5],
        ['figs/pl.svg', 'placebo', 6, 7],
      ],
    );
    const es = readFileSync(join(r.dir, 'figs', 'es.svg'), 'utf8');
    assert.match(es, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(es.includes('#ffffff') && es.includes('#000000'), 'standalone colours');
    assert.ok(!es.includes('currentColor'));
    // one marker per event time -3..3
    const m = r.json.results.find((x: any) => x.name === 'es');
    assert.deepEqual(m.event_time.map((e: any) => e.k), [-3, -2, -1, 0, 1, 2, 3]);
    const pl = readFileSync(join(r.dir, 'figs', 'pl.svg'), 'utf8');
    assert.match(pl, /^<svg/);
    assert.notEqual(pl, es);
  });

  it('refuses to overwrite without replace, with nothing to plot, and for other file types', () => {
    const dir = workDir(['mpdta.csv']);
    writeFileSync(join(dir, 'old.svg'), 'KEEP');
    const a = runSpecText(PREP + ES + 'graph export "old.svg"\n', { dir });
    assert.equal(a.status, 2);
    assert.match(a.stderr, /spec\.pspec:5:\d+: error: file old\.svg already exists \(add option replace/);
    assert.equal(readFileSync(join(dir, 'old.svg'), 'utf8'), 'KEEP');
    const b = runSpecText(PREP + 'reghdfe lemp post, absorb(countyreal year)\ngraph export "x.svg"\n', { datasets: ['mpdta.csv'] });
    assert.equal(b.status, 2);
    assert.match(b.stderr, /:5:1: error: graph export: nothing to plot yet/);
    // a format not written is the checker's error (exit 1, nothing runs), with the runtime's message
    const c = runSpecText(PREP + ES + 'graph export "x.gif"\n', { datasets: ['mpdta.csv'] });
    assert.equal(c.status, 1);
    assert.match(c.stderr, /spec\.pspec:5:14: error: graph export: x\.gif must end in \.svg, \.png or \.pdf/);
    assert.ok(!existsSync(join(c.dir, 'x.gif')));
  });

  it('writes PNG at the requested size (or 3x the plot), PDF pages, and a resized SVG', () => {
    const r = runSpecText(
      PREP + ES + 'graph export "f.png", width(2400) height(1600)\ngraph export "g.PNG", width(900)\ngraph export "d.png"\ngraph export "f.pdf"\ngraph export "f.svg", height(800)\n',
      { datasets: ['mpdta.csv'] },
    );
    assert.equal(r.status, 0, r.stderr);
    const f = decodePng(readFileSync(join(r.dir, 'f.png')));
    assert.deepEqual([f.width, f.height], [2400, 1600]);
    // the plot is drawn: dark pixels (axes, markers, text) and a white background
    assert.ok(f.dark > 2000 && f.dark < f.width * f.height * 0.2, `dark pixels ${f.dark}`);
    assert.equal(f.corner, 255);
    const g = decodePng(readFileSync(join(r.dir, 'g.PNG')));
    assert.deepEqual([g.width, g.height], [900, Math.round((900 * 400) / 640)]);
    const d = decodePng(readFileSync(join(r.dir, 'd.png')));
    assert.deepEqual([d.width, d.height], [1920, 1200]);
    const pdf = readFileSync(join(r.dir, 'f.pdf'));
    assert.equal(pdf.subarray(0, 8).toString('latin1'), '%PDF-1.4');
    const text = pdf.toString('latin1');
    assert.match(text, /\/MediaBox \[0 0 480 300\]/); // 640 x 400 px at 96 dpi, in points
    assert.match(text, /\/Width 2000 \/Height 1250/); // 300 dpi
    // the xref offsets point at the objects they name
    const startxref = Number(/startxref\n(\d+)/.exec(text)![1]);
    assert.equal(text.slice(startxref, startxref + 4), 'xref');
    const offsets = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    offsets.forEach((o, i) => assert.equal(text.slice(o, o + `${i + 1} 0 obj`.length), `${i + 1} 0 obj`));
    const svg = readFileSync(join(r.dir, 'f.svg'), 'utf8');
    assert.match(svg, /^<svg[^>]* width="1280" height="800"[^>]* viewBox="0 0 640 400"/);
  });
});

/** Size, dark-pixel count and top-left grey level of an 8-bit RGBA PNG, decoded here with zlib (independent of resvg). */
function decodePng(buf: Buffer): { width: number; height: number; dark: number; corner: number } {
  assert.equal(buf.subarray(1, 4).toString('latin1'), 'PNG');
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (at < buf.length) {
    const len = buf.readUInt32BE(at);
    const type = buf.subarray(at + 4, at + 8).toString('latin1');
    const body = buf.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      assert.deepEqual([body[8], body[9]], [8, 6], '8-bit RGBA');
    } else if (type === 'IDAT') idat.push(body);
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  assert.equal(raw.length, height * (stride + 1));
  // undo the per-row filters (PNG spec: None, Sub, Up, Average, Paeth) to read real pixel values
  const px = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const ft = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= 4 ? px[y * stride + x - 4] : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] : 0;
      const c = x >= 4 && y > 0 ? px[(y - 1) * stride + x - 4] : 0;
      const p = a + b - c;
      const pr = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = ft === 0 ? 0 : ft === 1 ? a : ft === 2 ? b : ft === 3 ? (a + b) >> 1 : pr;
      px[y * stride + x] = (v + pred) & 255;
    }
  }
  let dark = 0;
  for (let i = 0; i < px.length; i += 4) if (px[i] < 100 && px[i + 1] < 100 && px[i + 2] < 100) dark++;
  return { width, height, dark, corner: px[0] };
}

describe('tables written by summarize and tabstat', () => {
  it('save("FILE") writes the table in the format of the extension; replace needed to overwrite', () => {
    const r = runSpecText(
      PREP +
        `label var lemp "Log employment"
tabstat lemp lpop, statistics(n mean sd min max) save("out/t2.md") title("Table 2")
summarize lemp lpop, save("out/t2.tex")
summarize lemp, save("out/t2.tex")
`,
      { datasets: ['mpdta.csv'] },
    );
    assert.equal(r.status, 2, 'the second summarize must not overwrite');
    assert.match(r.stderr, /:7:\d+: error: file out\/t2\.tex already exists/);
    const ts = r.json.results.find((x: any) => x.kind === 'tabstat');
    assert.equal(ts.file, 'out/t2.md');
    const md = readFileSync(join(r.dir, 'out', 't2.md'), 'utf8');
    const d = mpdta();
    const mean = d.reduce((s, o) => s + o.lemp, 0) / d.length;
    assert.match(md, /Table 2/);
    const row = /\| Log employment \| 2,500 \| ([-0-9.]+) \|/.exec(md);
    assert.ok(row, md);
    assert.ok(Math.abs(Number(row[1]) - mean) < 1e-3, `${row[1]} vs ${mean}`);
    const tex = readFileSync(join(r.dir, 'out', 't2.tex'), 'utf8');
    assert.match(tex, /\\begin\{tabular\}/);
    assert.match(tex, /lpop & 2,?500 &/);
    const again = runSpecText(PREP + 'summarize lemp, save("out/t2.tex") replace\n', { dir: r.dir });
    assert.equal(again.status, 0, again.stderr);
    assert.ok(!readFileSync(join(r.dir, 'out', 't2.tex'), 'utf8').includes('lpop'));
  });

  it('the layout of a paper\'s Table 2: variable type once per group, variable label, symbol, statistics', () => {
    const r = runSpecText(
      PREP +
        `label var lemp "Log employment"
label var lpop "Log population"
global controls lpop year
tabstat lemp post $controls, statistics(n mean sd) vartype("Explained variable" lemp "Treatment" post "Control variables" $controls) symbols save("t2.md")
`,
      { datasets: ['mpdta.csv'] },
    );
    assert.equal(r.status, 0, r.stderr);
    const ts = r.json.results.find((x: any) => x.kind === 'tabstat');
    assert.deepEqual(ts.rows.map((x: any) => [x.var, x.type]), [['lemp', 'Explained variable'], ['post', 'Treatment'], ['lpop', 'Control variables'], ['year', 'Control variables']]);
    assert.equal(ts.symbols, true);
    const d = mpdta();
    const mean = (f: (o: any) => number) => d.reduce((s, o) => s + f(o), 0) / d.length;
    const lines = readFileSync(join(r.dir, 't2.md'), 'utf8').split('\n').filter((l) => l.startsWith('|'));
    assert.match(lines[0], /^\| Variable type \| Variable \| Symbol \| N \| Mean \| SD \|$/);
    const cells = lines.slice(2).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
    assert.deepEqual(cells.map((c) => c.slice(0, 4)), [
      ['Explained variable', 'Log employment', 'lemp', '2,500'],
      ['Treatment', 'post', 'post', '2,500'],
      ['Control variables', 'Log population', 'lpop', '2,500'],
      ['', 'year', 'year', '2,500'],
    ]);
    assert.ok(Math.abs(Number(cells[2][4]) - mean((o) => o.lpop)) < 1e-4);
    assert.ok(Math.abs(Number(cells[3][4]) - mean((o) => o.year)) < 1e-4);
    const bad = runSpecText(PREP + 'tabstat lemp, vartype(lemp "Outcome")\n', { dir: r.dir });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /vartype\(\): write a type in quotes, then its variables/);
  });
});

describe('event-study labels', () => {
  it('tables show k = -3 ... k = 3, JSON keeps the term names', () => {
    const r = runSpecText(PREP + ES + 'esttab es using "es.md"\nesttab es\n', { datasets: ['mpdta.csv'], json: true });
    assert.equal(r.status, 0, r.stderr);
    const md = readFileSync(join(r.dir, 'es.md'), 'utf8');
    for (const k of [-3, -2, 0, 1, 2, 3]) assert.ok(md.includes(`| k = ${k} |`), `k = ${k} in\n${md}`);
    assert.ok(!md.includes('_k_'), md);
    const m = r.json.results.find((x: any) => x.name === 'es');
    assert.ok(m.coefficients.some((c: any) => c.term === '_k_m3'));
    const text = runSpecText(PREP + ES + 'esttab es\n', { datasets: ['mpdta.csv'], json: false });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /k = -3/);
    assert.ok(!/_k_m3/.test(text.stdout), text.stdout);
  });
});

describe('did treatment timing', () => {
  it('counts treated and never-treated units and the adoption cohorts in the sample', () => {
    const r = runSpecText(PREP + 'did lemp post, fe(countyreal year)\ndid lemp post if year >= 2005, fe(countyreal year)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const [all, late] = r.json.results.filter((x: any) => x.kind === 'estimation');
    // expected from the data: first year with post = 1, per county
    const expect = (rows: Record<string, number>[]) => {
      const first = new Map<number, number>();
      const units = new Set<number>();
      for (const o of rows) {
        units.add(o.countyreal);
        const post = o.treat * (o.year >= o['first.treat'] ? 1 : 0);
        if (post === 1 && (!first.has(o.countyreal) || o.year < first.get(o.countyreal)!)) first.set(o.countyreal, o.year);
      }
      const cohorts = new Map<number, number>();
      for (const t of first.values()) cohorts.set(t, (cohorts.get(t) ?? 0) + 1);
      return {
        var: 'post',
        unit: 'countyreal',
        time: 'year',
        treated_units: first.size,
        never_treated_units: units.size - first.size,
        cohorts: [...cohorts.entries()].sort((a, b) => a[0] - b[0]).map(([time, units]) => ({ time, units })),
      };
    };
    assert.deepEqual(all.treatment, expect(mpdta()));
    assert.deepEqual(all.treatment.cohorts.map((c: any) => c.time), [2004, 2006, 2007]);
    // from 2005 on, the 2004 adopters' first treated year in the sample is 2005
    assert.deepEqual(late.treatment, expect(mpdta().filter((o) => o.year >= 2005)));
    assert.equal(late.treatment.cohorts[0].time, 2005);
  });
});

describe('estimation options through the CLI', () => {
  it('reg vce(robust) gives HC1 standard errors (closed form for one regressor)', () => {
    const r = runSpecText(PREP + 'reg lemp lpop, vce(robust)\n', { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 0, r.stderr);
    const m = r.json.results.find((x: any) => x.kind === 'estimation');
    assert.equal(m.vcov.type, 'robust');
    const d = mpdta();
    const n = d.length;
    const mx = d.reduce((s, o) => s + o.lpop, 0) / n;
    const my = d.reduce((s, o) => s + o.lemp, 0) / n;
    const sxx = d.reduce((s, o) => s + (o.lpop - mx) ** 2, 0);
    const b = d.reduce((s, o) => s + (o.lpop - mx) * (o.lemp - my), 0) / sxx;
    const a = my - b * mx;
    const meat = d.reduce((s, o) => s + (o.lpop - mx) ** 2 * (o.lemp - a - b * o.lpop) ** 2, 0);
    const se = Math.sqrt(((n / (n - 2)) * meat) / sxx ** 2);
    assert.ok(close(m.coefficients[0].se, se), `${m.coefficients[0].se} vs ${se}`);
  });

  it('[aw=VAR] reaches reghdfe, did, ivreghdfe and eventstudy', () => {
    const r = runSpecText(
      PREP +
        `gen w = 1 + mod(countyreal, 3)
gen z = post
gen d0 = (year - first_treat == 0) & first_treat > 0
gen d1 = (year - first_treat == 1) & first_treat > 0
gen m2 = (year - first_treat == -2) & first_treat > 0
eststo a: reghdfe lemp post [aw=w], absorb(countyreal year) vce(cluster countyreal)
eststo b: did lemp post [aw=w], fe(countyreal year) cluster(countyreal)
eststo c: ivreghdfe lemp (post = z) [aw=w], absorb(countyreal year) cluster(countyreal)
eststo u: reghdfe lemp post, absorb(countyreal year) vce(cluster countyreal)
eststo e: eventstudy lemp [aw=w], treat(first_treat) window(-2 1) ref(-1) fe(countyreal year) cluster(countyreal)
eststo f: reghdfe lemp m2 d0 d1 [aw=w], absorb(countyreal year) vce(cluster countyreal)
`,
      { datasets: ['mpdta.csv'] },
    );
    assert.equal(r.status, 0, r.stderr);
    const by = (n: string) => r.json.results.find((x: any) => x.name === n);
    const coef = (n: string, t: string) => by(n).coefficients.find((c: any) => c.term === t);
    const a = coef('a', 'post');
    assert.ok(Math.abs(a.estimate - coef('u', 'post').estimate) > 1e-4, 'weights change the estimate');
    for (const n of ['b', 'c']) {
      assert.ok(close(coef(n, 'post').estimate, a.estimate), n);
      assert.ok(close(coef(n, 'post').se, a.se), `${n} se`);
    }
    // the event study equals reghdfe on hand-made dummies with the same weights
    const pairs: [string, string][] = [['_k_m2', 'm2'], ['_k_0', 'd0'], ['_k_1', 'd1']];
    for (const [k, d] of pairs) {
      assert.ok(close(coef('e', k).estimate, coef('f', d).estimate), k);
      assert.ok(close(coef('e', k).se, coef('f', d).se), `${k} se`);
    }
    assert.equal(by('e').nobs, by('f').nobs);
  });

  it('keep if / drop if change the rows every later command sees', () => {
    const r = runSpecText(PREP + 'keep if year >= 2004\ndrop if year == 2007 | lpop < 2\nsummarize year\nreghdfe lemp post, absorb(countyreal year)\n', {
      datasets: ['mpdta.csv'],
    });
    assert.equal(r.status, 0, r.stderr);
    const expected = mpdta().filter((o) => o.year >= 2004 && !(o.year === 2007 || o.lpop < 2));
    const s = r.json.results.find((x: any) => x.kind === 'summary');
    assert.equal(s.rows[0].n, expected.length);
    assert.equal(s.rows[0].max, 2006);
    assert.equal(s.rows[0].min, 2004);
    const m = r.json.results.find((x: any) => x.kind === 'estimation');
    assert.ok(m.nobs <= expected.length && m.nobs > 0);
  });
});
