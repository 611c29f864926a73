// Time-series operators over an xtset panel: L.x, F.x, D.x look up the row of the same unit at
// time t -/+ k*delta. A gap (that period absent) gives missing, as in Stata.
import type { DataTable } from '../data/table';
import { RunError } from './errors';
import type { PanelSetting } from './session';

/** For each row, the row index of the same unit at time t + shift*delta, or -1. */
export function shiftIndex(table: DataTable, panel: PanelSetting, shift: number): Int32Array {
  const unit = unitKeys(table, panel.unit);
  const time = numericColumn(table, panel.time);
  const where = new Map<number, Map<number, number>>();
  for (let i = 0; i < table.nrows; i++) {
    const u = unit[i];
    const t = time[i];
    if (Number.isNaN(u) || Number.isNaN(t)) continue;
    let m = where.get(u);
    if (!m) where.set(u, (m = new Map()));
    if (m.has(t)) throw new RunError(`repeated time values within panel: ${panel.unit} has two rows at ${panel.time} = ${t}`, undefined, 'data');
    m.set(t, i);
  }
  const out = new Int32Array(table.nrows).fill(-1);
  const step = shift * panel.delta;
  for (let i = 0; i < table.nrows; i++) {
    const m = where.get(unit[i]);
    if (!m) continue;
    const j = m.get(time[i] + step);
    if (j !== undefined) out[i] = j;
  }
  return out;
}

/** L^k (k > 0), F^k (k < 0 as a negative lag) of a numeric vector. */
export function lagValues(table: DataTable, panel: PanelSetting, values: Float64Array, lag: number): Float64Array {
  if (lag === 0) return values;
  const idx = shiftIndex(table, panel, -lag);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = idx[i] < 0 ? NaN : values[idx[i]];
  return out;
}

/** D^k: k-th difference (D2.x = D.(D.x)). */
export function diffValues(table: DataTable, panel: PanelSetting, values: Float64Array, order: number): Float64Array {
  let v = values;
  for (let k = 0; k < order; k++) {
    const l = lagValues(table, panel, v, 1);
    const d = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) d[i] = v[i] - l[i];
    v = d;
  }
  return v;
}

/** Applies a time-series operator (L, F, D) with its lag count. */
export function applyTsOperator(table: DataTable, panel: PanelSetting | null, op: 'L' | 'F' | 'D', lag: number, values: Float64Array, what: string): Float64Array {
  if (!panel) throw new RunError(`${op}.${what} needs the panel structure: run \`xtset UNIT TIME\` first`);
  if (op === 'L') return lagValues(table, panel, values, lag);
  if (op === 'F') return lagValues(table, panel, values, -lag);
  return diffValues(table, panel, values, lag);
}

function unitKeys(table: DataTable, name: string): Float64Array {
  const c = table.get(name);
  if (!c) throw new RunError(`xtset variable ${name} not found`, undefined, 'data');
  if (c.kind === 'numeric') return c.values;
  const out = new Float64Array(table.nrows);
  for (let i = 0; i < out.length; i++) out[i] = c.codes[i] < 0 ? NaN : c.codes[i];
  return out;
}

function numericColumn(table: DataTable, name: string): Float64Array {
  const c = table.get(name);
  if (!c) throw new RunError(`xtset variable ${name} not found`, undefined, 'data');
  if (c.kind !== 'numeric') throw new RunError(`time variable ${name} must be numeric`, undefined, 'data');
  return c.values;
}
