// Runs a parsed spec statement by statement against a Session. Prefixes (eststo NAME:, bysort:,
// placebo ...:, quietly:) are read into the command's context; every result gets the wall time of
// its command and its 1-based line. The first run-time error stops the run; the results before
// it are kept and returned with the error.
import { dirname } from 'node:path';
import type { Command, Program, Range, Statement, Term } from '../../../grammar/src/ast';
import { resolveOption, type CommandSpec } from '../../../grammar/src/commands';
import type { CommandResult, RunOutput } from '../results/types';
import type { LoadedData } from '../data/load';
import { commandSpec, handlerFor, reportedName } from './commands/registry';
import { runPlacebo } from './commands/placebo';
import type { ByPrefix, CommandContext, PlaceboPrefix, Progress } from './context';
import { CancelledError, RunError, toRunError } from './errors';
import { termNumbers, termText } from './options';
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
  /** Run only statements whose 0-based index passes (the editor's "run to here"). */
  upTo?: number;
}

export interface RunOutcome extends RunOutput {
  /** The run-time error that stopped the run, if any (results before it are in `results`). */
  error: RunError | null;
  session: Session;
}

export async function runProgram(program: Program, opts: RunOptions): Promise<RunOutcome> {
  const session = new Session({ file: opts.file, baseDir: opts.baseDir ?? dirname(opts.file), preloaded: opts.preloaded });
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
  return { version: 1, file: opts.file, results, error, session };
}

async function runStatement(st: Statement, index: number, total: number, session: Session, opts: RunOptions): Promise<void> {
  const line = st.command.range.start.line + 1;
  let eststo: CommandContext['eststo'] = null;
  let by: ByPrefix | null = null;
  let placebo: PlaceboPrefix | null = null;
  let quiet = false;
  for (const p of st.prefixes) {
    const spec = commandSpec(p.name);
    if (!spec?.prefix) throw new RunError(`${p.name} cannot be used as a prefix`, p.nameRange);
    switch (spec.name) {
      case 'eststo':
        eststo = { name: prefixName(p) };
        break;
      case 'bysort':
      case 'by':
        by = byPrefix(expandCommandGlobals(p, session), session);
        break;
      case 'placebo':
        placebo = placeboPrefix(expandCommandGlobals(p, session), spec);
        break;
      case 'quietly':
        quiet = true;
        break;
    }
  }
  const spec = commandSpec(st.command.name);
  // globals are substituted in terms and options before the command sees them (not in `global` itself)
  const cmd = spec && spec.name !== 'global' ? expandCommandGlobals(st.command, session) : st.command;
  if (!spec) throw new RunError(`unknown command ${cmd.name}`, cmd.nameRange);
  if (spec.prefix) {
    if (spec.name === 'eststo' && isEststoClear(cmd)) {
      session.models.clear();
      return;
    }
    if (spec.name === 'eststo') {
      // `eststo [NAME]` on its own line stores the last model, as in Stata
      if (!session.lastModel) throw new RunError('eststo: no estimation results to store yet', cmd.nameRange);
      const name = prefixName(cmd) ?? session.autoName();
      session.lastModel.name = name;
      session.models.set(name, session.lastModel);
      return;
    }
    throw new RunError(`${cmd.name} needs a command after the colon`, cmd.nameRange);
  }
  const handler = handlerFor(spec);
  if (!handler) throw new RunError(`${cmd.name} is not supported when running`, cmd.nameRange);
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
  if (placebo) {
    if (canonical !== 'did' && canonical !== 'reghdfe') throw new RunError('placebo ...: works with did (or reghdfe) commands', cmd.nameRange);
    await runPlacebo(ctx);
    return;
  }
  if (by && !['generate', 'replace', 'egen', 'keep', 'drop'].includes(spec.name))
    throw new RunError(`bysort is supported with gen, replace, egen, keep and drop, not ${cmd.name}`, cmd.nameRange);
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

/** placebo reps(N) units(M) seed(S): written as calls in the prefix body or as options. */
function placeboPrefix(p: Command, spec: CommandSpec): PlaceboPrefix {
  const found = new Map<string, { terms: Term[]; range: Range }>();
  const add = (written: string, terms: Term[], range: Range) => {
    const o = resolveOption(spec, written.toLowerCase());
    if (!o) throw new RunError(`placebo: unknown option ${written}()`, range);
    found.set(o.name, { terms, range });
  };
  for (const t of prefixTerms(p)) {
    if (t.kind !== 'call') throw new RunError(`placebo: unexpected ${termText(t)} (write reps(N) units(M) seed(S))`, t.range);
    add(t.name, t.args, t.range);
  }
  for (const o of p.options) add(o.name, o.args ?? [], o.range);
  const num = (name: string): number | null => {
    const f = found.get(name);
    if (!f) return null;
    const v = termNumbers(f.terms, f.range);
    if (v.length !== 1 || !Number.isInteger(v[0])) throw new RunError(`${name}() needs an integer`, f.range);
    return v[0];
  };
  const reps = num('reps') ?? 500;
  if (reps < 1) throw new RunError('reps() must be at least 1', p.range);
  const units = num('units');
  if (units !== null && units < 1) throw new RunError('units() must be at least 1', p.range);
  return { reps, units, seed: num('seed'), command: p };
}
