// Variable lists as written -> the variables they denote: `$globals` expanded, wildcards (`x*`)
// and ranges (`x1-x5`, by column order) resolved, operators (L. F. D. i. c.) and interactions kept.
import type { FactorBase, Range, Term, TsOperator, VarRef } from '../../../grammar/src/ast';
import { RunError } from './errors';
import { termText } from './options';
import { parseTermsText } from './reparse';
import type { Session } from './session';

export interface VarItem {
  kind: 'var';
  name: string;
  ts?: { op: 'L' | 'F' | 'D'; lag: number };
  factor: boolean; // i.x
  /** ib2015.x / ib(first).x / ib(last).x: the level left out (default: the lowest). */
  base?: FactorBase;
  continuous: boolean; // c.x
  range: Range;
}
export interface InteractItem {
  kind: 'interact';
  parts: VarItem[];
  full: boolean;
  range: Range;
}
export type ListItem = VarItem | InteractItem;

export interface ExpandOptions {
  /** Names that need not exist yet (gen targets, new variables). */
  allowNew?: boolean;
  /** Accept i./c./# terms (regressors, fixed effects). */
  allowFactor?: boolean;
}

export function expandVarlist(terms: Term[], session: Session, opts: ExpandOptions = {}, depth = 0, at?: Range): ListItem[] {
  const table = variableSet(session);
  const out: ListItem[] = [];
  for (const t of terms) {
    const range = at ?? t.range;
    switch (t.kind) {
      case 'var':
        out.push(...expandRef(t, table, opts, range));
        break;
      case 'varrange': {
        if (!table) throw new RunError('no data in memory', range);
        const names = table.names;
        const a = names.indexOf(t.from.name);
        const b = names.indexOf(t.to.name);
        if (a < 0) throw new RunError(`variable ${t.from.name} not found`, at ?? t.from.nameRange);
        if (b < 0) throw new RunError(`variable ${t.to.name} not found`, at ?? t.to.nameRange);
        if (b < a) throw new RunError(`${t.from.name}-${t.to.name}: ${t.to.name} comes before ${t.from.name} in the dataset`, range);
        for (const name of names.slice(a, b + 1)) out.push({ kind: 'var', name, factor: false, continuous: false, range });
        break;
      }
      case 'interact': {
        if (!opts.allowFactor) throw new RunError(`interactions (${termText(t)}) are not allowed here`, range);
        const parts: VarItem[] = [];
        for (const p of t.parts) {
          const items = expandRef(p, table, opts, at ?? p.range);
          if (items.length !== 1) throw new RunError(`wildcards are not allowed inside an interaction`, at ?? p.range);
          parts.push(items[0]);
        }
        out.push({ kind: 'interact', parts, full: t.full, range });
        break;
      }
      case 'global': {
        if (depth > 20) throw new RunError(`$${t.name} expands into itself`, range);
        const g = session.globals.get(t.name);
        if (!g) throw new RunError(`global $${t.name} is not defined`, range);
        if (g.text.trim() === '') break;
        const inner = g.terms ?? parseTermsText(g.text, range, t.name);
        out.push(...expandVarlist(inner, session, opts, depth + 1, range));
        break;
      }
      case 'op':
        if (t.op === '*') {
          // `summarize *`: every variable
          if (!table) throw new RunError('no data in memory', range);
          for (const name of table.names) out.push({ kind: 'var', name, factor: false, continuous: false, range });
          break;
        }
        throw new RunError(`unexpected ${termText(t)} in a variable list`, range);
      default:
        throw new RunError(`unexpected ${termText(t)} in a variable list`, range);
    }
  }
  return out;
}

/** The dataset's variable names (lazy or in memory), for expanding wildcards and ranges. */
interface VariableSet {
  names: string[];
  has(name: string): boolean;
}

function variableSet(session: Session): VariableSet | null {
  const names = session.variableNames();
  if (!names) return null;
  const set = new Set(names);
  return { names, has: (n) => set.has(n) };
}

function expandRef(t: VarRef, table: VariableSet | null, opts: ExpandOptions, range: Range): VarItem[] {
  const op = t.op?.op as TsOperator | undefined;
  const base = {
    ts: op === 'L' || op === 'F' || op === 'D' ? { op, lag: t.op!.lag } : undefined,
    factor: op === 'i',
    continuous: op === 'c',
    ...(t.op?.base !== undefined ? { base: t.op.base } : {}),
  };
  if ((base.factor || base.continuous) && !opts.allowFactor) throw new RunError(`factor-variable operator ${op}. is not allowed here`, range);
  if (t.wildcard) {
    if (!table) throw new RunError('no data in memory', range);
    const re = new RegExp('^' + t.name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
    const names = table.names.filter((n) => re.test(n));
    if (!names.length) throw new RunError(`no variables match ${t.name}`, range);
    return names.map((name) => ({ kind: 'var', name, ...base, range }));
  }
  if (!opts.allowNew) {
    if (!table) throw new RunError('no data in memory: run `use "FILE"` first', range);
    if (!table.has(t.name)) throw new RunError(`variable ${t.name} not found`, range === t.range ? t.nameRange : range);
  }
  return [{ kind: 'var', name: t.name, ...base, range }];
}

/** Plain variable names (no operators, no interactions). */
export function plainNames(items: ListItem[], what: string): string[] {
  return items.map((it) => {
    if (it.kind !== 'var' || it.ts || it.factor) throw new RunError(`${what}: only plain variable names are allowed here`, it.range);
    return it.name;
  });
}

/** Display name of an item as Stata prints it: `L.x`, `L2.x`, `x`. */
export function itemName(it: VarItem): string {
  return (it.ts ? `${it.ts.op}${it.ts.lag > 1 ? it.ts.lag : ''}.` : '') + it.name;
}
