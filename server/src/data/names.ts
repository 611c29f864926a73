// Column names as Stata's `import delimited` makes them: invalid characters become `_`, a leading
// digit gets a `_` prefix, an empty header becomes v<k> (k = column position), at most 32
// characters, duplicates made unique. Stata 14+ names may hold Unicode letters, so those stay.

export interface Renamed {
  from: string;
  to: string;
}

export interface NameFixResult {
  names: string[];
  /** Index-aligned with names: the original header when it was changed, else undefined. */
  renamedFrom: (string | undefined)[];
  renamed: Renamed[];
  warnings: string[];
}

export const MAX_NAME_LENGTH = 32;

// Words a variable may not be called in Stata (and that our language treats specially).
const RESERVED = new Set([
  '_all', '_b', '_coef', '_cons', '_n', '_N', '_pi', '_pred', '_rc', '_se', '_skip',
  'byte', 'double', 'float', 'if', 'in', 'int', 'long', 'strL', 'using', 'with',
]);

const VALID = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/** True when s can be used as a variable name as is. */
export function isValidName(s: string): boolean {
  return VALID.test(s) && [...s].length <= MAX_NAME_LENGTH && !RESERVED.has(s) && !/^str\d+$/.test(s);
}

function truncate(s: string, n: number): string {
  const cps = [...s];
  return cps.length <= n ? s : cps.slice(0, n).join('');
}

/** The Stata name for one header (without the uniqueness step). k is the 1-based column position. */
export function toStataName(header: string, k: number): string {
  const h = header.trim();
  if (h === '') return `v${k}`;
  let s = h.replace(/[^\p{L}\p{N}_]/gu, '_');
  if (/^\p{N}/u.test(s)) s = '_' + s;
  if (RESERVED.has(s) || /^str\d+$/.test(s)) s = '_' + s;
  return truncate(s, MAX_NAME_LENGTH);
}

/** Makes every header a valid, unique name; records what changed. */
export function fixNames(headers: string[]): NameFixResult {
  const candidates = headers.map((h, i) => toStataName(h, i + 1));
  const wanted = new Set(candidates);
  const used = new Set<string>();
  const names: string[] = [];
  const renamedFrom: (string | undefined)[] = [];
  const renamed: Renamed[] = [];
  const warnings: string[] = [];
  for (let i = 0; i < headers.length; i++) {
    let name = candidates[i];
    if (used.has(name)) {
      // Suffix _2, _3, ... avoiding both names taken so far and names later columns want.
      let j = 2;
      let cand: string;
      do {
        const suffix = `_${j++}`;
        cand = truncate(candidates[i], MAX_NAME_LENGTH - suffix.length) + suffix;
      } while (used.has(cand) || wanted.has(cand));
      warnings.push(`column ${i + 1} "${headers[i]}" duplicates an earlier column name; renamed ${cand}`);
      name = cand;
    }
    used.add(name);
    names.push(name);
    if (name !== headers[i]) {
      renamedFrom.push(headers[i]);
      renamed.push({ from: headers[i], to: name });
    } else renamedFrom.push(undefined);
  }
  return { names, renamedFrom, renamed, warnings };
}
