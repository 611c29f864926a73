// Program-level parsing: lex the whole text, cut it into logical lines (a newline ends a statement
// unless a `///` or a multi-line `/* */` swallowed it), cut each line at its top-level `:` into
// prefix segments and the command, and parse each segment with the entry rule of its body kind.
// A broken statement yields one ParseError on its own line and parsing goes on with the next.
import type { IToken } from 'chevrotain';
import type { Command, ParseError, Program, Range, Statement, Term } from './ast';
import { BodyKind, resolveCommand } from './commands';
import * as T from './lexer';
import { lexIssues } from './lex';
import { Scanner } from './scan';
import { parseSegment, type EntryRule } from './parser';
import { LineIndex, tokEnd } from './positions';
import { AstContext } from './toAst';

/** Deeper nesting than this is refused up front: Chevrotain recurses per level. */
const MAX_NESTING = 200;
/** At most this many errors are reported (then one "too many errors"). */
export const MAX_ERRORS = 1000;

class StatementParser {
  readonly statements: Statement[] = [];
  readonly errors: ParseError[] = [];
  private readonly ast: AstContext;

  constructor(
    text: string,
    private readonly lines: LineIndex,
  ) {
    this.ast = new AstContext(text, lines);
  }

  private err(message: string, range: Range): void {
    this.errors.push({ message, range });
  }
  private tokRange(t: IToken): Range {
    return this.lines.range(t.startOffset, tokEnd(t));
  }

  /** One logical line (no Newline tokens inside). */
  statement(toks: IToken[]): void {
    if (!toks.length) return;

    const unterminated = toks.find((t) => t.tokenType === T.UnterminatedString);
    if (unterminated) return this.err('unterminated string: missing the closing "', this.tokRange(unterminated));

    if (!this.nestingOk(toks)) return;

    const first = toks[0];
    if (first.tokenType === T.Identifier && resolveCommand(first.image)?.body === BodyKind.Global) return this.global(toks);

    const segments = this.segments(toks);
    if (!segments) return;
    const commands: Command[] = [];
    for (let i = 0; i < segments.length; i++) {
      const last = i === segments.length - 1;
      const cmd = this.command(segments[i], last);
      if (!cmd) {
        this.ast.issues.length = 0; // one error per broken statement: the syntax error
        return;
      }
      commands.push(cmd);
    }
    const command = commands[commands.length - 1];
    // without prefixes the statement spans exactly its command: share the range object
    const range = commands.length === 1 && command.range.start.offset === first.startOffset && command.range.end.offset === tokEnd(toks[toks.length - 1])
      ? command.range
      : this.lines.range(first.startOffset, tokEnd(toks[toks.length - 1]));
    this.statements.push({ kind: 'statement', range, prefixes: commands.length === 1 ? [] : commands.slice(0, -1), command });
    this.flushIssues();
  }

  private flushIssues(): void {
    for (const i of this.ast.issues.splice(0)) this.err(i.message, i.range);
  }

  /** Parentheses/brackets balanced enough and not absurdly deep; unary chains bounded too. */
  private nestingOk(toks: IToken[]): boolean {
    let depth = 0;
    let unary = 0;
    for (const t of toks) {
      if (t.tokenType === T.LParen || t.tokenType === T.LBracket) depth++;
      else if (t.tokenType === T.RParen || t.tokenType === T.RBracket) depth--;
      if (t.tokenType === T.Minus || t.tokenType === T.Bang || t.tokenType === T.Plus) unary++;
      else unary = 0;
      if (depth > MAX_NESTING || unary > MAX_NESTING) {
        this.err(`nested more than ${MAX_NESTING} levels deep`, this.tokRange(t));
        return false;
      }
    }
    return true;
  }

  /** Splits at top-level `:`; `quietly reg ...` (no colon) is split after `quietly` too. */
  private segments(toks: IToken[]): IToken[][] | undefined {
    // the common case, no colon and no colon-less prefix: no copying (a 5 MB line is one segment)
    if (!toks.some((t) => t.tokenType === T.Colon) && !(toks[0].tokenType === T.Identifier && resolveCommand(toks[0].image)?.prefixWithoutColon)) return [toks];
    const segs: IToken[][] = [[]];
    const colons: IToken[] = [];
    let depth = 0;
    for (const t of toks) {
      if (t.tokenType === T.LParen || t.tokenType === T.LBracket) depth++;
      else if ((t.tokenType === T.RParen || t.tokenType === T.RBracket) && depth > 0) depth--;
      if (t.tokenType === T.Colon && depth === 0) {
        colons.push(t);
        segs.push([]);
      } else segs[segs.length - 1].push(t);
    }
    for (let i = 0; i < segs.length; i++) {
      if (segs[i].length) continue;
      if (i === segs.length - 1) this.err("expected a command after ':'", this.tokRange(colons[i - 1]));
      else this.err("expected a prefix command before ':'", this.tokRange(colons[i]));
      return undefined;
    }
    // colon-less prefixes at the head of any segment: `quietly reg y x`, `qui eststo m1: reg ...`
    const out: IToken[][] = [];
    for (const seg of segs) {
      let s = seg;
      while (s.length > 1 && s[0].tokenType === T.Identifier && resolveCommand(s[0].image)?.prefixWithoutColon) {
        out.push([s[0]]);
        s = s.slice(1);
      }
      out.push(s);
    }
    return out;
  }

  private command(seg: IToken[], isLast: boolean): Command | undefined {
    const head = seg[0];
    if (head.tokenType !== T.Identifier) {
      this.err(`expected a command name but found '${short(head.image)}'`, this.tokRange(head));
      return undefined;
    }
    const spec = resolveCommand(head.image);
    if (!isLast && spec && !spec.prefix) {
      this.err(`'${head.image}' is not a prefix command and cannot be followed by ':'`, this.tokRange(head));
      return undefined;
    }
    let rule: EntryRule = 'termsCmd';
    if (isLast && spec) {
      if (spec.body === BodyKind.Gen) rule = 'genCmd';
      else if (spec.body === BodyKind.Egen) rule = 'egenCmd';
      else if (spec.body === BodyKind.Define) rule = 'defineCmd';
      else if (spec.body === BodyKind.Global) {
        this.err(`'${head.image}' cannot follow a prefix`, this.tokRange(head));
        return undefined;
      }
    }
    let res: ReturnType<typeof parseSegment>;
    try {
      res = parseSegment(seg, rule, this.ast);
    } catch (e) {
      // Only a stack overflow can get here (nesting is bounded above): report, never throw.
      const why = e instanceof RangeError ? 'nested too deeply' : e instanceof Error ? e.message : String(e);
      this.err(`statement too complex to parse (${why})`, this.lines.range(head.startOffset, tokEnd(seg[seg.length - 1])));
      return undefined;
    }
    if (res.errors.length || !res.value) {
      const e = res.errors[0];
      const tok = e && !isNaN(e.token.startOffset) ? e.token : seg[seg.length - 1];
      this.err(e?.message ?? 'could not parse this command', this.tokRange(tok));
      return undefined;
    }
    return res.value as Command;
  }

  /** `global NAME rest of line`: the rest is kept as raw text (and lexed into terms, leniently). */
  private global(toks: IToken[]): void {
    const head = toks[0];
    const nameTok = toks[1];
    if (!nameTok || nameTok.tokenType !== T.Identifier) {
      this.err('expected a macro name after global', nameTok ? this.tokRange(nameTok) : this.tokRange(head));
      return;
    }
    const rest = toks.slice(2);
    let text = '';
    for (let i = 0; i < rest.length; i++) text += (i > 0 && tokEnd(rest[i - 1]) !== rest[i].startOffset ? ' ' : '') + rest[i].image;
    const textRange = rest.length ? this.lines.range(rest[0].startOffset, tokEnd(rest[rest.length - 1])) : this.lines.range(tokEnd(nameTok), tokEnd(nameTok));
    let terms: Term[] = [];
    if (rest.length) {
      try {
        const r = parseSegment(rest, 'looseTerms', this.ast);
        if (r.value) terms = r.value;
      } catch {
        terms = [];
      }
    }
    const range = this.lines.range(head.startOffset, tokEnd(toks[toks.length - 1]));
    const command: Command = {
      kind: 'command',
      name: head.image,
      nameRange: this.tokRange(head),
      range,
      body: { kind: 'global', name: nameTok.image, nameRange: this.tokRange(nameTok), text, textRange, terms },
      options: [],
    };
    this.statements.push({ kind: 'statement', range, prefixes: [], command });
    this.ast.issues.splice(0);
  }
}

function short(s: string): string {
  return s.length > 30 ? s.slice(0, 30) + '…' : s;
}

/**
 * Parses a whole PanelSpec text. Never throws. The text is scanned one line at a time and each
 * logical line parsed at once, so that its tokens die young (the garbage collector, not the parser,
 * dominated the time on big files when all tokens lived to the end).
 */
export function parseProgram(text: string): Program {
  const lines = new LineIndex(text);
  const sp = new StatementParser(text, lines);
  const scanner = new Scanner(text);

  // each batch is one logical line and its Newline token (`///` and `/* */` swallow line breaks)
  let more = true;
  while (more) {
    more = scanner.nextLine();
    const toks = scanner.takeTokens();
    if (toks.length && toks[toks.length - 1].tokenType === T.Newline) toks.pop();
    sp.statement(toks);
  }
  const lx = lexIssues(text, lines, scanner.comments, scanner.errors);
  for (const e of lx.errors) sp.errors.push(e);
  let errors = sp.errors.sort((a, b) => a.range.start.offset - b.range.start.offset);
  if (errors.length > MAX_ERRORS) {
    // a binary file or a pasted blob: thousands of diagnostics help no one and slow the editor
    const more = errors.length - MAX_ERRORS;
    const last = errors[MAX_ERRORS - 1].range;
    errors = errors.slice(0, MAX_ERRORS);
    errors.push({ message: `too many errors: ${more} more not shown`, range: last });
  }
  return { statements: sp.statements, errors, comments: lx.comments };
}
