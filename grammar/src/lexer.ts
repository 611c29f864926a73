// The PanelSpec lexer (Chevrotain). Comments go to the "comments" group so that the parser never
// sees them; newlines are real tokens because statements are line-based.
//
// Three Stata rules need context and are custom matchers:
//  - `*` opens a whole-line comment only as the first non-blank character of a statement line
//    (not after a `///` continuation; `gen y = a * b` is multiplication);
//  - `/* ... */` may span lines (a newline inside it does not end the statement, as in Stata);
//  - `///` continues the statement: it swallows the rest of its line and the line break.
import { createToken, Lexer, type IToken, type TokenType, type CustomPatternMatcherFunc } from 'chevrotain';

const COMMENTS = 'comments';

/** `///` to the end of the line, including the line break: the statement goes on. */
export const Continuation = createToken({
  name: 'Continuation',
  pattern: /\/\/\/[^\r\n]*(?:\r\n|\n|\r)?/,
  group: COMMENTS,
  line_breaks: true,
});

/** `/* ... *\/`, possibly over several lines; an unterminated one runs to the end of the text. */
const matchBlockComment: CustomPatternMatcherFunc = (text, offset) => {
  if (text.charCodeAt(offset) !== 47 /* / */ || text.charCodeAt(offset + 1) !== 42 /* * */) return null;
  const close = text.indexOf('*/', offset + 2);
  const end = close < 0 ? text.length : close + 2;
  return [text.slice(offset, end)] as unknown as RegExpExecArray;
};
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: { exec: matchBlockComment },
  start_chars_hint: ['/'],
  group: COMMENTS,
  line_breaks: true,
});

export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\r\n]*/, group: COMMENTS });

/**
 * `*` as the first non-blank character of a statement line comments out the line. The line must
 * not continue a previous one (`///` at the end of the line before). A `///` at the end of the
 * comment line continues the comment, as in Stata.
 */
const matchStarComment: CustomPatternMatcherFunc = (text, offset, _tokens, groups) => {
  if (text.charCodeAt(offset) !== 42) return null;
  let p = offset - 1;
  while (p >= 0) {
    const c = text.charCodeAt(p);
    if (c === 32 || c === 9 || c === 12) p--;
    else break;
  }
  if (p >= 0) {
    const c = text.charCodeAt(p);
    if (c !== 10 && c !== 13) return null; // something precedes `*` on this line
    // Is the previous line break part of a `///` continuation?
    const comments = (groups as Record<string, IToken[]>)[COMMENTS];
    const last = comments && comments.length ? comments[comments.length - 1] : undefined;
    if (last && last.tokenType === Continuation && last.startOffset + last.image.length === p + 1) return null;
  }
  let end = offset;
  for (;;) {
    while (end < text.length) {
      const c = text.charCodeAt(end);
      if (c === 10 || c === 13) break;
      end++;
    }
    // `* comment ///` continues the comment on the next line
    if (end - offset >= 3 && text.startsWith('///', end - 3) && end < text.length) {
      end += text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1;
      continue;
    }
    break;
  }
  return [text.slice(offset, end)] as unknown as RegExpExecArray;
};
export const StarComment = createToken({
  name: 'StarComment',
  pattern: { exec: matchStarComment },
  start_chars_hint: ['*'],
  group: COMMENTS,
  line_breaks: true,
});

export const Newline = createToken({ name: 'Newline', pattern: /\r\n|\n|\r/, line_breaks: true });
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });

/** Stata compound quotes: `"text with "quotes" inside"' */
export const CompoundString = createToken({ name: 'CompoundString', pattern: /`"[^\r\n]*?"'/ });
export const StringLit = createToken({ name: 'StringLit', pattern: /"[^"\r\n]*"/ });
/** A string with no closing quote on its line: reported as an error by the parser. */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /`?"[^"\r\n]*/ });

/**
 * A matcher for a sticky Unicode regexp. Names may hold Unicode letters (Stata 14+: `城市`), and
 * Chevrotain cannot analyse (nor, in 11.x, run) patterns with the `u` flag, hence custom matchers.
 */
function sticky(source: string): CustomPatternMatcherFunc {
  const re = new RegExp(source, 'uy');
  return (text, offset) => {
    re.lastIndex = offset;
    return re.exec(text);
  };
}
const NAME = '[\\p{L}_][\\p{L}\\p{N}_]*';

export const GlobalRef = createToken({ name: 'GlobalRef', pattern: { exec: sticky(`\\$\\{${NAME}\\}|\\$${NAME}`) }, line_breaks: false });

/**
 * Time-series / factor-variable operator prefix: `L.`, `L2.`, `F.`, `D.`, `i.`, `c.`, `o.`, `b.` (also
 * lower-case l/f/d), and Stata's base-level factor operators `ib2015.`, `ib(first).`, `ib(last).`.
 */
const TS_OP = /(?:ib(?:[0-9]+|\((?:first|last)\))|[LFDicobldf][0-9]*)\.(?=[\p{L}_])/uy;
const matchTsOp: CustomPatternMatcherFunc = (text, offset) => {
  // must start a word: `xL.y` is not an operator
  if (offset > 0 && /[\p{L}\p{N}_]$/u.test(text.slice(Math.max(0, offset - 2), offset))) return null;
  TS_OP.lastIndex = offset;
  return TS_OP.exec(text);
};
export const TsOp = createToken({
  name: 'TsOp',
  pattern: { exec: matchTsOp },
  start_chars_hint: ['L', 'F', 'D', 'i', 'c', 'o', 'b', 'l', 'f', 'd'],
  line_breaks: false,
});

export const Identifier = createToken({ name: 'Identifier', pattern: { exec: sticky(NAME) }, line_breaks: false });
export const If = createToken({ name: 'If', pattern: { exec: sticky('if(?![\\p{L}\\p{N}_])') }, longer_alt: Identifier, line_breaks: false });
/** `in 1/100`, `in f/l`, `in -10/l`: the observation-range qualifier (Stata reserves `in`). */
export const In = createToken({ name: 'In', pattern: { exec: sticky('in(?![\\p{L}\\p{N}_])') }, longer_alt: Identifier, line_breaks: false });
export const Using = createToken({ name: 'Using', pattern: { exec: sticky('using(?![\\p{L}\\p{N}_])') }, longer_alt: Identifier, line_breaks: false });

export const NumberLit = createToken({ name: 'NumberLit', pattern: /(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });

export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const HashHash = createToken({ name: 'HashHash', pattern: /##/ });
export const Hash = createToken({ name: 'Hash', pattern: /#/ });
export const EqEq = createToken({ name: 'EqEq', pattern: /==/ });
export const NotEq = createToken({ name: 'NotEq', pattern: /!=|~=/ });
export const LessEq = createToken({ name: 'LessEq', pattern: /<=/ });
export const GreaterEq = createToken({ name: 'GreaterEq', pattern: />=/ });
export const Less = createToken({ name: 'Less', pattern: /</ });
export const Greater = createToken({ name: 'Greater', pattern: />/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const Plus = createToken({ name: 'Plus', pattern: /\+/ });
export const Minus = createToken({ name: 'Minus', pattern: /-/ });
export const Star = createToken({ name: 'Star', pattern: /\*/ });
export const Slash = createToken({ name: 'Slash', pattern: /\// });
export const Caret = createToken({ name: 'Caret', pattern: /\^/ });
export const Amp = createToken({ name: 'Amp', pattern: /&/ });
export const Pipe = createToken({ name: 'Pipe', pattern: /\|/ });
export const Bang = createToken({ name: 'Bang', pattern: /!|~/ });
export const Question = createToken({ name: 'Question', pattern: /\?/ });
/** Any other printable punctuation, kept so that a stray character is a parse error, not a lexer gap. */
export const OtherPunct = createToken({ name: 'OtherPunct', pattern: /[@%';{}\\`]/ });

/** Order matters: Chevrotain takes the first pattern that matches at a position. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Newline,
  Continuation,
  BlockComment,
  LineComment,
  StarComment,
  CompoundString,
  StringLit,
  UnterminatedString,
  GlobalRef,
  TsOp,
  If,
  In,
  Using,
  Identifier,
  NumberLit,
  Dot,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Colon,
  HashHash,
  Hash,
  EqEq,
  NotEq,
  LessEq,
  GreaterEq,
  Less,
  Greater,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
  Caret,
  Amp,
  Pipe,
  Bang,
  Question,
  OtherPunct,
];

let referenceLexer: Lexer | undefined;
/**
 * The Chevrotain lexer built from the patterns above: the readable definition of the tokens. It
 * runs unoptimised (custom Unicode matchers) and is used by the tests as the reference that the
 * fast scanner (scan.ts, `getLexer`) must agree with.
 */
export function getReferenceLexer(): Lexer {
  referenceLexer ??= new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false, skipValidations: false });
  return referenceLexer;
}
