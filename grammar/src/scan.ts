// The production lexer: a hand-written scanner over char codes that yields exactly the tokens the
// Chevrotain lexer in lexer.ts defines (same token types, same images, same comments group, same
// error runs), about 5x faster and with far less garbage: the language server re-lexes on every
// keystroke. lexer.ts stays the readable definition; test/grammar/scan.test.ts checks that both
// agree on random text.
//
// Names may hold Unicode letters, as Stata 14+ and the data layer allow (`城市`, `收入`):
// [\p{L}_][\p{L}\p{N}_]*, with an ASCII fast path.
import type { ILexingError, ILexingResult, IToken, TokenType } from 'chevrotain';
import * as T from './lexer';

/** Non-ASCII name characters: tested only when a code unit >= 128 shows up. */
const NAME_START_U = /[\p{L}_]/uy;
const NAME_PART_U = /[\p{L}\p{N}_]+/uy;
const NAME_PART_BEFORE_U = /[\p{L}\p{N}_]$/u;

function isAsciiStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isAsciiPart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isBreak(c: number): boolean {
  return c === 10 || c === 13;
}

/** Does a name start at `i`? */
function nameStartsAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return isAsciiStart(c);
  NAME_START_U.lastIndex = i;
  return NAME_START_U.test(text);
}

/** End of the name characters from `i` on (`i` itself if none). */
function nameEnd(text: string, i: number): number {
  const n = text.length;
  for (;;) {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 128 && isAsciiPart(c)) i++;
      else break;
    }
    if (i >= n || text.charCodeAt(i) < 128) return i;
    NAME_PART_U.lastIndex = i;
    if (!NAME_PART_U.test(text)) return i;
    i = NAME_PART_U.lastIndex;
  }
}

/** Is the character just before `i` a name character (so that `i` is inside a word)? */
/** After `ib`: the end of `2015` or `(first)` / `(last)`, or -1. */
function baseOpEnd(text: string, i: number): number {
  if (isDigit(text.charCodeAt(i))) {
    let j = i + 1;
    while (isDigit(text.charCodeAt(j))) j++;
    return j;
  }
  if (text.startsWith('(first)', i)) return i + 7;
  if (text.startsWith('(last)', i)) return i + 6;
  return -1;
}

function nameCharBefore(text: string, i: number): boolean {
  if (i <= 0) return false;
  const c = text.charCodeAt(i - 1);
  if (c < 128) return isAsciiPart(c);
  return NAME_PART_BEFORE_U.test(text.slice(Math.max(0, i - 2), i));
}

/** Single-character tokens, by char code (the two-character ones are handled first); built on first use. */
let SINGLE: (TokenType | undefined)[] | undefined;
function singleTable(): (TokenType | undefined)[] {
  const table: (TokenType | undefined)[] = [];
  for (const [ch, tt] of [
  ['(', T.LParen], [')', T.RParen], ['[', T.LBracket], [']', T.RBracket], [',', T.Comma], [':', T.Colon],
  ['#', T.Hash], ['<', T.Less], ['>', T.Greater], ['=', T.Equals], ['+', T.Plus], ['-', T.Minus],
  ['*', T.Star], ['/', T.Slash], ['^', T.Caret], ['&', T.Amp], ['|', T.Pipe], ['!', T.Bang], ['~', T.Bang],
  ['?', T.Question], ['.', T.Dot],
  ['@', T.OtherPunct], ['%', T.OtherPunct], ["'", T.OtherPunct], [';', T.OtherPunct], ['{', T.OtherPunct],
  ['}', T.OtherPunct], ['\\', T.OtherPunct], ['`', T.OtherPunct],
  ] as [string, TokenType][]) table[ch.charCodeAt(0)] = tt;
  return table;
}

/** Interned one- and two-character ASCII strings (punctuation, short names, `\r\n`). */
const SHORT: (string | undefined)[] = new Array<string | undefined>(128 + 128 * 128).fill(undefined);
function shortImage(text: string, start: number, end: number): string {
  const a = text.charCodeAt(start);
  if (a >= 128) return text.slice(start, end);
  let key = a;
  if (end - start === 2) {
    const b = text.charCodeAt(start + 1);
    if (b >= 128) return text.slice(start, end);
    key = 128 + a * 128 + b;
  }
  return (SHORT[key] ??= text.slice(start, end));
}

const INTERN_SIZE = 1024;

const TS_OP_LETTER = new Set('LFDicobldf'.split('').map((c) => c.charCodeAt(0)));

export class Scanner {
  tokens: IToken[] = [];
  private newlineSeen = false;
  readonly comments: IToken[] = [];
  readonly errors: ILexingError[] = [];
  /** End offset of the last `///` continuation (its line break included): `*` after it is not a comment. */
  private lastContinuationEnd = -1;

  constructor(private readonly text: string) {}

  private push(list: IToken[], tt: TokenType, start: number, end: number): void {
    // punctuation and short names come from tables: no new string per `+` on a 5 MB line, one
    // string for every `city` of a file (the AST keeps these images as names)
    const len = end - start;
    const image = len <= 2 ? shortImage(this.text, start, end) : len <= 32 ? this.interned(start, end) : this.text.slice(start, end);
    // the same fields, in the same order, as Chevrotain's offset-only tokens
    list.push({ image, startOffset: start, endOffset: end - 1, tokenTypeIdx: tt.tokenTypeIdx!, tokenType: tt } as IToken);
  }

  private pos = 0;
  private errorStart = -1;

  /** Scans the whole text. */
  /** Strings of recent images, direct-mapped by a hash of their characters. */
  private readonly internTable: (string | undefined)[] = new Array<string | undefined>(INTERN_SIZE).fill(undefined);
  private interned(start: number, end: number): string {
    const text = this.text;
    let h = end - start;
    for (let i = start; i < end; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
    const slot = h & (INTERN_SIZE - 1);
    const hit = this.internTable[slot];
    if (hit !== undefined && hit.length === end - start && text.startsWith(hit, start)) return hit;
    return (this.internTable[slot] = text.slice(start, end));
  }

  run(): void {
    while (this.nextLine()) {
      /* keep going */
    }
  }

  /**
   * Scans up to and including the next Newline token (or to the end); returns false at the end of
   * the text. The parser takes one logical line at a time, so that tokens die young.
   */
  nextLine(): boolean {
    const text = this.text;
    const n = text.length;
    let i = this.pos;
    while (i < n) {
      const end = this.token(i);
      if (end < 0) {
        // no token starts here: extend the current error run, as Chevrotain does
        if (this.errorStart < 0) this.errorStart = i;
        i++;
        continue;
      }
      if (this.errorStart >= 0) {
        this.error(this.errorStart, i);
        this.errorStart = -1;
      }
      i = end;
      if (this.newlineSeen) {
        this.newlineSeen = false;
        this.pos = i;
        return true;
      }
    }
    if (this.errorStart >= 0) {
      this.error(this.errorStart, n);
      this.errorStart = -1;
    }
    this.pos = n;
    return false;
  }

  /** The tokens scanned since the last call (Newline tokens included), emptying the buffer. */
  takeTokens(): IToken[] {
    const t = this.tokens;
    this.tokens = [];
    return t;
  }

  private error(start: number, end: number): void {
    this.errors.push({ offset: start, length: end - start, line: undefined, column: undefined, message: `unexpected character at offset ${start}` });
  }

  /** Scans one token (or skipped blanks / a comment) at `i`; returns its end, or -1 if none starts here. */
  private token(i: number): number {
    const text = this.text;
    const c = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);

    // blanks: [ \t\f\v\u00a0\ufeff]+
    if (c === 32 || c === 9 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff) {
      let j = i + 1;
      for (;;) {
        const d = text.charCodeAt(j);
        if (d === 32 || d === 9 || d === 12 || d === 11 || d === 0xa0 || d === 0xfeff) j++;
        else break;
      }
      return j;
    }
    if (c === 10 || c === 13) {
      this.newlineSeen = true;
      return this.add(T.Newline, i, c === 13 && c1 === 10 ? i + 2 : i + 1);
    }

    if (c === 47 /* / */) {
      if (c1 === 47) {
        let j = i + 2;
        while (j < text.length && !isBreak(text.charCodeAt(j))) j++;
        if (text.charCodeAt(i + 2) === 47) {
          // `///`: the line break belongs to the continuation
          if (text.charCodeAt(j) === 13 && text.charCodeAt(j + 1) === 10) j += 2;
          else if (j < text.length) j++;
          this.lastContinuationEnd = j;
          return this.comment(T.Continuation, i, j);
        }
        return this.comment(T.LineComment, i, j);
      }
      if (c1 === 42) {
        const close = text.indexOf('*/', i + 2);
        return this.comment(T.BlockComment, i, close < 0 ? text.length : close + 2);
      }
      return this.add(T.Slash, i, i + 1);
    }

    if (c === 42 /* * */) {
      const end = this.starComment(i);
      if (end >= 0) return this.comment(T.StarComment, i, end);
      return this.add(T.Star, i, i + 1);
    }

    if (c === 34 /* " */) return this.string(i, i + 1);
    if (c === 96 /* ` */) {
      if (c1 === 34) {
        // compound string: the first `"'` after the opening `" on the same line
        let j = i + 2;
        while (j < text.length) {
          const d = text.charCodeAt(j);
          if (isBreak(d)) break;
          if (d === 34 && text.charCodeAt(j + 1) === 39) return this.add(T.CompoundString, i, j + 2);
          j++;
        }
        return this.unterminated(i, i + 2);
      }
      return this.add(T.OtherPunct, i, i + 1);
    }

    if (c === 36 /* $ */) {
      if (c1 === 123 /* { */) {
        if (!nameStartsAt(text, i + 2)) return -1;
        const e = nameEnd(text, i + 3);
        return text.charCodeAt(e) === 125 ? this.add(T.GlobalRef, i, e + 1) : -1;
      }
      if (!nameStartsAt(text, i + 1)) return -1;
      return this.add(T.GlobalRef, i, nameEnd(text, i + 2));
    }

    if (c < 128 ? isAsciiStart(c) : nameStartsAt(text, i)) {
      if (c === 105 /* i */ && c1 === 98 /* b */ && !nameCharBefore(text, i)) {
        // ib2015. ib(first). ib(last). right before a name (base-level factor operators)
        const j = baseOpEnd(text, i + 2);
        if (j > 0 && text.charCodeAt(j) === 46 && nameStartsAt(text, j + 1)) return this.add(T.TsOp, i, j + 1);
      }
      if (c < 128 && TS_OP_LETTER.has(c) && !nameCharBefore(text, i)) {
        // L. L2. i. c. ... right before a name
        let j = i + 1;
        while (isDigit(text.charCodeAt(j))) j++;
        if (text.charCodeAt(j) === 46 && nameStartsAt(text, j + 1)) return this.add(T.TsOp, i, j + 1);
      }
      const e = nameEnd(text, i + 1);
      if (e - i === 2 && c === 105 && c1 === 102) return this.add(T.If, i, e);
      if (e - i === 2 && c === 105 && c1 === 110) return this.add(T.In, i, e);
      if (e - i === 5 && text.startsWith('using', i)) return this.add(T.Using, i, e);
      return this.add(T.Identifier, i, e);
    }

    if (isDigit(c) || (c === 46 && isDigit(c1))) return this.add(T.NumberLit, i, this.numberEnd(i));

    switch (c) {
      case 35: // #
        return c1 === 35 ? this.add(T.HashHash, i, i + 2) : this.add(T.Hash, i, i + 1);
      case 61: // =
        return c1 === 61 ? this.add(T.EqEq, i, i + 2) : this.add(T.Equals, i, i + 1);
      case 33: // !
      case 126: // ~
        return c1 === 61 ? this.add(T.NotEq, i, i + 2) : this.add(T.Bang, i, i + 1);
      case 60: // <
        return c1 === 61 ? this.add(T.LessEq, i, i + 2) : this.add(T.Less, i, i + 1);
      case 62: // >
        return c1 === 61 ? this.add(T.GreaterEq, i, i + 2) : this.add(T.Greater, i, i + 1);
    }
    const tt = c < 128 ? (SINGLE ??= singleTable())[c] : undefined;
    return tt ? this.add(tt, i, i + 1) : -1;
  }

  private add(tt: TokenType, start: number, end: number): number {
    this.push(this.tokens, tt, start, end);
    return end;
  }
  private comment(tt: TokenType, start: number, end: number): number {
    this.push(this.comments, tt, start, end);
    return end;
  }

  /** `"..."` closed on its line, else an unterminated string to the end of the line (or the next `"`). */
  private string(start: number, from: number): number {
    const text = this.text;
    let j = from;
    while (j < text.length) {
      const d = text.charCodeAt(j);
      if (d === 34) return this.add(T.StringLit, start, j + 1);
      if (isBreak(d)) break;
      j++;
    }
    return this.add(T.UnterminatedString, start, j);
  }
  private unterminated(start: number, from: number): number {
    const text = this.text;
    let j = from;
    while (j < text.length) {
      const d = text.charCodeAt(j);
      if (d === 34 || isBreak(d)) break;
      j++;
    }
    return this.add(T.UnterminatedString, start, j);
  }

  /** (?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)? */
  private numberEnd(i: number): number {
    const text = this.text;
    let j = i;
    if (text.charCodeAt(j) === 46) {
      j++;
      while (isDigit(text.charCodeAt(j))) j++;
    } else {
      while (isDigit(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === 46) {
        j++;
        while (isDigit(text.charCodeAt(j))) j++;
      }
    }
    const e = text.charCodeAt(j);
    if (e === 101 || e === 69) {
      let k = j + 1;
      const s = text.charCodeAt(k);
      if (s === 43 || s === 45) k++;
      if (isDigit(text.charCodeAt(k))) {
        while (isDigit(text.charCodeAt(k))) k++;
        j = k;
      }
    }
    return j;
  }

  /** A `*` comment line (see lexer.ts): its end, or -1 when this `*` is an operator. */
  private starComment(offset: number): number {
    const text = this.text;
    let p = offset - 1;
    while (p >= 0) {
      const c = text.charCodeAt(p);
      if (c === 32 || c === 9 || c === 12) p--;
      else break;
    }
    if (p >= 0) {
      if (!isBreak(text.charCodeAt(p))) return -1;
      if (this.lastContinuationEnd === p + 1 && this.lastCommentIsContinuation()) return -1;
    }
    let end = offset;
    for (;;) {
      while (end < text.length && !isBreak(text.charCodeAt(end))) end++;
      if (end - offset >= 3 && text.startsWith('///', end - 3) && end < text.length) {
        end += text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1;
        continue;
      }
      return end;
    }
  }
  private lastCommentIsContinuation(): boolean {
    const last = this.comments[this.comments.length - 1];
    return last !== undefined && last.tokenType === T.Continuation;
  }
}

/** Lexes `text` into Chevrotain tokens (comments in `groups.comments`), never throwing. */
export function scan(text: string): ILexingResult {
  const s = new Scanner(text);
  s.run();
  return { tokens: s.tokens, groups: { comments: s.comments }, errors: s.errors };
}

/** What lexes PanelSpec text: `tokenize(text)` gives Chevrotain tokens, comments in `groups.comments`. */
export interface PanelSpecLexer {
  tokenize(text: string): ILexingResult;
}

const fastLexer: PanelSpecLexer = { tokenize: (text) => scan(text) };
/** The lexer the parser and the language server use: this scanner. */
export function getLexer(): PanelSpecLexer {
  return fastLexer;
}
