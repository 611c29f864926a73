// Helpers shared by command handlers: by-group setup, body terms, file paths, columns from values.
import { isAbsolute, resolve } from 'node:path';
import type { Range, Term } from '../../../../grammar/src/ast';
import type { Column } from '../../data/table';
import { isValidName } from '../../data/names';
import type { CommandContext } from '../context';
import { expandStringGlobals } from '../globals';
import { RunError } from '../errors';
import type { Value } from '../expr';
import { contiguousGroups, permute, sortOrder } from '../groups';
import type { ByGroups, PanelSetting, Session } from '../session';

/** Applies a `bysort` prefix: sorts the data (as Stata does) and returns the groups. */
export function prepareBy(ctx: CommandContext): ByGroups | undefined {
  if (!ctx.by) return undefined;
  const session = ctx.session;
  const keys = [...ctx.by.vars, ...ctx.by.sortWithin];
  sortSession(session, keys);
  return contiguousGroups(session.requireData(), ctx.by.vars);
}

export function sortSession(session: Session, keys: string[]): void {
  const table = session.requireData();
  for (const k of keys) if (!table.has(k)) throw new RunError(`variable ${k} not found`);
  session.data = permute(table, sortOrder(table, keys));
  session.sortedBy = keys;
}

/** Body terms of a `terms` body ([] otherwise). */
export function bodyTerms(ctx: CommandContext): Term[] {
  return ctx.command.body.kind === 'terms' ? ctx.command.body.terms : [];
}

/** A file path term: a "string" or a bare word, resolved against the spec's folder. */
export function pathFrom(term: Term | undefined, session: Session, what: string, at: Range): { path: string; written: string; range: Range } {
  if (!term) throw new RunError(`${what}: file name missing`, at);
  let written: string;
  if (term.kind === 'str') written = term.value;
  else if (term.kind === 'var' && !term.op) written = term.name;
  else throw new RunError(`${what}: expected a file name in quotes`, term.range);
  written = expandStringGlobals(written, session, term.range);
  const path = isAbsolute(written) ? written : resolve(session.baseDir, written);
  return { path, written, range: term.range };
}

/** A table column from an evaluated value (strings dictionary-encoded). */
export function columnFromValue(name: string, v: Value): Column {
  if (v.kind === 'num') {
    let isInteger = true;
    for (const x of v.v) if (!Number.isNaN(x) && !Number.isInteger(x)) {
      isInteger = false;
      break;
    }
    return { kind: 'numeric', name, values: v.v.slice(), isInteger };
  }
  const levels: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(v.v.length);
  v.v.forEach((s, i) => {
    if (s === '') {
      codes[i] = -1;
      return;
    }
    let k = index.get(s);
    if (k === undefined) {
      k = levels.length;
      index.set(s, k);
      levels.push(s);
    }
    codes[i] = k;
  });
  return { kind: 'string', name, codes, levels };
}

/** Stata's rule for new variable names. */
export function checkNewName(name: string, session: Session, range: Range): void {
  if (!isValidName(name)) throw new RunError(`${name} is not a valid variable name`, range);
  if (name === '_n' || name === '_N' || name === '_cons') throw new RunError(`${name} is a reserved name`, range);
  if (session.requireData().has(name)) throw new RunError(`variable ${name} already defined`, range);
}

/**
 * Without xtset, the panel of a two-way model is read from its fixed effects: of two plain numeric
 * FE variables, the time variable is the one whose values cover the adoption times (`hint`), else
 * the one with fewer distinct values; the other is the unit.
 */
export function panelFromFixedEffects(session: Session, feTerms: Term[], hint?: Float64Array): PanelSetting | null {
  if (session.panel) return session.panel;
  const table = session.requireData();
  const names = feTerms.filter((t): t is Extract<Term, { kind: 'var' }> => t.kind === 'var' && !t.op && !t.wildcard).map((t) => t.name);
  if (feTerms.length !== 2 || names.length !== 2) return null;
  const cols = names.map((n) => table.get(n));
  if (cols.some((c) => c?.kind !== 'numeric')) return null;
  const vals = cols.map((c) => (c as { values: Float64Array }).values);
  const levels = vals.map((v) => new Set(v).size);
  let timeIdx = levels[0] <= levels[1] ? 0 : 1;
  if (hint) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const a of hint) if (!Number.isNaN(a) && a !== 0) {
      lo = Math.min(lo, a);
      hi = Math.max(hi, a);
    }
    const covers = vals.map((v) => {
      let mn = Infinity;
      let mx = -Infinity;
      for (const x of v) if (!Number.isNaN(x)) {
        mn = Math.min(mn, x);
        mx = Math.max(mx, x);
      }
      return Number.isFinite(lo) && lo <= mx && hi >= mn;
    });
    if (covers[0] !== covers[1]) timeIdx = covers[0] ? 0 : 1;
  }
  return { unit: names[1 - timeIdx], time: names[timeIdx], delta: 1 };
}
