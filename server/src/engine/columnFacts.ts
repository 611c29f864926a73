// Facts about a numeric column's data array that whoever read it whole learned for free (the loader's
// profile: missing count, range, whole numbers). The estimation's first model on freshly loaded data
// then skips its own scans (missing values in y and x, the range of an id before coding it). Data
// arrays are never written after they are made (data steps build new arrays), so a record stays true;
// a WeakMap lets it die with its array.

export interface ValueFacts {
  /** No NaN and no infinity. */
  finite: boolean;
  /** Every non-missing value a whole number. */
  integer: boolean;
  /** Of the non-missing values (meaningless when there is none). */
  min: number;
  max: number;
  missing: number;
  /** Of the non-missing values: their mean and their sum of squares about it (NaN when unknown). */
  mean: number;
  centredSS: number;
}

const facts = new WeakMap<Float64Array, ValueFacts>();

export function recordValueFacts(values: Float64Array, f: Omit<ValueFacts, 'finite'>): void {
  const finite = f.missing === 0 && (values.length === 0 || (Number.isFinite(f.min) && Number.isFinite(f.max)));
  facts.set(values, { ...f, finite });
}

export function valueFacts(values: Float64Array): ValueFacts | undefined {
  return facts.get(values);
}
