// Runs a parsed spec statement by statement against a Session. Prefixes (eststo NAME:, bysort:,
// placebo ...:, quietly:) are read into the command's context; every result gets the wall time of
// its command and its 1-based line. The first run-time error stops the run; the results before
// it are kept and returned with the error.
import { dirname } from 'node:path';
import type { Command, Program, Statement, Term } from '../../../grammar/src/ast';
import { byTargetProblem, lazyProblem, noModelProblem, prefixTargetProblem, type CommandSpec } from '../../../grammar/src/commands';
import { commandOptions } from '../../../grammar/src/optionValues';
import { bodyProblem } from '../../../grammar/src/bodyShape';
import { PLACEBO_REPS, RITEST_REPS } from '../engine/defaults';
import type { CommandResult, RunOutput } from '../results/types';
import type { LoadedData } from '../data/load';
import type { DuckSettings } from '../data/duck/session';
import { commandSpec, handlerFor, reportedName } from './commands/registry';
import { runPlacebo } from './commands/placebo';
import { runRitestCommand } from './commands/ritest';
import type { ByPrefix, CommandContext, PlaceboPrefix, Progress, RitestPrefix } from './context';
import { CancelledError, RunError, toRunError } from './errors';
import { closeLog } from './commands/log';
import { Options, termText } from './options';
import { expandVarlist, plainNames } from './varlist';
import { expandCommandGlobals } from './globals';
import { Session } from './session';

export interface RunOptions {
  file: string;
  baseDir?: string; // default: the spec file's folder
  onResult?: (r: CommandResult) => void;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Datasets already read (the CLI's static check loads them): path -> loaded data, copied on use. */
  preloaded?: Map<string, LoadedData>;
  /** DuckDB settings for lazy data (memory limit, temp folder, threads). */
  duck?: DuckSettings;
  /** Files at least this large open lazily (default 1 GB). */
  lazyThresholdBytes?: number;
  /** Leave DuckDB open at the end (the data viewer pages the lazy dataset afterwards, then closes it). */
  keepDuck?: boolean;
  /** Run only statements whose 0-based index passes (the editor's "run to here"). */
  upTo?: number;
}

export interface RunOutcome extends RunOutput {
  /** The run-time error that stopped the run, if any (results before it are in `results`). */
  error: RunError | null;
  session: Session;
}

export async function runProgram(program: Program, opts: RunOptions): Promise<RunOutcome> {
  const session = new Session({ file: opts.file, baseDir: opts.baseDir ?? dirname(opts.file), preloaded: opts.preloaded, duck: opts.duck, lazyThresholdBytes: opts.lazyThresholdBytes });
  const results: CommandResult[] = session.results;
  const total = program.statements.length;
  let error: RunError | null = null;
  for (let s = 0; s < total; s++) {
    if (opts.upTo !== undefined && s > opts.upTo) break;
    const st = program.statements[s];
    try {
      if (opts.signal?.aborted) throw new CancelledError();
      await runStatement(st, s, total, session, opts);
    } catch (e) {
      error = toRunError(e, st.command.range ?? st.range);
      break;
    }
    // let a worker see a cancel message between statements
    if (opts.signal) await new Promise((r) => setImmediate(r));
  }
  if (!opts.keepDuck || !session.lazy) session.closeDuck();
  // a log still open at the end (or when an error stopped the run) is closed with what ran
  try {
    closeLog(session, error ? { message: error.message, line: error.range ? error.range.start.line + 1 : undefined } : null);
  } catch {
    /* the log file became unwritable: the run's own outcome stands */
  }
  return { version: 1, file: opts.file, results, error, session };
}

async function runStatement(st: Statement, index: number, total: number, session: Session, opts: RunOptions): Promise<void> {
  const line = st.command.range.start.line + 1;
  let eststo: CommandContext['eststo'] = null;
  let by: ByPrefix | null = null;
  let placebo: PlaceboPrefix | null = null;
  let ritest: RitestPrefix | null = null;
  let quiet = false;
  let resampler: CommandSpec | null = null;
  for (const p of st.prefixes) {
    const spec = commandSpec(p.name);
    if (!spec?.prefix) throw new RunError(`${p.name} cannot be used as a prefix`, p.nameRange);
    switch (spec.prefixRole) {
      case 'store':
        eststo = { name: prefixName(p) };
        break;
      case 'by':
        by = byPrefix(expandCommandGlobals(p, session), session);
        break;
      case 'resample':
        if (spec.name === 'ritest') ritest = ritestPrefix(expandCommandGlobals(p, session), spec);
        else placebo = placeboPrefix(expandCommandGlobals(p, session), spec);
        resampler = spec;
        break;
      case 'quiet':
        quiet = true;
        break;
    }
  }
  const spec = commandSpec(st.command.name);
  // globals are substituted in terms and options before the command sees them (not in `global` itself)
  const cmd = spec && spec.name !== 'global' ? expandCommandGlobals(st.command, session) : st.command;
  if (!spec) throw new RunError(`unknown command ${cmd.name}`, cmd.nameRange);
  if (spec.prefix) {
    if (spec.prefixRole === 'store' && isEststoClear(cmd)) {
      session.models.clear();
      return;
    }
    if (spec.prefixRole === 'store') {
      // `eststo [NAME]` on its own line stores the last model, as in Stata
      if (!session.lastModel) throw new RunError('eststo: no estimation results to store yet', cmd.nameRange);
      const name = prefixName(cmd) ?? session.autoName();
      session.lastModel.name = name;
      session.models.set(name, session.lastModel);
      return;
    }
    throw new RunError(`${cmd.name} needs a command after the colon`, cmd.nameRange);
  }
  const lazy = session.lazy !== null;
  const handler = handlerFor(spec, lazy);
  if (!handler) throw new RunError((lazy && lazyProblem(spec)) || `${cmd.name} is not supported when running`, cmd.nameRange);
  const shape = bodyProblem(spec, cmd);
  if (shape) throw new RunError(shape.message, shape.range);
  if (spec.needsModel && !session.lastModel) throw new RunError(noModelProblem(spec.name), cmd.nameRange);
  const canonical = reportedName(spec);
  opts.onProgress?.({ line, command: canonical, statement: index, total });
  let mark = performance.now();
  const ctx: CommandContext = {
    session,
    statement: st,
    command: cmd,
    spec,
    canonical,
    line,
    eststo,
    by,
    placebo,
    ritest,
    quiet,
    signal: opts.signal,
    emit(r) {
      const now = performance.now();
      const full = { ...r, line, seconds: (now - mark) / 1000, ...(quiet ? { quiet: true } : {}) };
      mark = now;
      session.results.push(full);
      opts.onResult?.(full);
      return full;
    },
    dataChanged() {
      mark = performance.now();
    },
    progress(message, fraction) {
      if (opts.signal?.aborted) throw new CancelledError();
      opts.onProgress?.({ line, command: canonical, statement: index, total, message, fraction });
    },
  };
  if (placebo && resampler) {
    const wrong = prefixTargetProblem(resampler, spec);
    if (wrong) throw new RunError(wrong, cmd.nameRange);
    await runPlacebo(ctx);
    return;
  }
  if (ritest && resampler) {
    const wrong = prefixTargetProblem(resampler, spec);
    if (wrong) throw new RunError(wrong, cmd.nameRange);
    runRitestCommand(ctx);
    return;
  }
  if (by) {
    const wrong = byTargetProblem(spec);
    if (wrong) throw new RunError(wrong, cmd.nameRange);
  }
  await handler(ctx);
}

function prefixTerms(p: Command): Term[] {
  return p.body.kind === 'terms' ? p.body.terms : [];
}

function prefixName(p: Command): string | null {
  const t = prefixTerms(p);
  if (!t.length) return null;
  if (t.length > 1 || t[0].kind !== 'var' || t[0].op) throw new RunError('eststo NAME: takes one name', p.range);
  return t[0].name;
}

function isEststoClear(c: Command): boolean {
  const t = c.body.kind === 'terms' ? c.body.terms : [];
  return t.length === 1 && t[0].kind === 'var' && t[0].name === 'clear';
}

/** bysort a b (c d): groups by a b, sorted within by c d. */
function byPrefix(p: Command, session: Session): ByPrefix {
  const terms = prefixTerms(p);
  const groupTerms = terms.filter((t) => t.kind !== 'paren');
  const sortTerms = terms.filter((t): t is Extract<Term, { kind: 'paren' }> => t.kind === 'paren').flatMap((t) => t.terms);
  const vars = plainNames(expandVarlist(groupTerms, session), 'bysort');
  if (!vars.length) throw new RunError('bysort needs a variable list', p.range);
  const sortWithin = plainNames(expandVarlist(sortTerms, session), 'bysort');
  return { vars, sortWithin, range: p.range };
}

/** ritest TREAT _b[TREAT], reps(N) seed(S) [strata(VAR) cluster(VAR)]: options as calls or after a comma. */
function ritestPrefix(p: Command, spec: CommandSpec): RitestPrefix {
  const terms = prefixTerms(p);
  const first = terms[0];
  if (!first || first.kind !== 'var' || first.op) throw new RunError('ritest needs the variable to permute first: ritest TREAT _b[TREAT], reps(N): COMMAND', first?.range ?? p.range);
  for (const t of terms.slice(1)) {
    if (t.kind === 'call' && t.name === '_b') {
      if (t.args.length !== 1 || t.args[0].kind !== 'var') throw new RunError('ritest: write the statistic as _b[TREAT]', t.range);
      if (t.args[0].name !== first.name) throw new RunError(`ritest: the statistic must be the coefficient of the permuted variable, _b[${first.name}]`, t.range);
    } else if (t.kind !== 'call') throw new RunError(`ritest: unexpected ${termText(t)} (write ritest TREAT _b[TREAT], reps(N) seed(S): COMMAND)`, t.range);
  }
  const opts = new Options(p, spec, commandOptions(p, spec));
  const variable = (name: string): string | null => {
    if (!opts.has(name)) return null;
    const t = opts.terms(name);
    if (t.length !== 1 || t[0].kind !== 'var') throw new RunError(`${name}() takes one variable`, opts.range(name));
    return t[0].name;
  };
  return {
    treat: first.name,
    treatRange: first.range,
    reps: opts.number('reps', RITEST_REPS)!,
    seed: opts.number('seed') ?? null,
    strata: variable('strata'),
    cluster: variable('cluster'),
    command: p,
  };
}

/** placebo reps(N) units(M) seed(S): written as calls in the prefix body or as options. */
function placeboPrefix(p: Command, spec: CommandSpec): PlaceboPrefix {
  for (const t of prefixTerms(p))
    if (t.kind !== 'call' && !(t.kind === 'var' && !t.op)) throw new RunError(`${p.name}: unexpected ${termText(t)} (write reps(N) units(M) seed(S))`, t.range);
  const opts = new Options(p, spec, commandOptions(p, spec));
  return { reps: opts.number('reps', PLACEBO_REPS)!, units: opts.number('units') ?? null, seed: opts.number('seed') ?? null, command: p };
}
