// egen NEW = FUNC(ARGS) [if] [, by(VARLIST)]: group statistics (mean median sd min max total
// count rank group) and row functions (rowmean rowtotal rowmin rowmax rowsd hhi).
import type { CommandContext } from '../context';
import { evalContext, ifMask } from '../context';
import { evaluate } from '../expr';
import { parseExprText } from '../reparse';
import { RunError } from '../errors';
import { codeColumn, combineCodes } from '../factors';
import { groupIds } from '../groups';
import { Options, termText } from '../options';
import { expandVarlist, plainNames } from '../varlist';
import { numericValues } from '../design';
import { checkNewName, columnFromValue, prepareBy } from './common';

type GroupFn = 'mean' | 'median' | 'sd' | 'min' | 'max' | 'total' | 'sum' | 'count' | 'rank';
type RowFn = 'rowmean' | 'rowtotal' | 'rowmin' | 'rowmax' | 'rowsd' | 'rownonmiss' | 'rowmiss' | 'hhi';
const GROUP_FNS = new Set<string>(['mean', 'median', 'sd', 'min', 'max', 'total', 'sum', 'count', 'rank']);
const ROW_FNS = new Set<string>(['rowmean', 'rowtotal', 'rowmin', 'rowmax', 'rowsd', 'rownonmiss', 'rowmiss', 'hhi']);

export function cmdEgen(ctx: CommandContext): void {
  const b = ctx.command.body;
  if (b.kind !== 'egen') throw new RunError('egen NEW = FUNCTION(ARGUMENTS)', ctx.command.range);
  const opts = new Options(ctx.command);
  const session = ctx.session;
  const fn = b.func;
  if (!GROUP_FNS.has(fn) && !ROW_FNS.has(fn) && fn !== 'group') throw new RunError(`unknown egen function ${b.func}()`, b.funcRange);
  if (opts.has('by') && ctx.by) throw new RunError('give by() or a bysort prefix, not both', opts.range('by'));
  const byPrefix = prepareBy(ctx);
  const table = session.requireData();
  checkNewName(b.target.name, session, b.target.range);
  const n = table.nrows;
  const mask = ifMask(ctx, byPrefix);
  // group functions take an expression (`rank(-pop)`, `mean(x / 2)`); row functions a varlist
  const simple = b.args.every((t) => t.kind === 'var' || t.kind === 'varrange' || t.kind === 'global');
  if (!b.args.length) throw new RunError(`${fn}() needs a variable`, b.argsRange);
  if (!simple && !GROUP_FNS.has(fn)) throw new RunError(`${fn}() takes a variable list`, b.argsRange);
  const items = simple ? expandVarlist(b.args, session, { allowFactor: false }) : [];

  let group: Int32Array;
  if (opts.has('by')) {
    const byNames = plainNames(expandVarlist(opts.terms('by'), session), 'by()');
    group = missingAsGroup(combineCodes(byNames.map((v) => codeColumn(table, v))).codes);
  } else if (byPrefix) group = groupIds(byPrefix);
  else group = new Int32Array(n);

  let out: Float64Array;
  if (fn === 'group') {
    const names = plainNames(items, 'group()');
    const c = combineSorted(table, names);
    out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = c[i] < 0 || !mask[i] ? NaN : c[i] + 1;
  } else if (ROW_FNS.has(fn)) {
    const cols = items.map((it) => {
      if (it.kind !== 'var') throw new RunError('interactions are not allowed here', it.range);
      return numericValues(session, it);
    });
    out = rowFunction(fn as RowFn, cols, n);
    for (let i = 0; i < n; i++) if (!mask[i]) out[i] = NaN;
  } else {
    let x: Float64Array;
    if (simple) {
      if (items.length !== 1 || items[0].kind !== 'var') throw new RunError(`${fn}() takes one variable or expression`, b.argsRange);
      x = numericValues(session, items[0]);
    } else {
      const expr = parseExprText(b.args.map(termText).join(' '), b.argsRange, `${fn}()`);
      const v = evaluate(expr, evalContext(ctx, byPrefix));
      if (v.kind !== 'num') throw new RunError(`${fn}() needs a numeric expression`, b.argsRange);
      x = v.v;
    }
    out = groupFunction(fn as GroupFn, x, group, mask);
  }
  table.add(columnFromValue(b.target.name, { kind: 'num', v: out }));
  ctx.dataChanged();
}

/** Rows with a missing by-variable form their own group (Stata keeps them as a group too). */
function missingAsGroup(codes: Int32Array): Int32Array {
  let max = -1;
  for (const c of codes) if (c > max) max = c;
  return codes.map((c) => (c < 0 ? max + 1 : c));
}

/** egen group(): ids in the sorted order of the variables' values, missing when any is missing. */
function combineSorted(table: import('../../data/table').DataTable, names: string[]): Int32Array {
  const parts = names.map((v) => codeColumn(table, v));
  const n = table.nrows;
  const keys: number[][] = [];
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    if (parts.some((p) => p.codes[i] < 0)) continue;
    rows.push(i);
    keys.push(parts.map((p) => p.codes[i]));
  }
  const order = rows.map((_, j) => j).sort((a, b) => {
    for (let k = 0; k < parts.length; k++) if (keys[a][k] !== keys[b][k]) return keys[a][k] - keys[b][k];
    return 0;
  });
  const out = new Int32Array(n).fill(-1);
  let g = -1;
  let prev: number[] | null = null;
  for (const j of order) {
    if (!prev || prev.some((v, k) => v !== keys[j][k])) g++;
    out[rows[j]] = g;
    prev = keys[j];
  }
  return out;
}

export function rowFunction(fn: RowFn, cols: Float64Array[], n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const vals: number[] = [];
    for (const c of cols) if (!Number.isNaN(c[i])) vals.push(c[i]);
    const sum = vals.reduce((a, b) => a + b, 0);
    switch (fn) {
      case 'rowtotal':
        out[i] = sum; // Stata: 0 when all are missing
        break;
      case 'rowmean':
        out[i] = vals.length ? sum / vals.length : NaN;
        break;
      case 'rowmin':
        out[i] = vals.length ? vals.reduce((a, b) => (b < a ? b : a)) : NaN;
        break;
      case 'rowmax':
        out[i] = vals.length ? vals.reduce((a, b) => (b > a ? b : a)) : NaN;
        break;
      case 'rowsd': {
        if (vals.length < 2) {
          out[i] = NaN;
          break;
        }
        const m = sum / vals.length;
        out[i] = Math.sqrt(vals.reduce((a, v) => a + (v - m) * (v - m), 0) / (vals.length - 1));
        break;
      }
      case 'rownonmiss':
        out[i] = vals.length;
        break;
      case 'rowmiss':
        out[i] = cols.length - vals.length;
        break;
      case 'hhi': {
        // Herfindahl: sum of squared shares x_j / sum(x); undefined when the row sums to zero
        if (!vals.length || sum === 0) {
          out[i] = NaN;
          break;
        }
        out[i] = vals.reduce((a, v) => a + (v / sum) * (v / sum), 0);
        break;
      }
    }
  }
  return out;
}

export function groupFunction(fn: GroupFn, x: Float64Array, group: Int32Array, mask: Uint8Array): Float64Array {
  const n = x.length;
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    let m = members.get(group[i]);
    if (!m) members.set(group[i], (m = []));
    m.push(i);
  }
  const out = new Float64Array(n).fill(NaN);
  for (const rows of members.values()) {
    const obs = rows.filter((i) => !Number.isNaN(x[i]));
    const vals = obs.map((i) => x[i]);
    if (fn === 'rank') {
      const order = obs.slice().sort((a, b) => x[a] - x[b]);
      for (let s = 0; s < order.length; ) {
        let e = s;
        while (e + 1 < order.length && x[order[e + 1]] === x[order[s]]) e++;
        const avg = (s + 1 + e + 1) / 2; // ties share their average rank
        for (let k = s; k <= e; k++) out[order[k]] = avg;
        s = e + 1;
      }
      continue;
    }
    const v = groupStat(fn, vals);
    for (const i of rows) out[i] = v;
  }
  return out;
}

function groupStat(fn: GroupFn, vals: number[]): number {
  const k = vals.length;
  const sum = vals.reduce((a, b) => a + b, 0);
  switch (fn) {
    case 'total':
    case 'sum':
      return sum;
    case 'count':
      return k;
    case 'mean':
      return k ? sum / k : NaN;
    case 'min':
      return k ? vals.reduce((a, b) => (b < a ? b : a)) : NaN;
    case 'max':
      return k ? vals.reduce((a, b) => (b > a ? b : a)) : NaN;
    case 'sd': {
      if (k < 2) return NaN;
      const m = sum / k;
      return Math.sqrt(vals.reduce((a, v) => a + (v - m) * (v - m), 0) / (k - 1));
    }
    case 'median': {
      if (!k) return NaN;
      const s = vals.slice().sort((a, b) => a - b);
      return k % 2 ? s[(k - 1) / 2] : (s[k / 2 - 1] + s[k / 2]) / 2;
    }
    default:
      return NaN;
  }
}
