// Turns resolved variable lists into the engine's inputs: numeric regressor columns (with lags,
// i. dummies and interactions) and integer-coded factors for fixed effects and clusters.
import type { DataTable } from '../data/table';
import type { Factor, NamedColumn } from '../engine/types';
import { RunError } from './errors';
import { codeColumn, combineCodes, toFactor, type Coded } from './factors';
import { applyTsOperator } from './panel';
import type { Session } from './session';
import { itemName, type ListItem, type VarItem } from './varlist';

/** Values of a numeric variable with its time-series operator applied. */
export function numericValues(session: Session, it: VarItem): Float64Array {
  const table = session.requireData();
  const c = table.get(it.name);
  if (!c) throw new RunError(`variable ${it.name} not found`, it.range);
  if (c.kind !== 'numeric') throw new RunError(`${it.name} is a string variable; a numeric one is needed here`, it.range);
  if (!it.ts) return c.values;
  try {
    return applyTsOperator(table, session.panel, it.ts.op, it.ts.lag, c.values, it.name);
  } catch (e) {
    if (e instanceof RunError) e.range = e.range ?? it.range;
    throw e;
  }
}

/** Regressor columns in the order written. */
export function regressorColumns(session: Session, items: ListItem[]): NamedColumn[] {
  const table = session.requireData();
  const out: NamedColumn[] = [];
  for (const it of items) {
    if (it.kind === 'var' && !it.factor) out.push({ name: itemName(it), values: numericValues(session, it) });
    else if (it.kind === 'var') out.push(...dummies(table, it, true));
    else out.push(...interaction(session, table, it.parts, it.full));
  }
  const seen = new Set<string>();
  for (const c of out) {
    if (seen.has(c.name)) throw new RunError(`${c.name} appears twice in the model`, items[0]?.range);
    seen.add(c.name);
  }
  return out;
}

/**
 * i.x: one dummy per level (Stata names them `2004.year`), the base level left out: the lowest,
 * or the one `ib2015.` / `ib(first).` / `ib(last).` names.
 */
function dummies(table: DataTable, it: VarItem, dropBase: boolean): NamedColumn[] {
  const c = codeColumn(table, it.name);
  const base = dropBase ? baseLevel(c, it) : -1;
  const out: NamedColumn[] = [];
  for (let k = 0; k < c.nlevels; k++) if (k !== base) out.push({ name: `${c.labels[k]}.${it.name}`, values: indicator(c, k) });
  return out;
}

/** Index of the base level of a factor, as Stata picks it (an unknown level is an error, as in Stata). */
function baseLevel(c: Coded, it: VarItem): number {
  const b = it.base;
  if (b === undefined || b === 'first') return 0;
  if (b === 'last') return c.nlevels - 1;
  const k = c.labels.indexOf(String(b));
  if (k < 0) throw new RunError(`ib${b}.${it.name}: ${it.name} has no level ${b}`, it.range);
  return k;
}

function indicator(c: Coded, k: number): Float64Array {
  const v = new Float64Array(c.codes.length);
  for (let i = 0; i < v.length; i++) v[i] = c.codes[i] < 0 ? NaN : c.codes[i] === k ? 1 : 0;
  return v;
}

/** a#b (a factor unless c.-prefixed): products of the parts' dummies and continuous values. */
function interaction(session: Session, table: DataTable, parts: VarItem[], full: boolean): NamedColumn[] {
  // inside `#` a part is a factor unless c.-prefixed, as in Stata
  const isFactor = (p: VarItem) => !p.continuous;
  const cols: NamedColumn[][] = parts.map((p) => {
    if (isFactor(p)) {
      // only the interaction itself: all levels when a continuous part carries it, base dropped otherwise
      const others = parts.filter((q) => q !== p);
      const dropBase = full || others.every(isFactor);
      return dummies(table, p, dropBase);
    }
    return [{ name: `c.${itemName(p)}`, values: numericValues(session, p) }];
  });
  let acc: NamedColumn[] = [{ name: '', values: new Float64Array(table.nrows).fill(1) }];
  for (const group of cols) {
    const next: NamedColumn[] = [];
    for (const a of acc)
      for (const b of group) {
        const v = new Float64Array(table.nrows);
        for (let i = 0; i < v.length; i++) v[i] = a.values[i] * b.values[i];
        next.push({ name: a.name ? `${a.name}#${b.name}` : b.name, values: v });
      }
    acc = next;
  }
  if (!full) return acc;
  // a##b: main effects first, then the interaction
  const mains = parts.flatMap((p) => (isFactor(p) ? dummies(table, p, true) : [{ name: itemName(p), values: numericValues(session, p) }]));
  return [...mains, ...acc];
}

/** A fixed effect or cluster variable: one variable or an interaction a#b combined into one factor. */
export function factorOf(session: Session, it: ListItem): Factor {
  const table = session.requireData();
  const parts = it.kind === 'var' ? [it] : it.parts;
  for (const p of parts) {
    if (p.ts) throw new RunError(`${itemName(p)}: time-series operators are not allowed in a fixed effect or cluster`, p.range);
    if (!table.has(p.name)) throw new RunError(`variable ${p.name} not found`, p.range);
  }
  const coded = combineCodes(parts.map((p) => codeColumn(table, p.name)));
  return toFactor(parts.map((p) => p.name).join('#'), coded);
}
