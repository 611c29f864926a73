// The command registry: Stata abbreviations, options, body kinds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allCommands, ArgKind, BodyKind, egenFunctions, exprFunctions, resolveCommand, resolveEgenFunction, resolveExprFunction,
  resolveOption, resolveSubcommand,
} from '../../grammar/src/index';
import { vceKeyword } from '../../grammar/src/optionValues';

test('command abbreviations resolve as in Stata', () => {
  const cases: [string, string | undefined][] = [
    ['reg', 'regress'], ['regr', 'regress'], ['regress', 'regress'], ['re', undefined],
    ['g', 'generate'], ['gen', 'generate'], ['gene', 'generate'], ['generate', 'generate'],
    ['su', 'summarize'], ['sum', 'summarize'], ['summarize', 'summarize'], ['s', undefined],
    ['ta', 'tabulate'], ['tab', 'tabulate'], ['tabstat', 'tabstat'],
    ['d', 'describe'], ['desc', 'describe'], ['describe', 'describe'],
    ['la', 'label'], ['lab', 'label'], ['label', 'label'],
    ['gl', 'global'], ['global', 'global'],
    ['bys', 'bysort'], ['bysort', 'bysort'], ['by', 'by'],
    ['qui', 'quietly'], ['quietly', 'quietly'], ['q', undefined],
    ['drop', 'drop'], ['dro', undefined], ['keep', 'keep'], ['replace', 'replace'], ['rep', undefined],
    ['reghdfe', 'reghdfe'], ['ivreghdfe', 'ivreghdfe'], ['did', 'did'], ['eventstudy', 'eventstudy'],
    ['placebo', 'placebo'], ['psmatch', 'psmatch'], ['esttab', 'esttab'], ['eststo', 'eststo'],
    ['entropy', 'entropy'], ['export', 'export'], ['use', 'use'], ['xtset', 'xtset'], ['egen', 'egen'],
    ['sort', 'sort'], ['set', 'set'], ['ren', 'rename'], ['rename', 'rename'], ['tsset', 'tsset'], ['clear', 'clear'], ['areg', 'areg'], ['ivreg2', 'ivreg2'], ['regressx', undefined], ['', undefined],
  ];
  for (const [w, want] of cases) assert.equal(resolveCommand(w)?.name, want, w);
});

test('option abbreviations resolve per command', () => {
  const reghdfe = resolveCommand('reghdfe')!;
  assert.equal(resolveOption(reghdfe, 'a')?.name, 'absorb');
  assert.equal(resolveOption(reghdfe, 'abs')?.name, 'absorb');
  assert.equal(resolveOption(reghdfe, 'cl')?.name, 'cluster');
  assert.equal(resolveOption(reghdfe, 'clu')?.name, 'cluster');
  assert.equal(resolveOption(reghdfe, 'c'), undefined);
  assert.equal(resolveOption(reghdfe, 'r')?.name, 'robust');
  assert.equal(resolveOption(reghdfe, 'vce')?.name, 'vce');
  assert.equal(resolveOption(reghdfe, 'absorbx'), undefined);
  const sum = resolveCommand('sum')!;
  assert.equal(resolveOption(sum, 'd')?.name, 'detail');
  assert.equal(resolveOption(sum, 'det')?.name, 'detail');
  const tabstat = resolveCommand('tabstat')!;
  assert.equal(resolveOption(tabstat, 'stats')?.name, 'statistics');
  assert.equal(resolveOption(tabstat, 'stat')?.name, 'statistics');
  assert.equal(resolveOption(tabstat, 's')?.name, 'statistics');
  assert.equal(resolveOption(tabstat, 'statistics')?.name, 'statistics');
  const did = resolveCommand('did')!;
  assert.equal(resolveOption(did, 'fe')?.name, 'fe');
  assert.equal(resolveOption(did, 'absorb')?.name, 'absorb');
  const es = resolveCommand('eventstudy')!;
  assert.equal(resolveOption(es, 'window')?.arg, ArgKind.Window);
  assert.equal(resolveOption(es, 'treat')?.required, true);
  const esttab = resolveCommand('esttab')!;
  assert.equal(resolveOption(esttab, 'stats')?.arg, ArgKind.Stats);
  assert.equal(resolveOption(esttab, 'replace')?.arg, ArgKind.None);
  assert.equal(resolveOption(esttab, 'title')?.arg, ArgKind.String);
});

test('subcommands and vce keywords', () => {
  const label = resolveCommand('label')!;
  assert.equal(resolveSubcommand(label, 'var')?.name, 'variable');
  assert.equal(resolveSubcommand(label, 'variable')?.name, 'variable');
  assert.equal(resolveSubcommand(label, 'va'), undefined);
  assert.equal(resolveSubcommand(resolveCommand('export')!, 'delimited')?.name, 'delimited');
  assert.equal(vceKeyword('cl')?.type, 'cluster');
  assert.equal(vceKeyword('cluster')?.type, 'cluster');
  assert.equal(vceKeyword('r')?.type, 'robust');
  assert.equal(vceKeyword('robust')?.type, 'robust');
  assert.equal(vceKeyword('ols')?.type, 'iid');
  assert.equal(vceKeyword('unadj')?.type, 'iid');
  assert.equal(vceKeyword('c'), undefined);
  assert.equal(vceKeyword('hetero'), undefined); // fixest's word, not Stata's
  assert.equal(vceKeyword('Robust'), undefined); // case-sensitive, as Stata
});

test('the registry is consistent', () => {
  const all = allCommands();
  const names = new Set<string>();
  for (const c of all) {
    assert.ok(!names.has(c.name), `duplicate ${c.name}`);
    names.add(c.name);
    assert.ok(c.name.startsWith(c.abbrev), `${c.name} abbrev ${c.abbrev}`);
    assert.ok(c.syntax.length > 0 && c.doc.length > 0, c.name);
    assert.equal(resolveCommand(c.name), c);
    assert.equal(resolveCommand(c.abbrev), c, `${c.abbrev} should resolve to ${c.name}`);
    const optNames = new Set<string>();
    for (const o of c.options) {
      assert.ok(o.name.startsWith(o.abbrev), `${c.name}.${o.name} abbrev ${o.abbrev}`);
      assert.ok(!optNames.has(o.name), `duplicate option ${c.name}.${o.name}`);
      optNames.add(o.name);
      assert.ok(o.doc.length > 0);
      assert.equal(resolveOption(c, o.name), o, `${c.name}.${o.name}`);
      assert.ok(Object.values(ArgKind).includes(o.arg));
    }
  }
  for (const est of ['regress', 'areg', 'reghdfe', 'did', 'ivreghdfe', 'ivreg2', 'eventstudy']) {
    const c = resolveCommand(est)!;
    assert.equal(c.isEstimation, true, est);
    assert.ok(c.weights.includes('aw'), est);
    assert.equal(c.allowIf, true, est);
  }
  for (const p of ['eststo', 'bysort', 'by', 'placebo', 'quietly']) assert.equal(resolveCommand(p)!.prefix, true, p);
  assert.equal(resolveCommand('gen')!.body, BodyKind.Gen);
  assert.equal(resolveCommand('replace')!.body, BodyKind.Gen);
  assert.equal(resolveCommand('egen')!.body, BodyKind.Egen);
  assert.equal(resolveCommand('entropy')!.body, BodyKind.Define);
  assert.equal(resolveCommand('global')!.body, BodyKind.Global);
  assert.equal(resolveCommand('esttab')!.allowUsing, true);
});

test('egen and expression functions', () => {
  assert.deepEqual(
    egenFunctions().map((f) => f.name).sort(),
    ['count', 'group', 'hhi', 'max', 'mean', 'median', 'min', 'rank', 'rowmax', 'rowmean', 'rowmin', 'rowmiss', 'rownonmiss', 'rowsd', 'rowtotal', 'sd', 'sum', 'total'],
  );
  assert.equal(resolveEgenFunction('hhi')?.rowwise, true);
  assert.equal(resolveEgenFunction('mean')?.rowwise, false);
  for (const f of ['log', 'ln', 'exp', 'sqrt', 'abs', 'missing', 'inlist', 'inrange', 'cond', 'round', 'floor', 'ceil', 'min', 'max']) {
    assert.ok(resolveExprFunction(f), f);
  }
  assert.equal(resolveExprFunction('inrange')?.minArgs, 3);
  assert.equal(exprFunctions().every((f) => f.doc.length > 0), true);
});
