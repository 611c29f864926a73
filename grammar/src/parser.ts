// The PanelSpec parser (Chevrotain EmbeddedActionsParser: the rules build the AST directly; a CST
// costs ~15x more on a 5 MB line). It parses ONE command segment at a time (the text between
// top-level `:` of a logical line); statements.ts splits lines and segments and picks the entry
// rule from the command's body kind. AST construction helpers live in toAst.ts.
//
// Stata is whitespace-sensitive in a few places, handled with gates on `glued` (no blank right
// before the token): `reps(500)` is a call but `x (y)` is a var and a group;
// `x*` is a wildcard; `x[_n-1]` is a subscript; `-4` is a negative number.
import { EmbeddedActionsParser, EOF, type IToken, type TokenType, type IParserErrorMessageProvider } from 'chevrotain';
import type { Command, Expr, InRange, Option, Range, Term, VarRef, Weight, BinaryOp } from './ast';
import * as T from './lexer';
import { AstContext, type Operand, type TailParts, type TermItem } from './toAst';

const LABELS: Record<string, string> = {
  Identifier: 'a name',
  NumberLit: 'a number',
  StringLit: 'a string',
  CompoundString: 'a string',
  GlobalRef: 'a $global',
  TsOp: 'an operator like L.',
  LParen: "'('",
  RParen: "')'",
  LBracket: "'['",
  RBracket: "']'",
  Equals: "'='",
  Comma: "','",
  Colon: "':'",
  If: "'if'",
  In: "'in'",
  Using: "'using'",
};
function label(t: TokenType): string {
  return LABELS[t.name] ?? `'${t.name}'`;
}
function describe(tok: IToken | undefined): string {
  if (!tok || tok.tokenType === EOF) return 'the end of the line';
  return `'${tok.image.length > 30 ? tok.image.slice(0, 30) + '…' : tok.image}'`;
}
const RULE_WORDS: Record<string, string> = {
  expr: 'an expression',
  operand: 'a value (a number, a variable, a function call or a parenthesis)',
  optionRule: 'an option',
  weight: 'a weight like [aw=pop]',
  varName: 'a variable name',
  varAtom: 'a variable name',
  usingPath: 'a file name',
  inBound: 'an observation number, f or l',
};

const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${label(expected)} but found ${describe(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describe(firstRedundant)}`;
  },
  buildNoViableAltMessage({ actual, ruleName }) {
    const what = RULE_WORDS[ruleName];
    return what ? `expected ${what} but found ${describe(actual[0])}` : `unexpected ${describe(actual[0])}`;
  },
  buildEarlyExitMessage({ actual, ruleName }) {
    const what = RULE_WORDS[ruleName] ?? 'more input';
    return `expected ${what} but found ${describe(actual[0])}`;
  },
};

const is = (t: IToken, ...types: TokenType[]): boolean => types.includes(t.tokenType);
const NO_PREFIXES: IToken[] = [];

/** Punctuation that is kept as an `op` term inside a body term list. */
const BODY_OP_TOKENS = [
  T.Dot, T.Plus, T.Minus, T.Star, T.Slash, T.Caret, T.Amp, T.Pipe, T.Bang, T.Question,
  T.EqEq, T.NotEq, T.LessEq, T.GreaterEq, T.Less, T.Greater, T.Equals, T.Hash, T.HashHash, T.OtherPunct,
];
/** Inside an option's parentheses anything but `)` goes (`stats(N r2, fmt(3))`, `star(* 0.1)`). */
const ARG_OP_TOKENS = [...BODY_OP_TOKENS, T.Comma, T.LBracket, T.RBracket, T.If, T.In, T.Using, T.Colon];

export class PanelSpecParser extends EmbeddedActionsParser {
  /** Set by parseSegment before each parse: text, line index and issue sink. */
  ctx!: AstContext;

  constructor() {
    super(T.allTokens, { maxLookahead: 3, errorMessageProvider: errorMessages, recoveryEnabled: false, skipValidations: false });
    this.performSelfAnalysis();
  }

  // ---- entry rules, one per body kind ----
  public termsCmd = this.RULE('termsCmd', (): Command => {
    const name = this.CONSUME(T.Identifier);
    const items: TermItem[] = [];
    this.MANY(() => items.push(this.SUBRULE(this.bodyTerm)));
    const tail = this.SUBRULE(this.tail);
    return this.ACTION(() => this.ctx.command(name, { kind: 'terms', terms: this.ctx.terms(items) }, tail));
  });

  public genCmd = this.RULE('genCmd', (): Command => {
    const name = this.CONSUME(T.Identifier);
    // `gen double y = ...`: a storage type is a name followed by another name
    const type = this.OPTION({ GATE: () => is(this.LA(2), T.Identifier), DEF: () => this.CONSUME1(T.Identifier) });
    const target = this.CONSUME2(T.Identifier);
    this.CONSUME(T.Equals);
    const expr = this.SUBRULE(this.expr);
    const tail = this.SUBRULE(this.tail);
    return this.ACTION(() =>
      this.ctx.command(name, { kind: 'gen', ...(type ? { type: type.image } : {}), target: this.ctx.plainVar(target), expr }, tail),
    );
  });

  public egenCmd = this.RULE('egenCmd', (): Command => {
    const name = this.CONSUME(T.Identifier);
    const type = this.OPTION({ GATE: () => is(this.LA(2), T.Identifier), DEF: () => this.CONSUME1(T.Identifier) });
    const target = this.CONSUME2(T.Identifier);
    this.CONSUME(T.Equals);
    const func = this.CONSUME3(T.Identifier);
    const lp = this.CONSUME(T.LParen);
    const items: TermItem[] = [];
    this.MANY(() => items.push(this.SUBRULE(this.argTerm)));
    const rp = this.CONSUME(T.RParen);
    const tail = this.SUBRULE(this.tail);
    return this.ACTION(() =>
      this.ctx.command(
        name,
        {
          kind: 'egen',
          ...(type ? { type: type.image } : {}),
          target: this.ctx.plainVar(target),
          func: func.image,
          funcRange: this.ctx.tokRange(func),
          args: this.ctx.terms(items),
          argsRange: this.ctx.between(lp, rp),
        },
        tail,
      ),
    );
  });

  public defineCmd = this.RULE('defineCmd', (): Command => {
    const name = this.CONSUME(T.Identifier);
    const target = this.CONSUME2(T.Identifier);
    this.CONSUME(T.Equals);
    const items: TermItem[] = [];
    this.MANY(() => items.push(this.SUBRULE(this.bodyTerm)));
    const tail = this.SUBRULE(this.tail);
    return this.ACTION(() => this.ctx.command(name, { kind: 'define', target: this.ctx.plainVar(target), terms: this.ctx.terms(items) }, tail));
  });

  /** Only terms, anything allowed (the words of `global NAME ...`). */
  public looseTerms = this.RULE('looseTerms', (): Term[] => {
    const items: TermItem[] = [];
    this.MANY(() => items.push(this.SUBRULE(this.argTerm)));
    return this.ACTION(() => this.ctx.terms(items));
  });

  // ---- if / weight / using / options ----
  public tail = this.RULE('tail', (): TailParts => {
    const parts: TailParts = { ifs: [], ins: [], weights: [], usings: [], options: [] };
    this.MANY(() =>
      this.OR([
        { ALT: () => parts.ifs.push(this.SUBRULE(this.ifClause)) },
        { ALT: () => parts.ins.push(this.SUBRULE(this.inClause)) },
        { ALT: () => parts.weights.push(this.SUBRULE(this.weight)) },
        { ALT: () => parts.usings.push(this.SUBRULE(this.usingClause)) },
      ]),
    );
    this.OPTION(() => {
      parts.comma = this.CONSUME(T.Comma);
      this.MANY2(() => parts.options.push(this.SUBRULE(this.optionRule)));
    });
    return parts;
  });

  public ifClause = this.RULE('ifClause', (): { expr: Expr; range: Range } => {
    const kw = this.CONSUME(T.If);
    const expr = this.SUBRULE(this.expr);
    return this.ACTION(() => ({ expr, range: this.ctx.join(this.ctx.tokRange(kw), expr.range) }));
  });

  /** `in F[/L]`: each bound a whole number (negative: counted from the end), `f` or `l`. */
  public inClause = this.RULE('inClause', (): InRange | undefined => {
    const kw = this.CONSUME(T.In);
    const from = this.SUBRULE(this.inBound);
    const to = this.OPTION(() => {
      this.CONSUME(T.Slash);
      return this.SUBRULE2(this.inBound);
    });
    return this.ACTION(() => this.ctx.inRange(kw, from, to));
  });

  public inBound = this.RULE('inBound', (): { minus?: IToken; tok: IToken } => {
    const minus = this.OPTION(() => this.CONSUME(T.Minus));
    const tok = this.OR([{ ALT: () => this.CONSUME(T.NumberLit) }, { ALT: () => this.CONSUME(T.Identifier) }]);
    return { minus, tok };
  });

  public weight = this.RULE('weight', (): Weight | undefined => {
    const lb = this.CONSUME(T.LBracket);
    const wtype = this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    const v = this.SUBRULE(this.varAtom);
    const rb = this.CONSUME(T.RBracket);
    return this.ACTION(() => this.ctx.weight(wtype, v, lb, rb));
  });

  public usingClause = this.RULE('usingClause', (): { path: string; range: Range } => {
    this.CONSUME(T.Using);
    const path = this.SUBRULE(this.usingPath);
    return this.ACTION(() => this.ctx.path(path[0], path[1]));
  });

  /** A quoted path, or a bare one made of touching pieces (`out/table3.tex`). */
  public usingPath = this.RULE('usingPath', (): [IToken, IToken] => {
    let first!: IToken;
    let last!: IToken;
    this.OR([
      { ALT: () => (first = last = this.CONSUME(T.StringLit)) },
      { ALT: () => (first = last = this.CONSUME(T.CompoundString)) },
      {
        ALT: () => {
          first = last = this.OR2([
            { ALT: () => this.CONSUME(T.Identifier) },
            { ALT: () => this.CONSUME(T.Dot) },
            { ALT: () => this.CONSUME(T.Slash) },
            { ALT: () => this.CONSUME(T.NumberLit) },
            { ALT: () => this.CONSUME(T.TsOp) }, // `using b.tex` lexes `b.` as an operator
          ]);
          this.MANY({
            GATE: () => this.glued(this.LA(1)) && is(this.LA(1), T.Identifier, T.Dot, T.Slash, T.NumberLit, T.Minus, T.TsOp),
            DEF: () =>
              (last = this.OR3([
                { ALT: () => this.CONSUME2(T.Identifier) },
                { ALT: () => this.CONSUME2(T.Dot) },
                { ALT: () => this.CONSUME2(T.Slash) },
                { ALT: () => this.CONSUME2(T.NumberLit) },
                { ALT: () => this.CONSUME2(T.Minus) },
                { ALT: () => this.CONSUME2(T.TsOp) },
              ])),
          });
        },
      },
    ]);
    return [first, last];
  });

  public optionRule = this.RULE('optionRule', (): Option => {
    const name = this.CONSUME(T.Identifier);
    const paren = this.OPTION(() => {
      const lp = this.CONSUME(T.LParen);
      const items: TermItem[] = [];
      this.MANY(() => items.push(this.SUBRULE(this.argTerm)));
      const rp = this.CONSUME(T.RParen);
      return { lp, rp, items };
    });
    return this.ACTION(() => this.ctx.option(name, paren));
  });

  /** The token touches what precedes it (no blank in between). */
  private glued(t: IToken): boolean {
    const o = t.startOffset;
    if (!(o > 0)) return false;
    const c = this.ctx.text.charCodeAt(o - 1);
    return !(c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff);
  }

  /** A bare name that is a whole term (no call, wildcard, interaction or range): the fast path. */
  private plainName(): boolean {
    const a = this.LA(1);
    if (a.tokenType !== T.Identifier) return false;
    const b = this.LA(2);
    const bt = b.tokenType;
    if (bt === T.Hash || bt === T.HashHash) return false;
    if (bt === T.Minus && this.LA(3).tokenType === T.Identifier) return false;
    if ((bt === T.LParen || bt === T.Star || bt === T.Question || bt === T.NumberLit) && this.glued(b)) return false;
    if (this.coefRefAhead()) return false;
    return true;
  }

  /** `_b[x]` / `_se[x]`: Stata's coefficient references (ritest's expression), bracket touching the name. */
  private coefRefAhead(): boolean {
    const a = this.LA(1);
    if (a.tokenType !== T.Identifier || (a.image !== '_b' && a.image !== '_se')) return false;
    const b = this.LA(2);
    return b.tokenType === T.LBracket && this.glued(b);
  }

  /**
   * An unquoted file name in a command body (`use data/cities.csv`): touching pieces, at least
   * one `.` or `/` between names. Becomes a `str` term. Nothing in a varlist looks like this.
   */
  private barePathAhead(): boolean {
    const a = this.LA(1);
    if (a.tokenType !== T.Identifier && a.tokenType !== T.Dot && a.tokenType !== T.Slash) return false;
    let sep = a.tokenType !== T.Identifier;
    let k = 2;
    for (;;) {
      const t = this.LA(k);
      const tt = t.tokenType;
      if (!this.glued(t) || !(tt === T.Identifier || tt === T.Dot || tt === T.Slash || tt === T.NumberLit || tt === T.Minus || tt === T.TsOp)) break;
      if (tt === T.Dot || tt === T.Slash || tt === T.TsOp || (tt === T.NumberLit && t.image.startsWith('.'))) sep = true;
      k++;
    }
    return sep && k > 2;
  }

  // ---- terms ----
  /** `*`, `?` and `-` start a term only when touching what follows (`*_pc`, `-4`); else they are ops. */
  private startsTerm(): boolean {
    const a = this.LA(1);
    if (is(a, T.Star, T.Question)) return this.glued(this.LA(2)) && is(this.LA(2), T.Identifier);
    if (is(a, T.Minus)) return this.glued(this.LA(2)) && is(this.LA(2), T.NumberLit);
    return true;
  }

  private bodyOpAlts?: { ALT: () => TermItem }[];
  private argOpAlts?: { ALT: () => TermItem }[];
  private bodyTermAlts?: { GATE?: () => boolean; ALT: () => TermItem }[];
  private argTermAlts?: { GATE?: () => boolean; ALT: () => TermItem }[];

  /** A term of a command body: anything up to `if`, `[`, `using` or `,`. (Alternatives are cached: this is the hot path.) */
  public bodyTerm = this.RULE('bodyTerm', (): TermItem => {
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: (this.bodyTermAlts ??= [
        {
          GATE: () => this.barePathAhead(),
          ALT: () => {
            const path = this.SUBRULE(this.usingPath);
            return this.ACTION(() => this.ctx.barePath(path[0], path[1]));
          },
        },
        {
          GATE: () => this.plainName(),
          ALT: () => {
            const t = this.CONSUME(T.Identifier);
            return this.ACTION(() => this.ctx.plainVar(t));
          },
        },
        { GATE: () => this.startsTerm(), ALT: () => this.SUBRULE(this.term) as TermItem },
        { ALT: () => this.OR2((this.bodyOpAlts ??= BODY_OP_TOKENS.map((t) => ({ ALT: () => this.CONSUME(t) as TermItem })))) },
      ]),
    });
  });

  public argTerm = this.RULE('argTerm', (): TermItem => {
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: (this.argTermAlts ??= [
        {
          GATE: () => this.plainName(),
          ALT: () => {
            const t = this.CONSUME(T.Identifier);
            return this.ACTION(() => this.ctx.plainVar(t));
          },
        },
        { GATE: () => this.startsTerm(), ALT: () => this.SUBRULE(this.term) as TermItem },
        { ALT: () => this.OR2((this.argOpAlts ??= ARG_OP_TOKENS.map((t) => ({ ALT: () => this.CONSUME(t) as TermItem })))) },
      ]),
    });
  });

  private termAlts?: { GATE?: () => boolean; ALT: () => Term }[];
  public term = this.RULE('term', (): Term => {
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: (this.termAlts ??= [
        {
          ALT: () => {
            const t = this.CONSUME(T.GlobalRef);
            return this.ACTION(() => this.ctx.globalTerm(t));
          },
        },
        {
          ALT: () => {
            const t = this.OR2([{ ALT: () => this.CONSUME(T.StringLit) }, { ALT: () => this.CONSUME(T.CompoundString) }]);
            return this.ACTION(() => this.ctx.strTerm(t));
          },
        },
        {
          ALT: () => {
            const t = this.CONSUME(T.NumberLit);
            return this.ACTION(() => this.ctx.numTerm(t));
          },
        },
        {
          GATE: () => is(this.LA(2), T.NumberLit) && this.glued(this.LA(2)),
          ALT: () => {
            const m = this.CONSUME(T.Minus);
            const t = this.CONSUME2(T.NumberLit);
            return this.ACTION(() => this.ctx.numTerm(t, m));
          },
        },
        {
          GATE: () => is(this.LA(2), T.LParen) && this.glued(this.LA(2)),
          ALT: () => this.SUBRULE(this.callTerm),
        },
        {
          GATE: () => this.coefRefAhead(),
          ALT: () => this.SUBRULE(this.coefRefTerm),
        },
        {
          GATE: () => is(this.LA(1), T.TsOp, T.Identifier) || (this.glued(this.LA(2)) && is(this.LA(2), T.Identifier)),
          ALT: () => this.SUBRULE(this.varTerm),
        },
        { ALT: () => this.SUBRULE(this.parenTerm) },
      ]),
    });
  });

  public callTerm = this.RULE('callTerm', (): Term => {
    const id = this.CONSUME(T.Identifier);
    this.CONSUME(T.LParen);
    const items: TermItem[] = [];
    this.MANY(() => items.push(this.SUBRULE(this.argTerm)));
    const rp = this.CONSUME(T.RParen);
    return this.ACTION(() => ({ kind: 'call', name: id.image, nameRange: this.ctx.tokRange(id), args: this.ctx.terms(items), range: this.ctx.span(id, rp) }));
  });

  /** `_b[x]` becomes the call term `_b(x)`. */
  public coefRefTerm = this.RULE('coefRefTerm', (): Term => {
    const id = this.CONSUME(T.Identifier);
    this.CONSUME(T.LBracket);
    const items: TermItem[] = [];
    this.MANY(() => items.push(this.SUBRULE(this.bodyTerm)));
    const rb = this.CONSUME(T.RBracket);
    return this.ACTION(() => ({ kind: 'call', name: id.image, nameRange: this.ctx.tokRange(id), args: this.ctx.terms(items), range: this.ctx.span(id, rb) }));
  });

  public parenTerm = this.RULE('parenTerm', (): Term => {
    const lp = this.CONSUME(T.LParen);
    const items: TermItem[] = [];
    this.MANY(() => items.push(this.SUBRULE(this.argTerm)));
    const rp = this.CONSUME(T.RParen);
    return this.ACTION(() => this.ctx.paren(this.ctx.terms(items), this.ctx.span(lp, rp)));
  });

  /** `x`, `L2.x`, `a#b`, `c.x##c.y`, `x1-x5`. */
  public varTerm = this.RULE('varTerm', (): Term => {
    const first = this.SUBRULE(this.varAtom);
    const rest = this.OPTION({
      GATE: () => is(this.LA(1), T.Hash, T.HashHash) || (is(this.LA(1), T.Minus) && is(this.LA(2), T.Identifier)),
      DEF: () =>
        this.OR({
          IGNORE_AMBIGUITIES: true,
          DEF: [
            {
              GATE: () => is(this.LA(1), T.Hash, T.HashHash),
              ALT: () => {
                const parts: VarRef[] = [];
                let full = false;
                this.AT_LEAST_ONE(() => {
                  this.OR2([{ ALT: () => this.CONSUME(T.Hash) }, { ALT: () => ((full = true), this.CONSUME(T.HashHash)) }]);
                  parts.push(this.SUBRULE2(this.varAtom));
                });
                return { interact: parts, full };
              },
            },
            {
              ALT: () => {
                this.CONSUME(T.Minus);
                return { to: this.SUBRULE3(this.varAtom) };
              },
            },
          ],
        }),
    });
    return this.ACTION((): Term => {
      if (!rest) return first;
      if ('to' in rest) return { kind: 'varrange', from: first, to: rest.to, range: this.ctx.join(first.range, rest.to.range) };
      const parts = [first, ...rest.interact];
      return { kind: 'interact', parts, full: rest.full, range: this.ctx.join(first.range, parts[parts.length - 1].range) };
    });
  });

  public varAtom = this.RULE('varAtom', (): VarRef => {
    const op = this.OPTION(() => this.CONSUME(T.TsOp));
    const name = this.SUBRULE(this.varName);
    return this.ACTION(() => this.ctx.varRef(op, name[0], name[1]));
  });

  private nameStartAlts?: { ALT: () => IToken }[];
  private namePartAlts?: { ALT: () => IToken }[];
  /** A name, possibly with wildcards touching it: `x`, `x*`, `*_pc`, `gdp?`. */
  public varName = this.RULE('varName', (): [IToken, IToken] => {
    const first = this.OR(
      (this.nameStartAlts ??= [
        { ALT: () => this.CONSUME(T.Identifier) },
        { ALT: () => this.CONSUME(T.Star) },
        { ALT: () => this.CONSUME(T.Question) },
      ]),
    );
    let last = first;
    this.MANY({
      GATE: () => this.namePartFollows(),
      DEF: () =>
        (last = this.OR2(
          (this.namePartAlts ??= [
            { ALT: () => this.CONSUME2(T.Identifier) },
            { ALT: () => this.CONSUME2(T.Star) },
            { ALT: () => this.CONSUME2(T.Question) },
            { ALT: () => this.CONSUME2(T.NumberLit) },
          ]),
        )),
    });
    return [first, last];
  });

  /** The next token continues a wildcard name: touching, and a name, `*`, `?` or plain digits. */
  private namePartFollows(): boolean {
    const t = this.LA(1);
    if (!this.glued(t)) return false;
    const tt = t.tokenType;
    return tt === T.Identifier || tt === T.Star || tt === T.Question || (tt === T.NumberLit && /^[0-9]+$/.test(t.image));
  }

  // ---- expressions ----
  // One flat rule for the binary operators (precedence climbing in toAst.ts) instead of one rule
  // per precedence level: a 5 MB `a+a+...` line then costs two rule calls per operand, not eight.
  private binOpAlts?: { ALT: () => IToken }[];
  private prefixAlts?: { ALT: () => IToken }[];
  private atomAlts?: { ALT: () => Expr }[];

  public expr = this.RULE('expr', (): Expr => {
    const operands: Operand[] = [this.SUBRULE(this.operand)];
    const ops: IToken[] = [];
    this.MANY(() => {
      ops.push(
        this.OR(
          (this.binOpAlts ??= [T.Pipe, T.Amp, T.EqEq, T.Equals, T.NotEq, T.LessEq, T.GreaterEq, T.Less, T.Greater, T.Plus, T.Minus, T.Star, T.Slash, T.Caret].map(
            (t) => ({ ALT: () => this.CONSUME(t) }),
          )),
        ),
      );
      operands.push(this.SUBRULE2(this.operand));
    });
    return this.ACTION(() => this.ctx.climb(operands, ops));
  });

  /** Prefix operators (`-`, `+`, `!`, `~`) and an atom. */
  public operand = this.RULE('operand', (): Operand => {
    // allocated only when there is a prefix: most operands have none
    let prefixes: IToken[] = NO_PREFIXES;
    this.MANY(() => {
      const p = this.OR((this.prefixAlts ??= [T.Minus, T.Plus, T.Bang].map((t) => ({ ALT: () => this.CONSUME(t) }))));
      if (prefixes === NO_PREFIXES) prefixes = [];
      prefixes.push(p);
    });
    const atom = this.OR2({
      DEF: (this.atomAlts ??= [
        {
          ALT: () => {
            const t = this.CONSUME(T.NumberLit);
            return this.ACTION((): Expr => ({ kind: 'num', value: Number(t.image), range: this.ctx.tokRange(t) }));
          },
        },
        {
          // a name, a call `f(a, b)` or a subscript `x[_n-1]`, told apart inside (no gates on this
          // OR: Chevrotain allocates per call for gated alternations, and this is the hot path)
          ALT: () => {
            const t = this.CONSUME(T.Identifier);
            const call = this.OPTION3(() => {
              this.CONSUME2(T.LParen);
              const args: Expr[] = [];
              this.OPTION4(() => {
                args.push(this.SUBRULE3(this.expr));
                this.MANY2(() => {
                  this.CONSUME(T.Comma);
                  args.push(this.SUBRULE4(this.expr));
                });
              });
              const rp = this.CONSUME2(T.RParen);
              return { args: args.slice(), rp };
            });
            const index = this.OPTION5({
              GATE: () => !call && this.glued(this.LA(1)),
              DEF: () => {
                this.CONSUME(T.LBracket);
                const ix = this.SUBRULE5(this.expr);
                const rb = this.CONSUME(T.RBracket);
                return { ix, rb };
              },
            });
            return this.ACTION((): Expr => {
              if (call) return { kind: 'call', name: t.image, nameRange: this.ctx.tokRange(t), args: call.args, range: this.ctx.span(t, call.rp) };
              if (index) return { kind: 'index', target: t.image, targetRange: this.ctx.tokRange(t), index: index.ix, range: this.ctx.span(t, index.rb) };
              const r = this.ctx.tokRange(t);
              return { kind: 'var', name: t.image, range: r, nameRange: r };
            });
          },
        },
        {
          ALT: () => {
            const op = this.CONSUME(T.TsOp);
            const t = this.CONSUME2(T.Identifier);
            return this.ACTION((): Expr => this.ctx.varExpr(this.ctx.varRef(op, t, t)));
          },
        },
        {
          ALT: () => {
            const t = this.CONSUME(T.Dot);
            return this.ACTION((): Expr => ({ kind: 'missing', range: this.ctx.tokRange(t) }));
          },
        },
        { ALT: () => this.ACTION_STR(this.CONSUME(T.StringLit)) },
        { ALT: () => this.ACTION_STR(this.CONSUME(T.CompoundString)) },
        {
          ALT: () => {
            const t = this.CONSUME(T.GlobalRef);
            return this.ACTION((): Expr => this.ctx.globalTerm(t));
          },
        },
        {
          ALT: () => {
            const lp = this.CONSUME(T.LParen);
            const inner = this.SUBRULE(this.expr);
            const rp = this.CONSUME(T.RParen);
            // keep the parentheses in the range so that hovers cover what the user wrote
            return this.ACTION((): Expr => ({ ...inner, range: this.ctx.span(lp, rp) }));
          },
        },
      ]),
    });
    return prefixes === NO_PREFIXES ? atom : { kind: 'prefixed', prefixes, atom };
  });

  private ACTION_STR(t: IToken): Expr {
    return this.ACTION((): Expr => this.ctx.strTerm(t));
  }
}

export type EntryRule = 'termsCmd' | 'genCmd' | 'egenCmd' | 'defineCmd' | 'looseTerms';

let parserInstance: PanelSpecParser | undefined;
/** One shared parser (building one runs Chevrotain's grammar analysis: do it once). */
let definitionError: unknown;
export function getParser(): PanelSpecParser {
  // a grammar definition error is a bug: fail fast on every call instead of re-analysing
  if (definitionError) throw definitionError;
  if (!parserInstance) {
    try {
      parserInstance = new PanelSpecParser();
    } catch (e) {
      definitionError = e;
      throw e;
    }
  }
  return parserInstance;
}

export interface SegmentError {
  message: string;
  token: IToken;
}

/** Parses one segment with the given entry rule; returns what the rule built and Chevrotain's errors. */
export function parseSegment<R extends EntryRule>(
  tokens: IToken[],
  rule: R,
  ctx: AstContext,
): { value: ReturnType<PanelSpecParser[R]> | undefined; errors: SegmentError[] } {
  const p = getParser();
  p.ctx = ctx;
  p.input = tokens;
  let value: ReturnType<PanelSpecParser[R]>;
  try {
    value = (p[rule] as () => ReturnType<PanelSpecParser[R]>)();
  } catch (e) {
    // a stack overflow can leave Chevrotain's internal stacks half-unwound: start afresh next time
    parserInstance = undefined;
    throw e;
  }
  const errors = p.errors.map((e) => ({ message: e.message, token: e.token }));
  return { value: errors.length ? undefined : value, errors };
}

export type { BinaryOp };
