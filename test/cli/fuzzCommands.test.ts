// Property test over the command table (allCommands()): random specs built from every command's
// body kind and options, valid and not, run through the CLI. Whatever the spec, the CLI ends with
// exit 0, 1 or 2; a failure names `FILE:LINE:COL`; "internal error" never appears.
// Short by default (a few seconds); PANELSPEC_FUZZ_LONG=1 runs many more specs (see docs/robustness.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ArgKind, BodyKind, allCommands, type CommandSpec, type OptionSpec } from '../../grammar/src/commands';
import { CLI, workDir } from './helpers';

const LONG = !!process.env.PANELSPEC_FUZZ_LONG;
const RUNS = LONG ? 300 : 6;

const VARS = ['lemp', 'lpop', 'treat', 'year', 'countyreal', 'first_treat', 'post', 'nosuchvar', '_n'];
const varArb = fc.constantFrom(...VARS);
const varsArb = fc.array(varArb, { minLength: 0, maxLength: 3 }).map((a) => a.join(' '));
const numArb = fc.constantFrom('0', '1', '2', '3', '-1', '50', '0.5', '1e400', '99999999999999999999', '.');
const exprArb = fc
  .array(fc.oneof(varArb, numArb, fc.constantFrom('log(lemp)', 'L.lemp', '"s"', '(lemp + 1)')), { minLength: 1, maxLength: 4 })
  .chain((xs) => fc.array(fc.constantFrom('+', '-', '*', '/', '^', '==', '&', '|', '>'), { minLength: xs.length - 1, maxLength: xs.length - 1 }).map((ops) => xs.map((x, i) => (i ? `${ops[i - 1]} ${x}` : x)).join(' ')));

/** An argument for an option of kind `arg`: sometimes right, sometimes not. */
function argArb(o: OptionSpec): fc.Arbitrary<string> {
  const junk = fc.constantFrom('', '"', 'nosuchvar', '-', '1 2 3', '$undefined');
  const right = ((): fc.Arbitrary<string> => {
    switch (o.arg) {
      case ArgKind.None:
        return fc.constant('');
      case ArgKind.Integer:
        return fc.constantFrom('1', '2', '3', '10', '-1', '0', '1000000', '99999999999999999999');
      case ArgKind.Number:
        return fc.constantFrom('0.5', '95', '1e-9', '-3', '1e400');
      case ArgKind.Var:
      case ArgKind.Varlist:
      case ArgKind.FeList:
        return fc.oneof(varsArb, fc.constant('countyreal year'), fc.constant('countyreal#year'));
      case ArgKind.NewVar:
        return fc.constantFrom('newv', 'lemp');
      case ArgKind.String:
      case ArgKind.Strings:
        return fc.constantFrom('"x"', '"A" "B"', '""');
      case ArgKind.Path:
        return fc.constantFrom('"out.csv"', '"out.tex"', '"sub/none.csv"');
      case ArgKind.VceSpec:
        return fc.constantFrom('robust', 'cluster countyreal', 'cl year', 'iid', 'bogus');
      case ArgKind.Window:
        return fc.constantFrom('-2 2', '-100000 100000', '3 -3', '10 20');
      case ArgKind.Stats:
        return fc.constantFrom('N r2', 'mean sd', 'bogus');
      case ArgKind.Names:
        return fc.constantFrom('m1', 'm1 m2', 'nosuch');
      case ArgKind.Pairs:
        return fc.constantFrom('lemp "L"', 'lemp');
      case ArgKind.Any:
        return fc.constant(o.sample ?? '*');
    }
  })();
  return fc.oneof({ weight: 4, arbitrary: right }, { weight: 1, arbitrary: junk });
}

function optionArb(o: OptionSpec): fc.Arbitrary<string> {
  return argArb(o).map((a) => (o.arg === ArgKind.None && !a ? o.name : `${o.name}(${a})`));
}

function bodyArb(c: CommandSpec): fc.Arbitrary<string> {
  switch (c.body) {
    case BodyKind.Gen:
      return exprArb.map((e) => `newv = ${e}`);
    case BodyKind.Egen:
      return fc.constantFrom('newv = mean(lemp)', 'newv = count(lemp)', 'newv = foo(lemp)', 'newv = ');
    case BodyKind.Define:
      return varsArb.map((v) => `newv = ${v}`);
    case BodyKind.Global:
      return fc.constantFrom('g lemp lpop', 'g $g $g', 'g "quoted"', 'g');
    case BodyKind.Terms:
      return c.subcommands?.length ? fc.tuple(fc.constantFrom(...c.subcommands.map((s) => s.name)), varsArb).map(([s, v]) => `${s} ${v}`) : varsArb;
  }
}

/** One statement of command `c`: its example, or a body with random options, `if`, weights. */
function statementArb(c: CommandSpec): fc.Arbitrary<string> {
  const built = fc
    .tuple(
      bodyArb(c),
      c.options.length ? fc.subarray(c.options, { maxLength: Math.min(3, c.options.length) }).chain((os) => (os.length ? fc.tuple(...os.map(optionArb)) : fc.constant([] as string[]))) : fc.constant([] as string[]),
      c.allowIf ? fc.option(exprArb, { freq: 3 }) : fc.constant(null),
      c.weights.length ? fc.option(fc.constantFrom('[aw=lpop]', '[fw=lpop]', '[aw=nosuchvar]'), { freq: 4 }) : fc.constant(null),
    )
    .map(([body, opts, ifExpr, w]) => `${c.name} ${body}${ifExpr ? ` if ${ifExpr}` : ''}${w ? ` ${w}` : ''}${opts.length ? `, ${opts.join(' ')}` : ''}`);
  return fc.oneof(fc.constant(c.example), built);
}

const specArb = fc
  .array(fc.constantFrom(...allCommands().filter((c) => !c.prefix)), { minLength: 1, maxLength: 4 })
  .chain((cs) => fc.tuple(...cs.map(statementArb)))
  .map((lines) => ['use "mpdta.csv"', 'xtset countyreal year', 'gen post = treat * (year >= first_treat)', ...lines].join('\n') + '\n');

test(`CLI on ${RUNS} random specs from the command table: exit 0/1/2, FILE:LINE:COL, never an internal error`, { timeout: LONG ? 3_600_000 : 60_000 }, () => {
  const specs = fc.sample(specArb, { numRuns: RUNS, seed: LONG ? Date.now() : 14 });
  for (const spec of specs) {
    const dir = workDir(['mpdta.csv']);
    writeFileSync(join(dir, 'spec.pspec'), spec);
    const r = spawnSync(process.execPath, [CLI, 'run', 'spec.pspec', '--json', 'out.json'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    const what = `spec:\n${spec}\nstderr: ${r.stderr}`;
    assert.ok(r.status === 0 || r.status === 1 || r.status === 2, `exit ${r.status} (${r.signal ?? ''})\n${what}`);
    if (r.status !== 0) assert.match(r.stderr, /^.*spec\.pspec:\d+:\d+: error: \S/m, what);
    assert.doesNotMatch(r.stderr + r.stdout, /internal error|Maximum call stack|TypeError|RangeError/, what);
  }
});
