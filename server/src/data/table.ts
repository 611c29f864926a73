// The in-memory dataset. Numeric columns are Float64Array with NaN as missing (Stata's `.`);
// string columns are dictionary-encoded (codes into `levels`, -1 missing) so that fixed effects,
// clusters and group statistics work on integer codes without re-hashing strings.

export interface NumericColumn {
  kind: 'numeric';
  name: string;
  values: Float64Array;
  label?: string; // variable label (Stata `label var`, .dta variable labels)
  valueLabels?: Map<number, string>; // .dta value labels
  renamedFrom?: string; // original header when it was not a valid name (`first.treat`)
  isInteger?: boolean; // every non-missing value is an integer (hover, type display)
}

export interface StringColumn {
  kind: 'string';
  name: string;
  codes: Int32Array; // index into levels, -1 = missing ("")
  levels: string[];
  label?: string;
  renamedFrom?: string;
}

export type Column = NumericColumn | StringColumn;

export class DataTable {
  readonly columns: Column[] = [];
  private readonly index = new Map<string, number>();

  constructor(
    public nrows: number,
    columns: Column[] = [],
  ) {
    for (const c of columns) this.add(c);
  }

  get names(): string[] {
    return this.columns.map((c) => c.name);
  }

  has(name: string): boolean {
    return this.index.has(name);
  }

  get(name: string): Column | undefined {
    const i = this.index.get(name);
    return i === undefined ? undefined : this.columns[i];
  }

  /** Adds a column, or replaces the one with the same name in place. */
  add(col: Column): void {
    const len = col.kind === 'numeric' ? col.values.length : col.codes.length;
    if (len !== this.nrows) throw new Error(`column ${col.name} has ${len} rows, table has ${this.nrows}`);
    const i = this.index.get(col.name);
    if (i === undefined) {
      this.index.set(col.name, this.columns.length);
      this.columns.push(col);
    } else this.columns[i] = col;
  }

  drop(name: string): void {
    const i = this.index.get(name);
    if (i === undefined) return;
    this.columns.splice(i, 1);
    this.index.clear();
    this.columns.forEach((c, j) => this.index.set(c.name, j));
  }

  /** A new table with the rows where keep[i] is true (columns copied, labels kept). */
  filterRows(keep: Uint8Array | boolean[]): DataTable {
    let n = 0;
    for (let i = 0; i < this.nrows; i++) if (keep[i]) n++;
    const out = new DataTable(n);
    for (const c of this.columns) {
      if (c.kind === 'numeric') {
        const v = new Float64Array(n);
        for (let i = 0, j = 0; i < this.nrows; i++) if (keep[i]) v[j++] = c.values[i];
        out.add({ ...c, values: v });
      } else {
        const v = new Int32Array(n);
        for (let i = 0, j = 0; i < this.nrows; i++) if (keep[i]) v[j++] = c.codes[i];
        out.add({ ...c, codes: v });
      }
    }
    return out;
  }

  /** A shallow copy: same column arrays, own column list (gen/replace then swap arrays, never mutate shared ones). */
  clone(): DataTable {
    return new DataTable(this.nrows, this.columns.map((c) => ({ ...c })));
  }
}

/** String value of row i of a string column ('' when missing). */
export function stringAt(c: StringColumn, i: number): string {
  const k = c.codes[i];
  return k < 0 ? '' : c.levels[k];
}
