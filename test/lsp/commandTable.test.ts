// The differential test over the whole command table (grammar/src/commands.ts): every command and
// every option spelling it declares (full names, aliases, every abbreviation) is accepted by the
// static checker if and only if the runtime runs it on a small panel (mpdta), and a spec the
// checker passes never fails at run time. Values for each option come from its declared kind and
// rule (or its `sample`), so a new command or option is covered by adding it to the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '../../grammar/src/index';
import { allCommands, ArgKind, type CommandSpec, type OptionSpec } from '../../grammar/src/commands';
import { runProgram } from '../../server/src/runtime/interpreter';
import { loadDatasetSync, type LoadedData } from '../../server/src/data/load';
import { analyze, dataDir } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'pspec-table-'));
copyFileSync(join(dataDir, 'mpdta.csv'), join(dir, 'mpdta.csv'));
const preloaded = new Map<string, LoadedData>([[join(dir, 'mpdta.csv'), loadDatasetSync(join(dir, 'mpdta.csv'))]]);

/** What every spec starts from; models and a plot for the commands that read them (esttab, coefplot, graph). */
const PRELUDE = ['use "mpdta.csv"', 'xtset countyreal year', 'gen post = treat * (year >= first_treat)', 'gen tyear = treat * year'];
const MODELS = ['eststo m1: reghdfe lemp post lpop, absorb(countyreal year)', 'eststo m2: reg lemp lpop', 'eventstudy lemp, treat(first_treat) window(-2 2) fe(countyreal year)'];
const needsModels = (c: CommandSpec) => c.role === 'models' || c.name === 'graph' || !!c.subcommands?.some((s) => s.model) || !!c.needsModel;
/** boottest tests a term of the current model: m1 made current again after the event study. */
const afterModels = (c: CommandSpec) => (c.needsModel ? ['estimates restore m1'] : []);

interface Outcome {
  checkErrors: string[];
  runError: string | null;
}

let seq = 0;
async function judge(c: CommandSpec, line: string, withModels = needsModels(c)): Promise<Outcome> {
  const text = [...PRELUDE, ...(withModels ? MODELS : []), ...(withModels ? afterModels(c) : []), line].join('\n') + '\n';
  const checkErrors = analyze(text, dir).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.start.line + 1}: ${d.message}`);
  const program = parse(text);
  // as the CLI: a spec that does not parse is not run
  if (program.errors.length) return { checkErrors, runError: `syntax: ${program.errors[0].message}` };
  const out = await runProgram(program, { file: join(dir, `spec${seq++}.pspec`), preloaded });
  return { checkErrors, runError: out.error ? out.error.message : null };
}

/** Checker passes <=> the runtime runs it. */
function assertAgree(line: string, o: Outcome): void {
  const checked = o.checkErrors.length === 0;
  const ran = o.runError === null;
  assert.ok(checked === ran, `${line}\n  checker: ${checked ? 'passes' : o.checkErrors.join('; ')}\n  runtime: ${ran ? 'runs' : o.runError}`);
}

/** Every spelling the table accepts: the full name, aliases, every abbreviation down to the minimal one. */
function spellings(name: string, abbrev: string, aliases: string[] = []): string[] {
  const out = new Set<string>([name, ...aliases]);
  for (let n = abbrev.length; n < name.length; n++) out.add(name.slice(0, n));
  return [...out];
}

/** A value inside the option's declared rule. */
function numberSample(o: OptionSpec): string {
  const r = o.rule ?? {};
  const count = (r.count ?? (o.arg === ArgKind.Window ? [2, 2] : [1, 1]))[0];
  if (o.arg === ArgKind.Window) return '-2 2';
  let v = r.min !== undefined && r.max !== undefined ? (r.min + r.max) / 2 : r.min !== undefined ? r.min + 1 : r.max !== undefined ? r.max - 1 : 1;
  if (r.integer || o.arg === ArgKind.Integer) v = Math.round(v);
  if (r.max !== undefined && r.max <= 1) v = Math.min(v, 0.001); // tolerances: a small value is the meaningful one
  return Array(count).fill(String(v)).join(' ');
}

function optionText(o: OptionSpec, written: string, n: number): string {
  if (o.sample !== undefined) return `${written}(${o.sample})`;
  if (o.keywords) return `${written}(${o.keywords[o.keywords.length - 1]})`;
  switch (o.arg) {
    case ArgKind.None:
      return written;
    case ArgKind.Varlist:
    case ArgKind.FeList:
      return `${written}(countyreal)`;
    case ArgKind.Var:
      return `${written}(first_treat)`;
    case ArgKind.NewVar:
      return `${written}(newvar${n})`;
    case ArgKind.Integer:
    case ArgKind.Number:
    case ArgKind.Window:
      return `${written}(${numberSample(o)})`;
    case ArgKind.String:
      return `${written}("x")`;
    case ArgKind.Strings:
      return `${written}("A" "B")`;
    case ArgKind.Path:
      return `${written}("out${n}.md")`;
    case ArgKind.VceSpec:
      return `${written}(robust)`;
    case ArgKind.Names:
      return `${written}(post)`;
    case ArgKind.Stats:
      return `${written}(mean sd)`;
    case ArgKind.Pairs:
      return `${written}(post "Post")`;
    default:
      throw new Error(`option ${o.name}: declare a sample value in the table (free-form option)`);
  }
}

/** The example line with option `o` (in any spelling) taken out, so that adding it back is not a duplicate. */
function withoutOption(example: string, c: CommandSpec, o: OptionSpec): string {
  const parsed = parse(example).statements[0];
  if (!parsed) return example;
  let text = example;
  for (const opt of [...parsed.command.options].reverse()) {
    const resolved = c.options.find((x) => x.name === opt.name || x.aliases?.includes(opt.name) || (opt.name.length >= x.abbrev.length && x.name.startsWith(opt.name) && opt.name.startsWith(x.abbrev)));
    if (resolved === o) text = text.slice(0, opt.range.start.offset) + text.slice(opt.range.end.offset);
  }
  return text.replace(/,\s*$/, '').replace(/,\s+,/, ',');
}

const commands = allCommands();

test('every command example in the table passes the checker and runs', async () => {
  for (const c of commands) {
    const o = await judge(c, c.example);
    assert.deepEqual([o.checkErrors, o.runError], [[], null], `${c.name}: ${c.example}`);
  }
});

test('every spelling of every command agrees between checker and runtime; other letter case is refused by both', async () => {
  for (const c of commands) {
    const head = c.example.split(/\s|:/)[0];
    if (head !== c.name && !spellings(c.name, c.abbrev, c.aliases).includes(head)) continue; // `set seed`: the example starts elsewhere
    for (const w of [...spellings(c.name, c.abbrev, c.aliases), c.name.toUpperCase()]) {
      const line = w + c.example.slice(head.length);
      const o = await judge(c, line);
      assertAgree(line, o);
      if (w === c.name.toUpperCase()) assert.notEqual(o.runError, null, `${line} must be refused (Stata is case-sensitive)`);
    }
  }
});

test('every option spelling of every command: the checker accepts it iff the runtime runs it', async () => {
  let n = 0;
  for (const c of commands) {
    for (const o of c.options) {
      const base = withoutOption(c.example, c, o);
      const sep = base.includes(',') || c.prefix ? ' ' : ', ';
      for (const w of spellings(o.name, o.abbrev, o.aliases)) {
        const opt = optionText(o, w, n++);
        // a prefix's options go before its colon
        const line = c.prefix ? base.replace(/^([^:]*?)(\s*):/, `$1 ${opt}:`) : base + sep + opt;
        assertAgree(line, await judge(c, line));
      }
    }
  }
});

test('the three specs that used to split checker and runtime now agree, as Stata reads them', async () => {
  const reg = commands.find((c) => c.name === 'reghdfe')!;
  // fixest's `hetero` is not a Stata vce(): both refuse it and offer robust
  const hetero = await judge(reg, 'reghdfe lemp post, absorb(countyreal year) vce(hetero)');
  assertAgree('vce(hetero)', hetero);
  assert.match(hetero.checkErrors.join(), /vce\(hetero\) is not a variance estimator.*vce\(robust\)/);
  // psmatch's pscore() creates a variable that later lines may use
  const ps = commands.find((c) => c.name === 'psmatch')!;
  const psText = 'psmatch treat lpop, gen(m) pscore(ps)\nsummarize ps';
  const p = await judge(ps, psText);
  assert.deepEqual([p.checkErrors, p.runError], [[], null]);
  // Stata is case-sensitive: REG is not a command, R is not an option
  const up = await judge(reg, 'REG lemp post, R');
  assertAgree('REG', up);
  assert.match(up.checkErrors.join(), /unknown command `REG`/);
  const r = await judge(reg, 'reg lemp post, R');
  assertAgree('reg, R', r);
  assert.match(r.checkErrors.join(), /option `R` not allowed/);
});

test('structural errors the checker now sees: exit-1 material, never a run-time surprise', async () => {
  const any = commands[0];
  for (const [line, msg] of [
    ['reg', /regress needs a dependent variable/],
    ['did lemp, fe(countyreal year)', /did needs a treatment variable after the outcome/],
    ['egen z = foo(lemp)', /unknown egen function foo\(\)/],
    ['set seed abc', /set seed expects a whole number, found `abc`/],
    ['ivreghdfe lemp (post = ), absorb(countyreal year)', /no instrument after =/],
    ['ivreghdfe lemp post, absorb(countyreal year)', /ivreghdfe needs one \(ENDOGENOUS = INSTRUMENTS\) group/],
    ['bysort countyreal: summarize lemp', /bysort works with .* not summarize/],
    ['placebo reps(10) seed(1): reg lemp post', /placebo \.\.\.: works with did or reghdfe commands, not regress/],
    ['placebo reps(1000000) seed(1): did lemp post, fe(countyreal year)', /reps\(\) must be between 1 and 100,000/],
    ['did_imputation lemp countyreal year', /did_imputation takes 2 or 4 variables/],
  ] as const) {
    const o = await judge(any, line);
    assertAgree(line, o);
    assert.match(o.checkErrors.join(), msg, line);
  }
});

test('commands that read the current or a stored model, with no estimation above: refused by both, with the same message', async () => {
  const lines: string[] = [];
  for (const c of commands) {
    if (c.needsModel) lines.push(c.example);
    for (const sub of c.subcommands ?? []) if (sub.model) lines.push(`${c.name} ${sub.name} m1`);
  }
  assert.ok(lines.some((l) => l.startsWith('boottest')) && lines.includes('estimates restore m1') && lines.includes('estimates store m1'), lines.join('; '));
  for (const line of lines) {
    const c = commands.find((x) => x.name === line.split(' ')[0])!;
    const o = await judge(c, line, false);
    assertAgree(line, o);
    // the checker's finding is the runtime's message, on the spec's last line
    const at = `${PRELUDE.length + 1}: `;
    assert.ok(o.checkErrors.some((e) => e === at + o.runError), `${line}\n  checker: ${o.checkErrors.join('; ')}\n  runtime: ${o.runError}`);
  }
  // a model above (restored, or stored by estimates store) satisfies both
  for (const text of ['reghdfe lemp post, absorb(countyreal year)\nestimates store a\nreg lemp lpop\nestimates restore a\nboottest post, cluster(countyreal) reps(9)']) {
    const o = await judge(commands[0], text, false);
    assert.deepEqual([o.checkErrors, o.runError], [[], null], text);
  }
});
