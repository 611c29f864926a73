// Categorical variables as integer codes: fixed effects, clusters, by-groups and i. dummies all
// work on codes 0..k-1 (-1 missing) so nothing re-hashes values in the estimation loop.
import type { DataTable } from '../data/table';
import type { Factor } from '../engine/types';
import { RunError } from './errors';

export interface Coded {
  codes: Int32Array;
  nlevels: number;
  /** Level labels in code order (numbers as text for numeric columns). */
  labels: string[];
}

/** Codes in ascending order of value (numbers numerically, strings alphabetically). */
export function codeColumn(table: DataTable, name: string): Coded {
  const c = table.get(name);
  if (!c) throw new RunError(`variable ${name} not found`);
  const n = table.nrows;
  const codes = new Int32Array(n);
  if (c.kind === 'numeric') {
    const uniq = Array.from(new Set(Array.from(c.values).filter((v) => !Number.isNaN(v)))).sort((a, b) => a - b);
    const map = new Map<number, number>();
    uniq.forEach((v, k) => map.set(v, k));
    for (let i = 0; i < n; i++) codes[i] = Number.isNaN(c.values[i]) ? -1 : (map.get(c.values[i]) as number);
    return { codes, nlevels: uniq.length, labels: uniq.map((v) => String(v)) };
  }
  const order = c.levels.map((_, k) => k).sort((a, b) => (c.levels[a] < c.levels[b] ? -1 : c.levels[a] > c.levels[b] ? 1 : 0));
  // levels may include unused or empty strings: compact to used, non-empty ones
  const used = new Uint8Array(c.levels.length);
  for (let i = 0; i < n; i++) if (c.codes[i] >= 0 && c.levels[c.codes[i]] !== '') used[c.codes[i]] = 1;
  const compact = new Int32Array(c.levels.length).fill(-1);
  const labels: string[] = [];
  for (const k of order) if (used[k]) {
    compact[k] = labels.length;
    labels.push(c.levels[k]);
  }
  for (let i = 0; i < n; i++) codes[i] = c.codes[i] < 0 ? -1 : compact[c.codes[i]];
  return { codes, nlevels: labels.length, labels };
}

/** Combines several coded variables into one factor (a#b): a level for each observed combination. */
export function combineCodes(parts: Coded[]): Coded {
  if (parts.length === 1) return parts[0];
  const n = parts[0].codes.length;
  const codes = new Int32Array(n);
  const map = new Map<string, number>();
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    let missing = false;
    const key: number[] = [];
    for (const p of parts) {
      const k = p.codes[i];
      if (k < 0) {
        missing = true;
        break;
      }
      key.push(k);
    }
    if (missing) {
      codes[i] = -1;
      continue;
    }
    const s = key.join(',');
    let c = map.get(s);
    if (c === undefined) {
      c = labels.length;
      map.set(s, c);
      labels.push(key.map((k, j) => parts[j].labels[k]).join('#'));
    }
    codes[i] = c;
  }
  return { codes, nlevels: labels.length, labels };
}

export function toFactor(name: string, c: Coded): Factor {
  return { name, codes: c.codes, nlevels: c.nlevels };
}
