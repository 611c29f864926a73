// The static check reads esttab's estout-style options with the runtime's reader: a bad format,
// star level, statistic or indicate() group is a diagnostic on its own range before anything runs;
// a correct spec with every option has no findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, assertAt } from './helpers';

const HEAD = 'use "mpdta.csv"\nxtset countyreal year\neststo m1: reghdfe lemp treat, absorb(countyreal year)\nglobal f %9.3f\n';

test('esttab with estout options as a paper writes them has no findings', () => {
  const text =
    HEAD +
    'esttab m1 using "t3.tex", replace b(%9.4f) se(%9.4f) star(* 0.10 ** 0.05 *** 0.01) ///\n' +
    '    ar2 scalars("N Observations" "r2_within Within R2") sfmt($f) mtitles("Baseline") ///\n' +
    '    nonumbers label keep(treat) order(treat) addnotes("Clustered by county.") ///\n' +
    '    indicate("County FE = *county*" "Year FE = *year*", labels(Y N))\n' +
    'esttab m1, stats(N r2 r2_within N_clust, fmt(%9.0fc 3) labels("Obs.")) p(3) nostar nomtitles nonotes\n' +
    'esttab m1, mtitles t(%9.2f) r2 pr2(a3) noobs obslast\n';
  assert.deepEqual(analyze(text).diagnostics.map((d) => `${d.range.start.line}: ${d.message}`), []);
});

test('bad esttab arguments are option-args diagnostics on what is wrong', () => {
  const line = 'esttab m1, b(%9.4x) star(* 0.10 ** 1.5) stats(N bogus, fmt(%9.0f)) indicate("= *year*")';
  const text = HEAD + line + '\n';
  const ds = analyze(text).diagnostics;
  assert.deepEqual(ds.map((d) => d.code), ['option-args', 'option-args', 'option-args', 'option-args']);
  assert.match(ds[0].message, /`%9\.4x` is not a number format/);
  assertAt(ds[0], text, '%9.4x');
  assert.match(ds[1].message, /must be a number in \(0, 1\], found `1\.5`/);
  assertAt(ds[1], text, '1.5');
  assert.match(ds[2].message, /unknown statistic `bogus`/);
  assertAt(ds[2], text, 'bogus');
  assert.match(ds[3].message, /indicate\(\)/);
  assertAt(ds[3], text, '"= *year*"');
});
