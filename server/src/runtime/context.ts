// What a command handler receives: the session, the command as parsed, and what its prefixes set.
import { applyInRange } from './inRange';
import type { Command, Expr, Range, Statement } from '../../../grammar/src/ast';
import type { CommandSpec } from '../../../grammar/src/commands';
import type { NewResult } from '../results/types';
import { evaluateMask, type EvalContext } from './expr';
import { parseExprText } from './reparse';
import type { ByGroups, Session } from './session';
import { RunError } from './errors';
import { expandStringGlobals } from './globals';

export interface Progress {
  line: number; // 1-based line of the statement running
  command: string;
  statement: number; // index of the statement (0-based)
  total: number; // statements in the program
  message?: string; // e.g. "placebo draw 120/500"
  fraction?: number; // 0..1 within the command, when known
}

/** The `bysort a b (c):` prefix: group by `vars`, sorted within by `sortWithin`. */
export interface ByPrefix {
  vars: string[];
  sortWithin: string[];
  range: Range;
}

/** The `placebo reps(N) units(M) seed(S):` prefix. */
export interface PlaceboPrefix {
  reps: number;
  units: number | null; // null: as many as the really treated units
  seed: number | null;
  command: Command;
}

/** The `ritest TREAT _b[TREAT], reps(N) seed(S) [strata(V) cluster(V)]:` prefix. */
export interface RitestPrefix {
  treat: string;
  treatRange: Range;
  reps: number;
  seed: number | null;
  strata: string | null;
  cluster: string | null;
  command: Command;
}

export interface CommandContext {
  session: Session;
  statement: Statement;
  command: Command;
  /** The command's registry entry (options and abbreviations are resolved through it). */
  spec: CommandSpec;
  /** The name results report (`reg` for regress). */
  canonical: string;
  line: number; // 1-based
  eststo: { name: string | null } | null; // eststo prefix given (name null: auto-named)
  by: ByPrefix | null;
  placebo: PlaceboPrefix | null;
  ritest?: RitestPrefix | null;
  quiet: boolean;
  signal?: AbortSignal;
  /** Adds a result (the interpreter fills in seconds and line) and returns it as recorded. */
  emit<R extends NewResult>(result: R): R & { line: number; seconds: number; quiet?: boolean };
  /** A data change (gen, replace, keep, drop ...) leaves no result: the next result's seconds count from here. */
  dataChanged(): void;
  progress(message: string, fraction?: number): void;
}

export function evalContext(ctx: CommandContext, by?: ByGroups): EvalContext {
  const session = ctx.session;
  return {
    table: session.requireData(),
    panel: session.panel,
    by,
    expandGlobal: (name: string, range: Range): Expr => {
      const g = session.globals.get(name);
      if (!g) throw new RunError(`global $${name} is not defined`, range);
      return parseExprText(g.text, range, name);
    },
    expandString: (text: string, range: Range): string => expandStringGlobals(text, session, range),
  };
}

/** ifMask, or undefined when the command has neither `if` nor `in` (every row allowed: no n-byte mask to build and scan). */
export function conditionMask(ctx: CommandContext): Uint8Array | undefined {
  return ctx.command.ifExpr || ctx.command.inRange ? ifMask(ctx) : undefined;
}

/** The `[if EXPR] [in F/L]` sample as a 0/1 mask (all ones without either). */
export function ifMask(ctx: CommandContext, by?: ByGroups): Uint8Array {
  const table = ctx.session.requireData();
  const mask = ctx.command.ifExpr ? evaluateMask(ctx.command.ifExpr, evalContext(ctx, by)) : new Uint8Array(table.nrows).fill(1);
  return applyInRange(mask, ctx.command.inRange);
}
