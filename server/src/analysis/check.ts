// Static checks of a spec, before anything runs: shared by the language server (diagnostics, quick
// fixes) and the CLI (exit 1 before running). Every finding carries the exact range of what is wrong.
// Checks are conservative: when the variable list is not known (no data loaded yet, file unreadable)
// variable checks are skipped rather than guessed, so that a correct spec never fails to run.
import { termText as sharedTermText } from '../../../grammar/src/termText';
import type { Program, Range, Statement, Term, Command, Expr, Option, VarRef } from '../../../grammar/src/ast';
import { buildScope, termVarNames, wildcardRegex, usePath, type ProgramScope, type Scope, type ScopeContext } from './scope';
import { commandInfo, optionInfo, allCommandInfos, type CommandInfo, type OptionInfo } from './commands';
import { suggest } from './suggest';
import { commandOptions } from './options';
import { expandCommand, globalExpr, hasUnresolved, type Origins } from './globalExpand';
import { exprKind, type Kind } from './exprTypes';
import { macroTooLong } from '../../../grammar/src/limits';
import { readEsttabLayout } from '../results/esttabSpec';
import { ArgKind as GArg, byTargetProblem, lazyProblem, noModelProblem, prefixTargetProblem, requiresProblem, unknownModelProblem } from '../../../grammar/src/commands';
import { bodyProblem, modelReference } from '../../../grammar/src/bodyShape';
import { EVENT_REF } from '../engine/defaults';
import { CS_REF_MESSAGE, clusterTwiceProblem, dkraayConflictProblem, eventWindowProblem, parseKeyword, parseNumbers, parseVce, vceKeyword, type ValueProblem } from '../../../grammar/src/optionValues';
import { graphFileProblem } from '../results/plots/exportFormat';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export type CheckCode =
  | 'syntax'
  | 'lazy-data'
  | 'unknown-command'
  | 'unknown-option'
  | 'option-args'
  | 'missing-option'
  | 'duplicate-option'
  | 'unknown-variable'
  | 'string-variable'
  | 'unknown-function'
  | 'function-args'
  | 'type-mismatch'
  | 'weight-type'
  | 'in-range'
  | 'data-file'
  | 'ts-without-xtset'
  | 'undefined-global'
  | 'unknown-model'
  | 'no-model'
  | 'gen-exists'
  | 'replace-missing'
  | 'no-data'
  | 'macro-length';

export interface CheckDiagnostic {
  message: string;
  range: Range;
  severity: Severity;
  code: CheckCode;
  /** For quick fixes: names that could replace the text at `range`, best first. */
  data?: { replacements?: string[]; kind?: 'variable' | 'command' | 'option' | 'model' | 'global' | 'function' };
}

export type CheckContext = ScopeContext;

export interface Analysis {
  program: Program;
  scope: ProgramScope;
  diagnostics: CheckDiagnostic[];
}

const TS_OPS = new Set(['L', 'F', 'D', 'l', 'f', 'd']);

export function analyzeProgram(program: Program, ctx: CheckContext): Analysis {
  const scope = buildScope(program, ctx);
  const diagnostics: CheckDiagnostic[] = [];
  for (const e of program.errors) diagnostics.push({ message: e.message, range: e.range, severity: 'error', code: 'syntax' });
  program.statements.forEach((st, i) => {
    try {
      new StatementChecker(scope.before[i], diagnostics).check(st, scope.uses[i]);
      const body = st.command.body;
      if (body.kind === 'global' && scope.before[i + 1].globals.get(body.name)?.tooLong)
        diagnostics.push({ message: macroTooLong(`global ${body.name}`), range: body.textRange, severity: 'error', code: 'macro-length' });
    } catch (e) {
      // A checker bug must never hide the other findings: report it on the statement instead.
      diagnostics.push({ message: `internal check error: ${(e as Error).message}`, range: st.command.nameRange, severity: 'warning', code: 'syntax' });
    }
  });
  diagnostics.sort((a, b) => a.range.start.offset - b.range.start.offset);
  return { program, scope, diagnostics };
}

export function checkProgram(program: Program, ctx: CheckContext): CheckDiagnostic[] {
  return analyzeProgram(program, ctx).diagnostics;
}

class StatementChecker {
  /** Terms and expression nodes that came from expanding a `$global`: node -> global name. */
  private readonly origins: Origins = new WeakMap();

  constructor(
    private readonly scope: Scope,
    private readonly out: CheckDiagnostic[],
  ) {}

  private err(code: CheckCode, message: string, range: Range, data?: CheckDiagnostic['data']): void {
    this.out.push({ message, range, severity: 'error', code, data });
  }

  /** A value the shared option reader refused (the runtime throws the same message). */
  private problem(p: ValueProblem): void {
    this.err('option-args', p.message, p.range, p.replacements ? { replacements: p.replacements, kind: 'option' } : undefined);
  }

  check(st: Statement, use: import('./scope').UseSymbol | undefined): void {
    // `$NAME` is checked as what it expands to (vce($cl), absorb($fe), placebo reps($r):)
    const expand = (c: Command): Command | undefined => {
      const x = expandCommand(c, this.scope.globals, this.origins);
      if (x.tooLong) this.err('macro-length', macroTooLong('this command with its globals expanded'), x.tooLong);
      return x.tooLong ? undefined : x.cmd;
    };
    for (const p of st.prefixes) {
      const c = expand(p);
      if (!c) return;
      this.checkCommand(c, true);
    }
    const cmd = commandInfo(st.command.name)?.body === 'global' ? st.command : expand(st.command);
    if (cmd) this.checkCommand(cmd, false, use);
    this.checkPrefixTargets(st);
    const spec = commandInfo(st.command.name)?.spec;
    const lazy = this.scope.lazy && spec ? lazyProblem(spec) : undefined;
    if (lazy) this.err('lazy-data', lazy, st.command.nameRange);
  }

  /** `bysort x: summarize` and `placebo ...: reg`: prefixes the runtime cannot apply to this command. */
  private checkPrefixTargets(st: Statement): void {
    const target = commandInfo(st.command.name)?.spec;
    if (!target) return;
    for (const p of st.prefixes) {
      const prefix = commandInfo(p.name)?.spec;
      const problem = prefix?.prefixRole === 'by' ? byTargetProblem(target) : prefix?.prefixRole === 'resample' ? prefixTargetProblem(prefix, target) : undefined;
      if (problem) this.err('syntax', problem, st.command.nameRange);
    }
  }

  /** `$x.` prefix for findings on names a global expanded to (they point at the `$x` written). */
  private via(node: object): string | undefined {
    return this.origins.get(node);
  }

  private checkCommand(cmd: Command, isPrefix: boolean, use?: import('./scope').UseSymbol): void {
    const info = commandInfo(cmd.name);
    if (!info) {
      const names = allCommandInfos().flatMap((c) => [c.name, ...c.aliases]);
      const s = suggest(cmd.name, names);
      this.err('unknown-command', `unknown command \`${cmd.name}\`${didYouMean(s)}`, cmd.nameRange, { replacements: s, kind: 'command' });
      return;
    }
    this.checkOptions(cmd, info);
    const shape = isPrefix ? undefined : bodyProblem(info.spec, cmd);
    if (shape) this.err('syntax', shape.message, shape.range);
    if (!isPrefix) this.checkModelUse(cmd, info);
    if (cmd.ifExpr) {
      this.checkExpr(cmd.ifExpr);
      // commands that take `if` evaluate it to a 0/1 mask, which needs a number (the others never evaluate it)
      if (info.spec.allowIf && this.kindOf(cmd.ifExpr) === 'str') this.err('type-mismatch', 'type mismatch: if needs a number, got a string', cmd.ifExpr.range);
    }
    if (cmd.inRange) this.checkInRange(cmd, info);
    if (cmd.weight) {
      this.checkVar(cmd.weight.expr, true);
      this.checkWeightType(cmd, info);
    }
    switch (info.body) {
      case 'path':
        if (use) this.checkUse(use);
        else if (!usePath(cmd)) this.err('option-args', `${info.name} needs a file name`, cmd.nameRange);
        break;
      case 'estimation':
        this.checkEstimationBody(cmd);
        break;
      case 'varlist':
        if (cmd.body.kind === 'terms') this.checkTerms(cmd.body.terms, false);
        break;
      case 'gen':
        if (cmd.body.kind === 'gen') {
          const t = cmd.body.target;
          const replacing = info.name === 'replace';
          if (this.scope.varsKnown || this.scope.vars.has(t.name)) {
            if (replacing && !this.scope.vars.has(t.name)) {
              const s = suggest(t.name, this.scope.vars.keys());
              this.err('replace-missing', `variable \`${t.name}\` not found: \`replace\` changes an existing variable (use \`gen\` to create one)${didYouMean(s)}`, t.nameRange, { replacements: s, kind: 'variable' });
            } else if (!replacing && this.scope.vars.has(t.name))
              this.err('gen-exists', `variable \`${t.name}\` already exists (use \`replace\` to change it)`, t.nameRange);
          }
          this.checkExpr(cmd.body.expr);
          this.checkGenKind(cmd.body, replacing);
        }
        break;
      case 'egen':
        if (cmd.body.kind === 'egen') {
          this.checkNew(cmd.body.target);
          this.checkTerms(cmd.body.args, false);
        }
        break;
      case 'define':
        if (cmd.body.kind === 'define') {
          this.checkNew(cmd.body.target);
          this.checkTerms(cmd.body.terms, true);
        }
        break;
      case 'models':
        if (cmd.body.kind === 'terms') this.checkModels(cmd.body.terms);
        break;
      case 'label':
        if (cmd.body.kind === 'terms') {
          const [kw, v] = cmd.body.terms;
          if (kw?.kind === 'var' && /^var/.test(kw.name) && v?.kind === 'var') this.checkVar(v, false);
        }
        break;
      case 'rename':
        if (cmd.body.kind === 'terms') {
          const [a, b] = cmd.body.terms;
          if (a?.kind === 'var') this.checkVar(a, false);
          if (b?.kind === 'var') this.checkNew(b);
        }
        break;
      case 'export':
        if (cmd.body.kind === 'terms') {
          // `export delimited "FILE" VARLIST`: the subcommand word and the file are not variables
          const ts = cmd.body.terms;
          this.checkTerms(ts.filter((t, i) => t.kind !== 'str' && !(i === 0 && t.kind === 'var')), false);
        }
        break;
      case 'global':
        // globals inside a definition expand now, as Stata does: an undefined one is an error here
        if (cmd.body.kind === 'global') this.checkGlobalsOnly(cmd.body.terms);
        break;
      default:
        // name, none, free: nothing to check in the body beyond its globals
        if (cmd.body.kind === 'terms' && !isPrefix) this.checkGlobalsOnly(cmd.body.terms);
        if (info.name === 'graph' && cmd.body.kind === 'terms') this.checkGraphFile(cmd.body.terms);
        if (info.name === 'help' && cmd.body.kind === 'terms') this.checkHelpTopic(cmd.body.terms, cmd.nameRange);
    }
  }

  /** `help COMMAND`: one command name the table knows. */
  private checkHelpTopic(terms: Term[], at: Range): void {
    const [topic, extra] = terms;
    if (!topic || topic.kind !== 'var') return this.err('option-args', 'help needs a command name, e.g. `help reghdfe`', topic?.range ?? at);
    if (extra) return this.err('option-args', 'help takes one command name', extra.range);
    if (!commandInfo(topic.name)) {
      const s = suggest(topic.name, allCommandInfos().map((c) => c.name));
      this.err('unknown-command', `no command \`${topic.name}\`${didYouMean(s)}`, topic.range, { replacements: s, kind: 'command' });
    }
  }

  /** `graph export "FILE"`: the runtime's own rule on the extension (when the name has no `$global`). */
  private checkGraphFile(terms: Term[]): void {
    const [sub, file] = terms;
    if (sub?.kind !== 'var' || sub.name.toLowerCase() !== 'export' || file?.kind !== 'str' || file.value.includes('$')) return;
    const problem = graphFileProblem(file.value);
    if (problem) this.err('option-args', problem, file.range);
  }

  private checkOptions(cmd: Command, info: CommandInfo): void {
    const seen = new Set<string>();
    for (const o of commandOptions(cmd, info)) {
      const spec = optionInfo(info, o.name);
      if (!spec) {
        const s = suggest(o.name, info.options.map((x) => x.name));
        this.err('unknown-option', `option \`${o.name}\` not allowed with ${info.name}${didYouMean(s)}`, o.nameRange, { replacements: s, kind: 'option' });
        continue;
      }
      if (seen.has(spec.name)) this.err('duplicate-option', `option ${spec.name}() given twice`, o.nameRange);
      seen.add(spec.name);
      this.checkOptionArgs(info, spec, o);
    }
    for (const spec of info.options)
      if (spec.required && !seen.has(spec.name)) this.err('missing-option', `${info.name} needs option ${spec.name}()`, cmd.nameRange);
    for (const o of commandOptions(cmd, info)) {
      const spec = optionInfo(info, o.name)?.spec;
      const missing = spec && requiresProblem(spec, (n) => seen.has(n));
      if (missing) this.err('missing-option', missing, o.range);
    }
    this.checkClusterTwice(cmd, info);
    if (info.name === 'eventstudy') this.checkEventWindow(cmd, info);
    if (info.name === 'esttab') this.checkEsttabLayout(cmd, info);
  }

  private checkClusterTwice(cmd: Command, info: CommandInfo): void {
    const find = (name: string) => commandOptions(cmd, info).find((o) => optionInfo(info, o.name)?.name === name);
    const vce = find('vce');
    const v = vce?.args && !hasUnresolved(vce.args) ? parseVce(vce.args, vce.range) : undefined;
    const p = v?.ok ? clusterTwiceProblem(v.value, find('cluster')) : undefined;
    if (p) this.problem(p);
    const dk = v === undefined || v.ok ? dkraayConflictProblem(v?.ok ? v.value : undefined, find('dkraay'), [find('cluster'), find('robust')]) : undefined;
    if (dk) this.problem(dk);
  }

  /** esttab's formats, star levels, statistic names, indicate() groups: the runtime's own reader. */
  private checkEsttabLayout(cmd: Command, info: CommandInfo): void {
    const given = new Map<string, Option>();
    for (const o of commandOptions(cmd, info)) {
      const spec = optionInfo(info, o.name);
      // an option given twice is reported above; a `$global` not known statically cannot be judged
      if (!spec || given.has(spec.name) || (o.args && hasUnresolved(o.args))) continue;
      given.set(spec.name, o);
    }
    for (const p of readEsttabLayout(given).problems) this.err('option-args', p.message, p.range);
  }

  /** eventstudy: window(LO HI) with LO <= HI and ref(K) inside it, when both are written as numbers. */
  private checkEventWindow(cmd: Command, info: CommandInfo): void {
    const opts = commandOptions(cmd, info);
    const numbers = (name: string) => {
      const o = opts.find((x) => optionInfo(info, x.name)?.name === name);
      const spec = o && optionInfo(info, o.name);
      if (!o || !spec || !o.args || hasUnresolved(o.args)) return { o, values: null };
      const r = parseNumbers(spec.name, o.args, o.argsRange ?? o.range, spec.rule);
      return { o, values: r.ok ? r.value : null }; // a bad value is reported by checkOptionArgs
    };
    const win = numbers('window');
    if (!win.o || !win.values) return;
    const [lo, hi] = win.values;
    const where = win.o.argsRange ?? win.o.range;
    const problem = eventWindowProblem(lo, hi, undefined);
    if (problem) {
      this.err('option-args', problem, where);
      return;
    }
    // estimator(cs) has no reference period: the runtime refuses ref() there
    const estimator = opts.find((o) => optionInfo(info, o.name)?.name === 'estimator');
    if (estimator?.args?.some((a) => a.kind === 'var' && a.name === 'cs')) {
      const refOpt = opts.find((o) => optionInfo(info, o.name)?.name === 'ref');
      if (refOpt) this.err('option-args', CS_REF_MESSAGE, refOpt.range);
      return;
    }
    const ref = numbers('ref');
    if (ref.o && !ref.values) return;
    const k = ref.values ? ref.values[0] : EVENT_REF;
    const bad = eventWindowProblem(lo, hi, k);
    if (bad) this.err('option-args', bad, ref.o ? (ref.o.argsRange ?? ref.o.range) : where);
  }

  private checkOptionArgs(info: CommandInfo, spec: OptionInfo, o: Option): void {
    const args = o.args;
    const where = o.argsRange && args && args.length ? o.argsRange : o.range;
    if (spec.args === 'none') {
      if (args && args.length) this.err('option-args', `option ${spec.name} takes no arguments`, where);
      return;
    }
    if (!args || !args.length) {
      if (spec.args !== 'optional') this.err('option-args', `option ${spec.name}() needs ${argDescription(spec)}`, o.range);
      return;
    }
    if (hasUnresolved(args)) {
      // a `$NAME` that is undefined (reported here) or not known statically: its shape cannot be judged
      if (spec.args === 'varlist') this.checkTerms(args, false);
      else if (spec.args === 'vce') this.checkTerms(args[0].kind === 'var' && vceKeyword(args[0].name) ? args.slice(1) : args, false);
      else this.checkGlobalsOnly(args);
      return;
    }
    switch (spec.args) {
      case 'numbers': {
        // the runtime's own reader (grammar/src/optionValues.ts), so both refuse the same values
        const nums = parseNumbers(spec.name, args, where, spec.rule);
        if (!nums.ok) this.problem(nums.problem);
        return;
      }
      case 'varlist':
        // eventstudy's adoption time is arithmetic (k = TIME - ADOPT): the runtime needs a number
        this.checkTerms(args, spec.spec.arg === GArg.Var && info.isEstimation);
        if (spec.maxVars !== undefined && args.length > spec.maxVars) this.err('option-args', `too many arguments in ${spec.name}(): expected ${spec.maxVars === 1 ? 'one variable' : spec.maxVars}`, where);
        return;
      case 'newvar': {
        const t = args[0];
        if (args.length > 1) this.err('option-args', `too many arguments in ${spec.name}(): expected one new variable name`, where);
        if (t.kind === 'var') this.checkNew(t);
        else this.err('option-args', `option ${spec.name}() expects a new variable name`, t.range);
        return;
      }
      case 'string': {
        if (args.length > 1 && args.every((a) => a.kind === 'str')) this.err('option-args', `too many arguments in ${spec.name}(): expected one string`, where);
        const bad = args.length === 1 && args[0].kind === 'str' ? spec.spec.validate?.(args[0].value) : undefined;
        if (bad) this.err('option-args', bad, where);
        return;
      }
      case 'names':
        if (spec.spec.keywords) {
          const k = parseKeyword(spec.name, args, where, spec.spec.keywords);
          if (!k.ok) this.problem(k.problem);
        }
        return;
      case 'vce': {
        const v = parseVce(args, where);
        if (!v.ok) this.problem(v.problem);
        else if (v.value.type === 'cluster') this.checkTerms(v.value.vars, false);
        return;
      }
      default:
        this.checkGlobalsOnly(args);
    }
  }

  private checkEstimationBody(cmd: Command): void {
    if (cmd.body.kind !== 'terms') return;
    let first = true;
    for (const t of cmd.body.terms) {
      if (t.kind === 'var') {
        const isFactor = t.op?.op === 'i' || t.op?.op === 'b';
        this.checkVar(t, !isFactor, first ? 'dependent variable' : 'regressor');
        first = false;
      } else if (t.kind === 'paren') {
        for (const x of [...t.terms, ...(t.rhs ?? [])]) this.checkTerms([x], true);
        first = false;
      } else if (t.kind === 'str' || t.kind === 'num' || t.kind === 'op') {
        // not a variable; the runtime reports misuse
      } else {
        this.checkTerms([t], true);
        first = false;
      }
    }
  }

  /** Variables (and globals, ts operators) in a list of terms. */
  private checkTerms(terms: Term[], numeric: boolean): void {
    for (const t of terms) {
      switch (t.kind) {
        case 'var':
          this.checkVar(t, numeric && !(t.op?.op === 'i' || t.op?.op === 'b'));
          break;
        case 'varrange':
          this.checkVar(t.from, numeric);
          this.checkVar(t.to, numeric);
          break;
        case 'interact':
          // `a#b` parts are factors (a string is fine) unless marked continuous with `c.`
          for (const p of t.parts) this.checkVar(p, numeric && p.op?.op === 'c');
          break;
        case 'global':
          this.checkGlobal(t.name, t.range, true);
          break;
        case 'paren':
          this.checkTerms(t.terms, numeric);
          if (t.rhs) this.checkTerms(t.rhs, numeric);
          break;
        case 'call':
          this.checkTerms(t.args, false);
          break;
        default:
          break;
      }
    }
  }

  private checkGlobalsOnly(terms: Term[]): void {
    const visit = (t: Term): void => {
      if (t.kind === 'global') this.checkGlobal(t.name, t.range, false);
      else if (t.kind === 'paren') [...t.terms, ...(t.rhs ?? [])].forEach(visit);
      else if (t.kind === 'call') t.args.forEach(visit);
    };
    terms.forEach(visit);
  }

  /** An undefined global is an error; a defined one used as a varlist has its variables checked here. */
  private checkGlobal(name: string, range: Range, asVarlist: boolean): void {
    const g = this.scope.globals.get(name);
    if (!g) {
      const s = suggest(name, this.scope.globals.keys());
      this.err('undefined-global', `global \`$${name}\` is not defined above${didYouMean(s.map((x) => '$' + x))}`, range, { replacements: s.map((x) => '$' + x), kind: 'global' });
      return;
    }
    if (g.unknown || !asVarlist || !this.scope.varsKnown) return;
    for (const v of termVarNames(g.terms.filter((t) => t.kind === 'var' || t.kind === 'interact' || t.kind === 'varrange'), this.scope.vars.keys())) {
      if (!this.scope.vars.has(v)) {
        const s = suggest(v, this.scope.vars.keys());
        this.err('unknown-variable', `$${name} expands to unknown variable \`${v}\`${didYouMean(s)}`, range);
      }
    }
  }

  private checkVar(v: VarRef, numeric: boolean, role = 'variable'): void {
    if (v.op && TS_OPS.has(v.op.op) && !this.scope.xtset)
      this.err('ts-without-xtset', `time-series operator ${v.op.op}. needs \`xtset UNIT TIME\` above`, v.op.range);
    if (!this.scope.varsKnown && !this.scope.vars.has(v.name)) return;
    if (v.wildcard) {
      const re = wildcardRegex(v.name);
      const g = this.via(v);
      if (![...this.scope.vars.keys()].some((k) => re.test(k))) this.err('unknown-variable', `${g ? `$${g} expands to a pattern that matches no variable` : 'no variable matches'} \`${v.name}\``, v.nameRange);
      return;
    }
    const sym = this.scope.vars.get(v.name);
    if (!sym) {
      if (v.name === '_n' || v.name === '_N' || v.name === '_cons') return;
      this.unknownVar(v, v.name, v.nameRange);
      return;
    }
    if (numeric && sym.type === 'string')
      this.err('string-variable', `${role} \`${v.name}\` is a string variable; a number is needed (encode it or use it as a fixed effect)`, v.nameRange);
  }

  /** Unknown variable `name` at `range`; when it came from a global, the message says so and no quick fix replaces the `$NAME`. */
  private unknownVar(node: object, name: string, range: Range): void {
    const s = suggest(name, this.scope.vars.keys());
    const g = this.via(node);
    if (g) this.err('unknown-variable', `$${g} expands to unknown variable \`${name}\`${didYouMean(s)}`, range);
    else this.err('unknown-variable', `unknown variable \`${name}\`${didYouMean(s)}`, range, { replacements: s, kind: 'variable' });
  }

  private checkNew(v: VarRef): void {
    if (this.scope.vars.has(v.name)) this.err('gen-exists', `variable \`${v.name}\` already exists`, v.nameRange);
  }

  private checkExpr(e: Expr): void {
    switch (e.kind) {
      case 'var':
        if (e.op && TS_OPS.has(e.op.op) && !this.scope.xtset)
          this.err('ts-without-xtset', `time-series operator ${e.op.op}. needs \`xtset UNIT TIME\` above`, e.op.range);
        if (this.scope.varsKnown && !this.scope.vars.has(e.name) && e.name !== '_n' && e.name !== '_N') this.unknownVar(e, e.name, e.nameRange);
        return;
      case 'global': {
        const g = this.scope.globals.get(e.name);
        if (!g) this.checkGlobal(e.name, e.range, false);
        else if (!this.via(e)) {
          // `gen y = $x * 2`: the global's text read as an expression (unreadable or unknown: nothing to say)
          const x = globalExpr(g, e.range, this.origins);
          if (x) this.checkExpr(x);
        }
        return;
      }
      case 'unary':
        this.checkExpr(e.arg);
        return;
      case 'binary':
        this.checkExpr(e.left);
        this.checkExpr(e.right);
        return;
      case 'call':
        e.args.forEach((a) => this.checkExpr(a));
        return;
      case 'index':
        if (this.scope.varsKnown && !this.scope.vars.has(e.target)) this.unknownVar(e, e.target, e.targetRange);
        this.checkExpr(e.index);
        return;
      default:
        return;
    }
  }

  /**
   * The kind of an expression (number or string), reporting what the runtime would reject in it:
   * unknown functions, argument counts, string/number mismatches (see exprTypes.ts).
   */
  private kindOf(e: Expr): Kind {
    const found: import('./exprTypes').ExprFinding[] = [];
    const k = exprKind(
      e,
      {
        varKind: (name) => {
          const v = this.scope.vars.get(name);
          return !v || v.typeUnsure ? 'unknown' : v.type === 'string' ? 'str' : 'num';
        },
        global: (g) => {
          // nodes already expanded from a global are not re-read (their text was expanded at definition)
          const sym = this.via(g) ? undefined : this.scope.globals.get(g.name);
          return sym ? globalExpr(sym, g.range, this.origins) : undefined;
        },
      },
      found,
    );
    for (const f of found) this.err(f.code, f.message, f.range, f.replacements?.length ? { replacements: f.replacements, kind: 'function' } : undefined);
    return k;
  }

  /** gen str# needs a string; replace keeps the variable's type (the runtime's rules). */
  private checkGenKind(body: Extract<Command['body'], { kind: 'gen' }>, replacing: boolean): void {
    const k = this.kindOf(body.expr);
    if (k === 'unknown') return;
    if (!replacing) {
      if (body.type?.startsWith('str') && k !== 'str') this.err('type-mismatch', 'type mismatch: a str variable needs a string expression', body.expr.range);
      return;
    }
    const v = this.scope.vars.get(body.target.name);
    if (!v || v.typeUnsure) return;
    if (v.type === 'numeric' && k === 'str') this.err('type-mismatch', `type mismatch: ${v.name} is numeric`, body.expr.range);
    else if (v.type === 'string' && k === 'num') this.err('type-mismatch', `type mismatch: ${v.name} is a string variable`, body.expr.range);
  }

  /**
   * `in F/L`: only where the command takes a sample (the commands that take `if`; the others would
   * ignore it), and no range that is wrong whatever the data (0, or backwards with both ends counted
   * the same way). Ranges past the data's end are the runtime's to report.
   */
  private checkInRange(cmd: Command, info: CommandInfo): void {
    const r = cmd.inRange!;
    if (!info.spec.allowIf) {
      this.err('in-range', `\`in\` is not allowed with ${info.name}`, r.range);
      return;
    }
    const { from, to } = r;
    if (from === 0 || to === 0) this.err('in-range', 'observation numbers start at 1 (or -1 for the last)', r.range);
    else if (typeof from === 'number' && typeof to === 'number' && Math.sign(from) === Math.sign(to) && from > to)
      this.err('in-range', `in ${from}/${to} is backwards: the first observation is after the last`, r.range);
  }

  /** Weight types the command's registry entry does not list: the runtime refuses them (estimation: aw only). */
  private checkWeightType(cmd: Command, info: CommandInfo): void {
    const w = cmd.weight!;
    // other commands ignore a weight they do not use: only estimation refuses one at run time
    if (!info.isEstimation || info.spec.weights.includes(w.type)) return;
    this.err('weight-type', `only analytic weights [aw=VAR] are supported, not ${w.type}`, w.typeRange, { replacements: ['aw'], kind: 'option' });
  }

  /** Commands that read the current model or a stored one, where none is: the runtime's own messages. */
  private checkModelUse(cmd: Command, info: CommandInfo): void {
    if (info.spec.needsModel && !this.scope.hasModel) this.err('no-model', noModelProblem(info.name), cmd.nameRange);
    const ref = modelReference(info.spec, cmd);
    if (ref?.model === 'store' && !this.scope.hasModel) this.err('no-model', noModelProblem(`${info.name} store`), cmd.nameRange);
    if (ref?.model === 'restore' && !this.scope.models.has(ref.name)) {
      const known = [...this.scope.models.keys()];
      this.err('unknown-model', unknownModelProblem(ref.name, known), ref.range, { replacements: suggest(ref.name, known), kind: 'model' });
    }
  }

  private checkModels(terms: Term[]): void {
    for (const t of terms) {
      if (t.kind !== 'var' || t.wildcard) continue;
      if (!this.scope.models.has(t.name)) {
        const s = suggest(t.name, this.scope.models.keys());
        const known = this.scope.models.size ? ` (stored: ${[...this.scope.models.keys()].join(', ')})` : '';
        this.err('unknown-model', `model \`${t.name}\` was not stored by \`eststo ${t.name}:\` above${didYouMean(s) || known}`, t.nameRange, { replacements: s, kind: 'model' });
      }
    }
  }

  private checkUse(use: import('./scope').UseSymbol): void {
    if (use.state.status === 'error')
      this.err('data-file', use.state.notFound ? `data file not found: ${use.written} (looked for ${use.resolved})` : use.state.message, use.range);
  }
}

function didYouMean(s: string[]): string {
  if (!s.length) return '';
  return ` (did you mean ${s.map((x) => '`' + x + '`').join(' or ')}?)`;
}

function argDescription(spec: OptionInfo): string {
  switch (spec.args) {
    case 'numbers': {
      const lo = spec.rule?.count?.[0] ?? 1;
      return lo > 1 ? `${lo} numbers` : spec.rule?.integer ? 'a whole number' : 'a number';
    }
    case 'varlist':
      return 'variable names';
    case 'newvar':
      return 'a new variable name';
    case 'string':
      return 'a string';
    case 'vce':
      return 'robust or cluster VARLIST';
    default:
      return 'arguments';
  }
}

/** Source-like text of a term, strings quoted (for messages). */
export function termText(t: Term): string {
  return sharedTermText(t, true);
}
