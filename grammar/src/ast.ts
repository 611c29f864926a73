// The PanelSpec abstract syntax tree. Every node carries a source range, so that the language
// server can put diagnostics, hovers and lenses exactly where the user wrote the thing.
// Positions are 0-based (line, character) as in LSP, plus the absolute offset into the text.

export interface Position {
  line: number;
  character: number;
  offset: number;
}
export interface Range {
  start: Position;
  end: Position;
}

export type TsOperator = 'L' | 'F' | 'D' | 'i' | 'c' | 'o' | 'b';

/** The base level of `ib#.x` / `ib(first).x` / `ib(last).x`: the level left out of the dummies. */
export type FactorBase = number | 'first' | 'last';

/** A variable reference in a varlist: `x`, `L.x`, `L2.x`, `i.year`, `c.x`, `x*` (wildcard). */
export interface VarRef {
  kind: 'var';
  name: string; // as written, without operator prefix (may contain * or ? when wildcard)
  range: Range; // whole term including the operator
  nameRange: Range; // just the name
  op?: { op: TsOperator; lag: number; range: Range; base?: FactorBase }; // L2.x -> {op:'L', lag:2}; ib2015.x -> {op:'i', lag:0, base:2015}
  wildcard: boolean;
}

/** A term of a varlist, of a command body or of an option's arguments. */
export type Term =
  | VarRef
  | { kind: 'varrange'; from: VarRef; to: VarRef; range: Range } // x1-x5
  | { kind: 'interact'; parts: VarRef[]; full: boolean; range: Range } // a#b (full: a##b)
  | { kind: 'global'; name: string; range: Range } // $controls, ${controls}
  | { kind: 'num'; value: number; text: string; range: Range } // 3, -4, 0.05, 1e-6
  | { kind: 'str'; value: string; range: Range } // "text" (quotes removed)
  | { kind: 'paren'; terms: Term[]; rhs?: Term[]; range: Range } // (y1 y2) or (x1 x2 = z1 z2)
  | { kind: 'call'; name: string; nameRange: Range; args: Term[]; range: Range } // reps(500), hhi(a b)
  | { kind: 'op'; op: string; range: Range }; // any other punctuation kept verbatim (e.g. / in 1/10)

/** Expressions of `gen`, `replace`, `if`. */
export type Expr =
  | { kind: 'num'; value: number; range: Range }
  | { kind: 'str'; value: string; range: Range }
  | { kind: 'missing'; range: Range } // `.`
  | { kind: 'var'; name: string; range: Range; nameRange: Range; op?: { op: TsOperator; lag: number; range: Range } } // also _n, _N
  | { kind: 'global'; name: string; range: Range }
  | { kind: 'unary'; op: '-' | '!' | '+'; arg: Expr; range: Range }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; range: Range }
  | { kind: 'call'; name: string; nameRange: Range; args: Expr[]; range: Range }
  | { kind: 'index'; target: string; targetRange: Range; index: Expr; range: Range }; // x[_n-1]

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '&' | '|';

export interface Option {
  name: string; // as written (may be an abbreviation: `cl`, `vce`)
  nameRange: Range;
  range: Range; // name through closing paren
  args?: Term[]; // undefined: written without parentheses; [] : written as name()
  argsRange?: Range; // inside the parentheses
}

/** What stands between the command name and `if` / `[weight]` / `,`. */
export type Body =
  | { kind: 'terms'; terms: Term[] } // most commands: varlists, names, strings
  | { kind: 'gen'; type?: string; target: VarRef; expr: Expr } // gen / replace NAME = EXPR
  | { kind: 'egen'; type?: string; target: VarRef; func: string; funcRange: Range; args: Term[]; argsRange: Range } // egen NEW = f(ARGS)
  | { kind: 'define'; target: VarRef; terms: Term[] } // entropy NEW = VARLIST
  | { kind: 'global'; name: string; nameRange: Range; text: string; textRange: Range; terms: Term[] }; // global NAME WORDS...

export interface Weight {
  type: 'aw' | 'fw' | 'pw' | 'iw';
  typeRange: Range;
  expr: VarRef;
  range: Range;
}

/** An observation number of `in`: 1-based from the start, negative from the end (-1 is the last), `f` or `l`. */
export type InBound = number | 'f' | 'l';

/** `in FROM[/TO]`: the rows FROM..TO of the data as it is ordered when the command runs. */
export interface InRange {
  from: InBound;
  to: InBound; // FROM when written without `/`
  range: Range; // from `in` to the last bound
}

export interface Command {
  kind: 'command';
  name: string; // as written (abbreviations resolved by commands.ts)
  nameRange: Range;
  range: Range;
  body: Body;
  ifExpr?: Expr;
  ifRange?: Range; // from `if` to the end of the expression
  weight?: Weight;
  inRange?: InRange; // `in 1/100`, `in -10/l`
  using?: { path: string; range: Range }; // esttab ... using "file"
  options: Option[];
  comma?: Range; // where the option comma is (for completion)
}

/** One logical line: `[prefix:]... command`. Prefixes are `eststo NAME:`, `bysort VARS:`, `placebo ...:`, `quietly:`. */
export interface Statement {
  kind: 'statement';
  range: Range;
  prefixes: Command[];
  command: Command;
}

export interface ParseError {
  message: string;
  range: Range;
}

export interface Program {
  statements: Statement[];
  errors: ParseError[]; // lexing and parsing errors, each with a precise range
  comments: Range[]; // comment ranges (folding, semantic tokens)
}
