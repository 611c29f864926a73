// Small builders shared by the format readers: dictionary-encoded string columns and numeric
// columns with the isInteger flag filled in.
import type { NumericColumn, StringColumn } from './table';

/** Assigns dictionary codes to strings in first-seen order; '' is missing (-1). */
export class StringDict {
  readonly levels: string[] = [];
  private readonly map = new Map<string, number>();

  code(s: string | null | undefined): number {
    if (s === null || s === undefined || s === '') return -1;
    let k = this.map.get(s);
    if (k === undefined) {
      k = this.levels.length;
      this.levels.push(s);
      this.map.set(s, k);
    }
    return k;
  }
}

/** True when every non-missing value is an integer (NaN is missing). */
export function allIntegers(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x === x && Math.floor(x) !== x) return false;
  }
  return true;
}

export function numericColumn(name: string, values: Float64Array, extra: Partial<NumericColumn> = {}): NumericColumn {
  return { kind: 'numeric', name, values, ...extra, isInteger: allIntegers(values) };
}

export function stringColumn(name: string, values: ArrayLike<string | null | undefined>, extra: Partial<StringColumn> = {}): StringColumn {
  const dict = new StringDict();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = dict.code(values[i]);
  return { kind: 'string', name, codes, levels: dict.levels, ...extra };
}

/** Missing markers for text cells (CSV, xlsx): empty, `.`, `NA`. */
export function isMissingText(s: string): boolean {
  return s === '' || s === '.' || s === 'NA';
}
