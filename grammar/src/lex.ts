// Lexing for the parser and for the language server. The server uses `lex()` to find the
// completion context on incomplete lines (Chevrotain 11 has no content-assist API).
import type { ILexingError, IToken } from 'chevrotain';
import type { ParseError, Range } from './ast';
import * as T from './lexer';
import { getLexer } from './scan';
import { LineIndex, tokEnd } from './positions';

/** Names of the token types the parser sees (comments are reported separately). */
export type TokenName =
  | 'Newline' | 'CompoundString' | 'StringLit' | 'UnterminatedString' | 'GlobalRef' | 'TsOp' | 'If' | 'In' | 'Using'
  | 'Identifier' | 'NumberLit' | 'Dot' | 'LParen' | 'RParen' | 'LBracket' | 'RBracket' | 'Comma' | 'Colon'
  | 'HashHash' | 'Hash' | 'EqEq' | 'NotEq' | 'LessEq' | 'GreaterEq' | 'Less' | 'Greater' | 'Equals' | 'Plus'
  | 'Minus' | 'Star' | 'Slash' | 'Caret' | 'Amp' | 'Pipe' | 'Bang' | 'Question' | 'OtherPunct';

export type CommentKind = 'line' | 'block' | 'star' | 'continuation';

export interface Token {
  type: TokenName;
  image: string;
  range: Range;
}

export interface Comment {
  kind: CommentKind;
  range: Range;
}

export interface LexResult {
  /** Parser tokens (with Newline tokens; comments left out). */
  chevrotainTokens: IToken[];
  /** Comment ranges in text order (a `///` range stops before its line break). */
  comments: Range[];
  commentKinds: CommentKind[];
  errors: ParseError[];
}

const COMMENT_KIND = new Map<unknown, CommentKind>([
  [T.LineComment, 'line'],
  [T.BlockComment, 'block'],
  [T.StarComment, 'star'],
  [T.Continuation, 'continuation'],
]);

/** Lexes the whole text and turns the lexer's errors (and unterminated comments) into ParseErrors. */
export function lexText(text: string, lines: LineIndex = new LineIndex(text)): LexResult {
  const r = getLexer().tokenize(text);
  return { chevrotainTokens: r.tokens, ...lexIssues(text, lines, (r.groups.comments ?? []) as IToken[], r.errors) };
}

/** Comment ranges and kinds, and ParseErrors for lexing errors and unterminated block comments. */
export function lexIssues(
  text: string,
  lines: LineIndex,
  rawComments: IToken[],
  rawErrors: ILexingError[],
): { comments: Range[]; commentKinds: CommentKind[]; errors: ParseError[] } {
  const errors: ParseError[] = [];
  for (const e of rawErrors) {
    const ch = text.slice(e.offset, e.offset + e.length);
    const shown = ch.length > 20 ? ch.slice(0, 20) + '…' : ch;
    errors.push({ message: `unexpected character${e.length > 1 ? 's' : ''} '${shown}'`, range: lines.range(e.offset, e.offset + e.length) });
  }
  const comments: Range[] = [];
  const commentKinds: CommentKind[] = [];
  for (const c of rawComments) {
    const kind = COMMENT_KIND.get(c.tokenType) ?? 'line';
    let end = tokEnd(c);
    if (kind === 'continuation') while (end > c.startOffset && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
    if (kind === 'block' && (!c.image.endsWith('*/') || c.image.length < 4)) {
      errors.push({ message: 'unterminated comment: missing the closing */', range: lines.range(c.startOffset, c.startOffset + 2) });
    }
    comments.push(lines.range(c.startOffset, end));
    commentKinds.push(kind);
  }
  return { comments, commentKinds, errors };
}

/** Tokens with ranges, comments and lexer errors: what the language server needs for completion. */
export function lex(text: string): { tokens: Token[]; comments: Comment[]; errors: ParseError[] } {
  const lines = new LineIndex(text);
  const r = lexText(text, lines);
  const tokens = r.chevrotainTokens.map((t) => ({ type: t.tokenType.name as TokenName, image: t.image, range: lines.range(t.startOffset, tokEnd(t)) }));
  const comments = r.comments.map((range, i) => ({ kind: r.commentKinds[i], range }));
  return { tokens, comments, errors: r.errors };
}

/**
 * The token at `offset`: the one containing it, else the one ending exactly there (the cursor
 * just after a word), else undefined. Tokens must be in text order (as `lex` returns them).
 */
export function tokenAt(tokens: Token[], offset: number): Token | undefined {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = tokens[mid];
    if (t.range.end.offset < offset) lo = mid + 1;
    else if (t.range.start.offset > offset) hi = mid - 1;
    else {
      // offset within [start, end]; prefer a token that starts at offset over one that ends there
      if (t.range.end.offset === offset && mid + 1 < tokens.length && tokens[mid + 1].range.start.offset === offset) return tokens[mid + 1];
      return t;
    }
  }
  return undefined;
}

/** Index of the last token that starts before `offset` (-1 if none): the completion anchor. */
export function tokenIndexBefore(tokens: Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].range.start.offset < offset) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}
