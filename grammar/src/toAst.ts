// AST construction for the parser's embedded actions: ranges from tokens, literal values,
// merging touching punctuation into one op term (`**`), splitting `(x = z)` groups, weights.
import type { IToken } from 'chevrotain';
import type { BinaryOp, Body, Command, Expr, FactorBase, InBound, InRange, Option, Range, Term, TsOperator, VarRef, Weight } from './ast';
import { type LineIndex, tokEnd } from './positions';
import { MAX_EXPR_DEPTH } from './limits';

/**
 * An expression operand as the parser reads it: an atom, or prefix operators and an atom. Most
 * operands have no prefix and are the bare atom (no wrapper object per operand on a 5 MB line).
 */
export type Operand = Expr | PrefixedOperand;
export interface PrefixedOperand {
  kind: 'prefixed';
  prefixes: IToken[];
  atom: Expr;
}

const BINARY_PREC: Record<string, number> = {
  '|': 1, '&': 2,
  '==': 3, '=': 3, '!=': 3, '~=': 3, '<': 3, '>': 3, '<=': 3, '>=': 3,
  '+': 4, '-': 4, '*': 5, '/': 5, '^': 7,
};
// prefix precedences differ from every binary one: climb() tells prefixes apart by them
const PREC_NEG = 6;
const PREC_NOT = 8;

/** What a term-list rule yields: a term, or a punctuation token still to be merged into an op. */
export type TermItem = Term | IToken;
const isToken = (x: TermItem): x is IToken => (x as IToken).tokenType !== undefined;

/** Problems found while building the AST that are not syntax errors (e.g. an unknown weight type). */
export interface AstIssue {
  message: string;
  range: Range;
}

/** What follows a command's body: `if`, weights, `using`, the options. */
export interface TailParts {
  ifs: { expr: Expr; range: Range }[];
  ins: (InRange | undefined)[];
  weights: (Weight | undefined)[];
  usings: { path: string; range: Range }[];
  comma?: IToken;
  options: Option[];
}

const WEIGHTS: Record<string, Weight['type']> = {
  aw: 'aw', aweight: 'aw',
  fw: 'fw', fweight: 'fw', frequency: 'fw',
  pw: 'pw', pweight: 'pw',
  iw: 'iw', iweight: 'iw',
};

export class AstContext {
  readonly issues: AstIssue[] = [];

  constructor(
    readonly text: string,
    readonly lines: LineIndex,
  ) {}

  // ---- ranges ----
  tokRange(t: IToken): Range {
    return this.lines.range(t.startOffset, tokEnd(t));
  }
  span(first: IToken, last: IToken): Range {
    return this.lines.range(first.startOffset, tokEnd(last));
  }
  /** Inside a pair of delimiters (`argsRange`). */
  between(open: IToken, close: IToken): Range {
    return this.lines.range(tokEnd(open), close.startOffset);
  }
  join(a: Range, b: Range): Range {
    return { start: a.start, end: b.end };
  }

  // ---- commands ----
  command(name: IToken, body: Body, tail: TailParts): Command {
    const nameRange = this.tokRange(name);
    const cmd: Command = { kind: 'command', name: name.image, nameRange, range: nameRange, body, options: tail.options.length ? tail.options.slice() : [] };
    let end = cmd.nameRange.end;
    const grow = (r: Range) => {
      if (r.end.offset > end.offset) end = r.end;
    };
    switch (body.kind) {
      case 'terms':
      case 'define':
        for (const t of body.terms) grow(t.range);
        if (body.kind === 'define') grow(body.target.range);
        break;
      case 'gen':
        grow(body.expr.range);
        break;
      case 'egen':
        grow({ start: body.argsRange.end, end: this.lines.position(body.argsRange.end.offset + 1) });
        break;
    }
    for (const i of tail.ifs) {
      if (cmd.ifExpr) this.issues.push({ message: "'if' may be given only once", range: i.range });
      cmd.ifExpr = i.expr;
      cmd.ifRange = i.range;
      grow(i.range);
    }
    for (const r of tail.ins) {
      if (!r) continue;
      if (cmd.inRange) this.issues.push({ message: "'in' may be given only once", range: r.range });
      cmd.inRange = r;
      grow(r.range);
    }
    for (const w of tail.weights) {
      if (!w) continue;
      if (cmd.weight) this.issues.push({ message: 'a weight may be given only once', range: w.range });
      cmd.weight = w;
      grow(w.range);
    }
    for (const u of tail.usings) {
      if (cmd.using) this.issues.push({ message: "'using' may be given only once", range: u.range });
      cmd.using = u;
      grow(u.range);
    }
    if (tail.comma) {
      cmd.comma = this.tokRange(tail.comma);
      grow(cmd.comma);
    }
    for (const o of tail.options) grow(o.range);
    cmd.range = end === nameRange.end ? nameRange : this.lines.range(nameRange.start.offset, end.offset);
    return cmd;
  }

  /** `in F[/L]` from its tokens; a bound that is not a whole number, `f` or `l` is an issue here. */
  inRange(kw: IToken, from: { minus?: IToken; tok: IToken }, to: { minus?: IToken; tok: IToken } | undefined): InRange | undefined {
    const last = to ?? from;
    const range = this.span(kw, last.tok);
    const bound = (b: { minus?: IToken; tok: IToken }): InBound | undefined => {
      const img = b.tok.image;
      if (/^[0-9]+$/.test(img)) return b.minus ? -Number(img) : Number(img);
      if (!b.minus && /^[fFlL]$/.test(img)) return img.toLowerCase() as 'f' | 'l';
      this.issues.push({ message: `\`in\` expects an observation number, f or l, not '${b.minus ? '-' : ''}${img}'`, range: this.span(b.minus ?? b.tok, b.tok) });
      return undefined;
    };
    const a = bound(from);
    const b = to ? bound(to) : a;
    if (a === undefined || b === undefined) return undefined;
    return { from: a, to: b, range };
  }

  weight(wtype: IToken, v: VarRef, lb: IToken, rb: IToken): Weight | undefined {
    const type = WEIGHTS[wtype.image.toLowerCase()];
    if (!type) {
      this.issues.push({ message: `unknown weight type '${wtype.image}' (use aw, fw, pw or iw)`, range: this.tokRange(wtype) });
      return undefined;
    }
    return { type, typeRange: this.tokRange(wtype), expr: v, range: this.span(lb, rb) };
  }

  path(first: IToken, last: IToken): { path: string; range: Range } {
    const raw = this.text.slice(first.startOffset, tokEnd(last));
    const path = first === last && (raw.startsWith('"') || raw.startsWith('`"')) ? stringValue(raw) : raw;
    return { path, range: this.span(first, last) };
  }

  /** An unquoted path in a body, kept as a string term. */
  barePath(first: IToken, last: IToken): Term {
    return { kind: 'str', value: this.text.slice(first.startOffset, tokEnd(last)), range: this.span(first, last) };
  }

  option(name: IToken, paren: { lp: IToken; rp: IToken; items: TermItem[] } | undefined): Option {
    const o: Option = { name: name.image, nameRange: this.tokRange(name), range: this.tokRange(name) };
    if (paren) {
      o.args = this.terms(paren.items);
      o.argsRange = this.between(paren.lp, paren.rp);
      o.range = this.span(name, paren.rp);
    }
    return o;
  }

  // ---- terms ----
  /** Terms of a list; touching punctuation (`**`, `%9`) is merged into one op term. */
  terms(items: TermItem[]): Term[] {
    // no punctuation (the usual varlist): an exact-size copy; arrays grown by push keep spare
    // capacity, which the AST would carry for its whole life
    if (!items.some(isToken)) return items.slice() as Term[];
    const out: Term[] = [];
    let prevTok: IToken | undefined;
    for (const it of items) {
      if (!isToken(it)) {
        out.push(it);
        prevTok = undefined;
        continue;
      }
      const last = out[out.length - 1];
      if (prevTok && last?.kind === 'op' && tokEnd(prevTok) === it.startOffset) {
        last.op += it.image;
        last.range = { start: last.range.start, end: this.lines.position(tokEnd(it)) };
      } else {
        out.push({ kind: 'op', op: it.image, range: this.tokRange(it) });
      }
      prevTok = it;
    }
    return out;
  }

  globalTerm(t: IToken): { kind: 'global'; name: string; range: Range } {
    return { kind: 'global', name: globalName(t.image), range: this.tokRange(t) };
  }
  strTerm(t: IToken): { kind: 'str'; value: string; range: Range } {
    return { kind: 'str', value: stringValue(t.image), range: this.tokRange(t) };
  }
  numTerm(t: IToken, minus?: IToken): Term {
    const text = (minus ? '-' : '') + t.image;
    return { kind: 'num', value: Number(text), text, range: minus ? this.span(minus, t) : this.tokRange(t) };
  }

  /** `(y1 y2)` or, with a top-level `=`, `(x1 x2 = z1 z2)`. */
  paren(all: Term[], range: Range): Term {
    const eq = all.findIndex((t) => t.kind === 'op' && t.op === '=');
    if (eq < 0) return { kind: 'paren', terms: all, range };
    return { kind: 'paren', terms: all.slice(0, eq), rhs: all.slice(eq + 1), range };
  }

  varRef(op: IToken | undefined, first: IToken, last: IToken): VarRef {
    const name = first === last ? first.image : this.text.slice(first.startOffset, tokEnd(last));
    const nameRange = this.span(first, last);
    // without an operator the two ranges are the same: share the object (a 5 MB varlist is big enough)
    const v: VarRef = { kind: 'var', name, range: op ? this.span(op, last) : nameRange, nameRange, wildcard: name.includes('*') || name.includes('?') };
    if (op) v.op = tsOp(op.image, this.tokRange(op));
    return v;
  }

  plainVar(t: IToken): VarRef {
    const r = this.tokRange(t);
    return { kind: 'var', name: t.image, range: r, nameRange: r, wildcard: false };
  }

  // ---- expressions ----
  /**
   * Builds the tree of `a op b op c ...` by Stata precedence (shunting-yard, no recursion, so a
   * 5 MB `a+a+...` is fine). Loosest to tightest: | & comparisons + - * / unary-minus ^ !; all
   * binary operators are left-associative (2^3^2 = 64 in Stata); -2^2 = -4; 2^-1 = 0.5.
   */
  climb(operands: Operand[], ops: IToken[]): Expr {
    if (ops.length === 0 && operands[0].kind !== 'prefixed') return operands[0];
    const out: Expr[] = [];
    let tooDeep: IToken | undefined; // the operator at which the tree passed MAX_EXPR_DEPTH
    // pending operators as parallel stacks (no object per operator: a 5 MB line has millions)
    const toks: IToken[] = [];
    const precs: number[] = [];
    const reduce = () => {
      const tok = toks.pop()!;
      const prec = precs.pop()!;
      let node: Expr;
      if (prec === PREC_NEG || prec === PREC_NOT) node = this.unary(tok, out.pop()!);
      else {
        const right = out.pop()!;
        const left = out.pop()!;
        let op = tok.image;
        if (op === '=') op = '==';
        else if (op === '~=') op = '!=';
        node = { kind: 'binary', op: op as BinaryOp, left, right, range: { start: left.range.start, end: right.range.end } };
      }
      if (this.depthOf(node) > MAX_EXPR_DEPTH) tooDeep ??= tok;
      out.push(node);
    };
    for (let i = 0; i < operands.length; i++) {
      const operand = operands[i];
      if (operand.kind === 'prefixed') {
        for (const p of operand.prefixes) {
          toks.push(p);
          precs.push(p.image === '!' || p.image === '~' ? PREC_NOT : PREC_NEG);
        }
        out.push(operand.atom);
      } else out.push(operand);
      if (i < ops.length) {
        const prec = BINARY_PREC[ops[i].image] ?? 0;
        while (precs.length && precs[precs.length - 1] >= prec) reduce();
        toks.push(ops[i]);
        precs.push(prec);
      }
    }
    while (toks.length) reduce();
    if (tooDeep) {
      // refused here, so that no walk of the tree (checks, hovers, evaluation) can overflow the stack
      this.issues.push({
        message: `expression nested more than ${MAX_EXPR_DEPTH.toLocaleString('en-US')} operators deep (a chain of operators is nested one level per operator): split it over several lines`,
        range: this.tokRange(tooDeep),
      });
      return { kind: 'missing', range: out[0].range };
    }
    return out[0];
  }

  /** Nesting depth of an expression, kept per node so that long chains cost O(1) per operator. */
  private readonly depths = new WeakMap<Expr, number>();
  private depthOf(e: Expr): number {
    if (e.kind === 'var' || e.kind === 'num' || e.kind === 'str' || e.kind === 'missing' || e.kind === 'global') return 0; // leaves: no map entry
    const known = this.depths.get(e);
    if (known !== undefined) return known;
    let d = 0; // a leaf; each operator, call or subscript is one level
    // the children were measured when they were built (a parenthesised node is a copy: one step down)
    if (e.kind === 'binary') d = 1 + Math.max(this.depthOf(e.left), this.depthOf(e.right));
    else if (e.kind === 'unary') d = 1 + this.depthOf(e.arg);
    else if (e.kind === 'index') d = 1 + this.depthOf(e.index);
    else if (e.kind === 'call') for (const a of e.args) d = Math.max(d, 1 + this.depthOf(a));
    this.depths.set(e, d);
    return d;
  }

  unary(opTok: IToken, arg: Expr): Expr {
    const op = opTok.image === '~' ? '!' : (opTok.image as '-' | '+' | '!');
    return { kind: 'unary', op, arg, range: { start: this.tokRange(opTok).start, end: arg.range.end } };
  }

  varExpr(v: VarRef): Expr {
    if (v.wildcard) this.issues.push({ message: `wildcard '${v.name}' is not allowed in an expression`, range: v.range });
    return { kind: 'var', name: v.name, range: v.range, nameRange: v.nameRange, ...(v.op ? { op: v.op } : {}) };
  }
}

export function globalName(image: string): string {
  return image.startsWith('${') ? image.slice(2, -1) : image.slice(1);
}

export function stringValue(image: string): string {
  if (image.startsWith('`"')) return image.slice(2, -2);
  return image.slice(1, -1);
}

export function tsOp(image: string, range: Range): { op: TsOperator; lag: number; range: Range; base?: FactorBase } {
  // ib2015. ib(first). ib(last).: a factor (i.) with the level to leave out
  if (image.startsWith('ib')) {
    const b = image.slice(2, -1);
    return { op: 'i', lag: 0, range, base: b === '(first)' ? 'first' : b === '(last)' ? 'last' : Number(b) };
  }
  const letter = image[0];
  const op = (letter === 'l' || letter === 'f' || letter === 'd' ? letter.toUpperCase() : letter) as TsOperator;
  const digits = image.slice(1, -1);
  // L, F, D default to one period; for factor operators (i. c. o. b.) the digits are a level, none is 0
  const lag = digits ? Number(digits) : 'LFD'.includes(op) ? 1 : 0;
  return { op, lag, range };
}
