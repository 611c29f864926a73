// What to complete at the cursor, decided from the grammar's own lexer: the logical statement up to
// the cursor (joined over `///` continuations, possibly incomplete) is lexed, and the tokens tell
// whether we are at a command name, in a varlist, among options, inside `absorb(` or `vce(`, after `$`,
// inside `use "`, after `esttab` or after `egen x =`. Chevrotain 11 has no content assist, and a
// token-level decision works on lines the parser cannot parse yet.
import type { IToken } from 'chevrotain';
import { getLexer } from '../../../grammar/src/scan';
import { canonicalCommand, commandInfo, optionInfo } from '../analysis/commands';

export interface Replace {
  start: number; // document offsets of the text the item replaces (the partial word)
  end: number;
}

export type CompletionContext =
  | { kind: 'command'; prefix: string; replace: Replace }
  | { kind: 'variable'; command: string; prefix: string; replace: Replace; role: 'body' | 'fe' | 'cluster' | 'expr' | 'other' }
  | { kind: 'option'; command: string; prefix: string; replace: Replace; used: string[] }
  | { kind: 'vce'; command: string; prefix: string; replace: Replace }
  | { kind: 'global'; prefix: string; replace: Replace }
  | { kind: 'file'; prefix: string; replace: Replace }
  | { kind: 'model'; prefix: string; replace: Replace }
  | { kind: 'egenFunction'; prefix: string; replace: Replace }
  | { kind: 'none' };

const NONE: CompletionContext = { kind: 'none' };

/** Offset where the logical statement holding `offset` starts (earlier lines joined by `///`). */
export function statementStart(text: string, offset: number): number {
  let start = text.lastIndexOf('\n', offset - 1) + 1;
  while (start > 0) {
    const prevStart = text.lastIndexOf('\n', start - 2) + 1;
    const prev = text.slice(prevStart, start - 1).replace(/\r$/, '');
    if (!/\/\/\/[^\n]*$/.test(prev) || /^\s*\/\/(?!\/)/.test(prev)) break;
    start = prevStart;
  }
  return start;
}

const tname = (t: IToken | undefined): string => t?.tokenType.name ?? '';

export function completionContext(text: string, offset: number): CompletionContext {
  const base = statementStart(text, offset);
  const seg = text.slice(base, offset);
  const at = (s: number, e: number): Replace => ({ start: base + s, end: base + e });

  // `$` and `${` are not tokens on their own: look at the raw text.
  const g = /\$\{?([\p{L}_][\p{L}\p{N}_]*)?$/u.exec(seg);
  if (g) return { kind: 'global', prefix: g[1] ?? '', replace: at(g.index, seg.length) };

  const lexed = getLexer().tokenize(seg);
  const comments = (lexed.groups?.comments ?? []) as IToken[];
  for (const c of comments) {
    const end = c.startOffset + c.image.length;
    const isCont = tname(c) === 'Continuation';
    if (end === seg.length && !(isCont && /[\r\n]$/.test(c.image))) return NONE; // cursor inside a comment
  }
  let tokens = lexed.tokens.filter((t) => tname(t) !== 'Newline');
  const last = tokens[tokens.length - 1];
  const lastEnd = last ? last.startOffset + last.image.length : -1;

  // Inside a string that is still open: file names after `use` / `using`.
  if (last && tname(last) === 'UnterminatedString' && lastEnd === seg.length) {
    const before = tokens.slice(0, -1);
    const segTokens = afterLastColon(before);
    const cmd = segTokens[0] && tname(segTokens[0]) === 'Identifier' ? canonicalCommand(segTokens[0].image) : undefined;
    const prev = before[before.length - 1];
    const info = cmd ? commandInfo(cmd) : undefined;
    if (tname(prev) === 'Using' || info?.body === 'path' || cmd === 'export') {
      const q = last.image.indexOf('"');
      return { kind: 'file', prefix: last.image.slice(q + 1), replace: at(last.startOffset + q + 1, seg.length) };
    }
    return NONE;
  }
  if (last && lastEnd === seg.length && /String/.test(tname(last))) return NONE; // right after a closed string

  // The partial word under the cursor.
  let prefix = '';
  let replace = at(seg.length, seg.length);
  if (last && lastEnd === seg.length && (tname(last) === 'Identifier' || tname(last) === 'If' || tname(last) === 'In' || tname(last) === 'Using')) {
    prefix = last.image;
    replace = at(last.startOffset, lastEnd);
    tokens = tokens.slice(0, -1);
  }

  const segTokens = afterLastColon(tokens);
  if (!segTokens.length) return { kind: 'command', prefix, replace };
  const head = segTokens[0];
  if (tname(head) !== 'Identifier') return NONE;
  const cmdName = canonicalCommand(head.image) ?? head.image;
  const info = commandInfo(head.image);
  const rest = segTokens.slice(1);

  // `L.` just typed (the lexer reads `L` `.` until a letter follows): variables.
  const tail = rest[rest.length - 1];
  if (tname(tail) === 'Dot' && /^[LFDlfdic][0-9]*$/.test(rest[rest.length - 2]?.image ?? '') && !prefix)
    return { kind: 'variable', command: cmdName, prefix, replace, role: 'body' };

  // Where are we: options zone (after the top-level comma), inside which parenthesis?
  let depth = 0;
  let comma = -1;
  const open: number[] = [];
  rest.forEach((t, i) => {
    const n = tname(t);
    if (n === 'LParen') (open.push(i), depth++);
    else if (n === 'RParen') (open.pop(), (depth = Math.max(0, depth - 1)));
    else if (n === 'Comma' && depth === 0 && comma < 0) comma = i;
  });
  const usedOptions = (): string[] => {
    const used: string[] = [];
    if (!info) return used;
    let d = 0;
    for (let i = comma + 1; i < rest.length; i++) {
      const n = tname(rest[i]);
      if (n === 'LParen') d++;
      else if (n === 'RParen') d--;
      else if (d === 0 && n === 'Identifier') used.push(optionInfo(info, rest[i].image)?.name ?? rest[i].image);
    }
    return used;
  };

  if (open.length) {
    const p = open[open.length - 1];
    const nameTok = rest[p - 1];
    const isCall = nameTok && tname(nameTok) === 'Identifier' && nameTok.startOffset + nameTok.image.length === rest[p].startOffset;
    const inside = rest.slice(p + 1);
    const optionZone = (comma >= 0 && p > comma) || info?.body === 'none';
    if (isCall && optionZone && info) {
      const spec = optionInfo(info, nameTok.image);
      if (!spec) return { kind: 'variable', command: cmdName, prefix, replace, role: 'other' };
      if (spec.args === 'vce') {
        if (!inside.length) return { kind: 'vce', command: cmdName, prefix, replace };
        return /^cl/i.test(inside[0].image) ? { kind: 'variable', command: cmdName, prefix, replace, role: 'cluster' } : NONE;
      }
      if (spec.args === 'varlist')
        return { kind: 'variable', command: cmdName, prefix, replace, role: /^(absorb|fe)$/.test(spec.name) ? 'fe' : /^cluster$/.test(spec.name) ? 'cluster' : 'other' };
      return NONE; // numbers, strings, a new name
    }
    if (isCall && info?.body === 'egen') return { kind: 'variable', command: cmdName, prefix, replace, role: 'other' };
    if (isCall && !optionZone && /^(if)$/i.test(nameTok.image)) return NONE;
    return { kind: 'variable', command: cmdName, prefix, replace, role: 'expr' };
  }
  if (comma >= 0 || (info?.body === 'none' && info.options.length)) {
    if (!info) return NONE;
    return { kind: 'option', command: cmdName, prefix, replace, used: comma >= 0 ? usedOptions() : usedPrefixOptions(rest, info) };
  }
  if (!info) return NONE;
  const hasIf = rest.some((t) => tname(t) === 'If');
  if (hasIf) return { kind: 'variable', command: cmdName, prefix, replace, role: 'expr' };
  const eq = rest.findIndex((t) => tname(t) === 'Equals');
  switch (info.body) {
    case 'models':
      return rest.some((t) => tname(t) === 'Using') ? NONE : { kind: 'model', prefix, replace };
    case 'path':
      return NONE;
    case 'egen':
      if (eq < 0) return NONE;
      return rest.length === eq + 1 ? { kind: 'egenFunction', prefix, replace } : NONE;
    case 'gen':
      if (eq < 0) return info.name === 'replace' ? { kind: 'variable', command: cmdName, prefix, replace, role: 'other' } : NONE;
      return { kind: 'variable', command: cmdName, prefix, replace, role: 'expr' };
    case 'define':
      return eq < 0 ? NONE : { kind: 'variable', command: cmdName, prefix, replace, role: 'body' };
    case 'global':
      return rest.length >= 1 ? { kind: 'variable', command: cmdName, prefix, replace, role: 'other' } : NONE;
    case 'name':
    case 'none':
    case 'free':
      return NONE;
    case 'label':
      return rest.length === 1 && /^var/.test(rest[0].image) ? { kind: 'variable', command: cmdName, prefix, replace, role: 'other' } : NONE;
    case 'rename':
      return rest.length === 0 ? { kind: 'variable', command: cmdName, prefix, replace, role: 'other' } : NONE;
    default:
      return { kind: 'variable', command: cmdName, prefix, replace, role: 'body' };
  }
}

function usedPrefixOptions(rest: IToken[], info: import('../analysis/commands').CommandInfo): string[] {
  return rest.filter((t) => tname(t) === 'Identifier').map((t) => optionInfo(info, t.image)?.name ?? t.image);
}

/** Tokens after the last top-level `:` (prefix commands like `eststo m1:` come before it). */
function afterLastColon(tokens: IToken[]): IToken[] {
  let depth = 0;
  let cut = 0;
  tokens.forEach((t, i) => {
    const n = tname(t);
    if (n === 'LParen') depth++;
    else if (n === 'RParen') depth = Math.max(0, depth - 1);
    else if (n === 'Colon' && depth === 0) cut = i + 1;
  });
  return tokens.slice(cut);
}
