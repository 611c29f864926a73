// The command registry: every PanelSpec command, how it may be abbreviated (Stata rules: any
// prefix of the full name at least as long as the minimal abbreviation), what its body looks
// like, what it allows, and its options. The parser uses it for body kinds; the language server
// for completion, hover and checks; the runtime for option resolution.

/** What an option's parentheses hold. */
export enum ArgKind {
  /** A flag: no parentheses (`robust`, `replace`, `detail`). */
  None = 'none',
  Varlist = 'varlist',
  Var = 'var',
  NewVar = 'newvar',
  Integer = 'integer',
  Number = 'number',
  String = 'string',
  /** Several strings (`mtitles("A" "B")`). */
  Strings = 'strings',
  Path = 'path',
  /** `robust` | `cluster VARLIST` (`cl` accepted) | `iid`/`ols`. */
  VceSpec = 'vce',
  /** Two integers, LO HI (`window(-4 5)`). */
  Window = 'window',
  /** Statistic names (`stats(N r2)`, `statistics(mean sd)`). */
  Stats = 'stats',
  /** Fixed effects: variables and interactions `a#b`. */
  FeList = 'felist',
  /** Model or other names (`eststo` names, `order()`). */
  Names = 'names',
  /** Name/label pairs (`rename(x "X" z "Z")`). */
  Pairs = 'pairs',
  /** Free text, kept as written (`star(* 0.10 ** 0.05)`, `fmt(%9.3f)`). */
  Any = 'any',
}

export enum BodyKind {
  /** A term list (varlists, names, strings). */
  Terms = 'terms',
  /** `[type] NAME = EXPR`. */
  Gen = 'gen',
  /** `[type] NAME = FUNC(ARGS)`. */
  Egen = 'egen',
  /** `NAME = VARLIST`. */
  Define = 'define',
  /** `NAME rest of the line`. */
  Global = 'global',
}

export type WeightType = 'aw' | 'fw' | 'pw' | 'iw';

export interface OptionSpec {
  /** Canonical (full) name. */
  name: string;
  /** Minimal abbreviation: any prefix of `name` at least this long is accepted. */
  abbrev: string;
  /** Other accepted spellings (resolved exactly, e.g. `stats` for `statistics`). */
  aliases?: string[];
  arg: ArgKind;
  /** The option must be given. */
  required?: boolean;
  doc: string;
}

export interface SubcommandSpec {
  name: string;
  abbrev: string;
  doc: string;
}

export interface CommandSpec {
  /** Canonical name. */
  name: string;
  /** Minimal abbreviation (Stata's underlining): `reg` for `regress`, `g` for `generate`. */
  abbrev: string;
  /** Other accepted spellings resolved exactly (`bys` for `bysort`). */
  aliases?: string[];
  /** A prefix command: `NAME ...: COMMAND`. */
  prefix: boolean;
  /** The prefix may be written without a colon (`quietly reg y x`). */
  prefixWithoutColon?: boolean;
  body: BodyKind;
  /** The first body term names a subcommand (`export delimited`, `label var`). */
  subcommands?: SubcommandSpec[];
  allowIf: boolean;
  /** Weight types accepted in `[...]`; empty: no weights. */
  weights: WeightType[];
  allowUsing: boolean;
  isEstimation: boolean;
  /** The command name results report, when it differs (`regress` reports as `reg`, `ivreg2` as `ivreghdfe`). */
  reportAs?: string;
  /** One-line syntax, for hover and signature help. */
  syntax: string;
  doc: string;
  options: OptionSpec[];
}

// ---- option helpers (keep the table below readable) ----
const opt = (name: string, abbrev: string, arg: ArgKind, doc: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({ name, abbrev, arg, doc, ...extra });
const vce = (): OptionSpec => opt('vce', 'vce', ArgKind.VceSpec, 'Variance estimator: `vce(robust)` or `vce(cluster VARLIST)` (`cl` accepted).');
const robust = (): OptionSpec => opt('robust', 'r', ArgKind.None, 'Heteroskedasticity-robust (HC1) standard errors.');
const cluster = (): OptionSpec => opt('cluster', 'cl', ArgKind.Varlist, 'Cluster-robust (CR1) standard errors, clustered by VARLIST (several variables: multiway).');
const absorb = (required = false): OptionSpec =>
  opt('absorb', 'a', ArgKind.FeList, 'Fixed effects to absorb: each variable is one set; `a#b` absorbs the interaction.', { required });
const fe = (required = false): OptionSpec => opt('fe', 'fe', ArgKind.FeList, 'Fixed effects to absorb (same as `absorb()`).', { required });
const replaceFlag = (): OptionSpec => opt('replace', 'replace', ArgKind.None, 'Overwrite the file if it exists (without it an existing file is an error).');
const byOpt = (doc: string): OptionSpec => opt('by', 'by', ArgKind.Varlist, doc);
const noconstant = (): OptionSpec => opt('noconstant', 'nocons', ArgKind.None, 'No intercept.');
const level = (): OptionSpec => opt('level', 'level', ArgKind.Number, 'Confidence level of the intervals in percent (default 95), e.g. `level(90)`: ci_low and ci_high, the tables and esttab\'s ci use it.');
const keepsingletons = (): OptionSpec => opt('keepsingletons', 'keepsin', ArgKind.None, 'Keep singleton groups (by default they are dropped iteratively, as reghdfe does).');
const tolerance = (): OptionSpec => opt('tolerance', 'tol', ArgKind.Number, 'Convergence tolerance of the fixed-effects demeaning (default 1e-8).');
const maxiter = (): OptionSpec => opt('maxiter', 'maxit', ArgKind.Integer, 'Iteration limit of the demeaning (default 10000).');
/** Options every regression command takes beside its own. */
const estimationExtras = (): OptionSpec[] => [noconstant(), level(), keepsingletons(), tolerance(), maxiter()];

const ivOptions = (): OptionSpec[] => [
  absorb(),
  { ...fe(), doc: 'Same as `absorb()`.' },
  cluster(),
  robust(),
  vce(),
  opt('first', 'first', ArgKind.None, 'Show the first-stage regressions.'),
  opt('ffirst', 'ffirst', ArgKind.None, 'First-stage statistics (always reported).'),
  opt('small', 'small', ArgKind.None, 'Accepted for Stata compatibility (small-sample corrections are always applied).'),
  ...estimationExtras(),
];

// Estimation takes analytic weights only (model.ts weightsFrom refuses the others; the check says so first).
const ESTIMATION_WEIGHTS: WeightType[] = ['aw'];

const COMMANDS: CommandSpec[] = [
  {
    name: 'use', abbrev: 'use', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'use "FILE" [, clear sheet("NAME") encoding("ENC")]',
    doc: 'Loads a data set: .csv (header row; empty, NA and . are missing), .dta, .xlsx, .parquet. Paths are relative to the spec file.',
    options: [
      opt('clear', 'clear', ArgKind.None, 'Replace the data in memory (accepted for Stata compatibility; loading always replaces).'),
      opt('sheet', 'sheet', ArgKind.String, 'Worksheet of an .xlsx file (default: the first).'),
      opt('encoding', 'enc', ArgKind.String, 'Text encoding of a .csv file (default UTF-8; e.g. "gb18030").'),
    ],
  },
  {
    name: 'xtset', abbrev: 'xtset', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'xtset UNIT TIME [, delta(N)]',
    doc: 'Declares the panel: unit and time variables. Needed by L. F. D. operators and by eventstudy/placebo.',
    options: [
      opt('delta', 'delta', ArgKind.Number, 'Time between periods (default 1).'),
      opt('yearly', 'yearly', ArgKind.None, 'Yearly data (delta 1; accepted for Stata compatibility).'),
    ],
  },
  {
    name: 'tsset', abbrev: 'tsset', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'tsset UNIT TIME',
    doc: 'Same as xtset.',
    options: [opt('delta', 'delta', ArgKind.Number, 'Time between periods (default 1).'), opt('yearly', 'yearly', ArgKind.None, 'Yearly data (accepted for Stata compatibility).')],
  },
  {
    name: 'clear', abbrev: 'clear', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'clear',
    doc: 'Removes the data from memory.',
    options: [],
  },
  {
    name: 'rename', abbrev: 'ren', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'rename OLD NEW',
    doc: 'Renames a variable.',
    options: [],
  },
  {
    name: 'global', abbrev: 'gl', prefix: false, body: BodyKind.Global, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'global NAME WORDS...',
    doc: 'Defines a global macro: `$NAME` (or `${NAME}`) is replaced by WORDS anywhere after this line.',
    options: [],
  },
  {
    name: 'generate', abbrev: 'g', prefix: false, body: BodyKind.Gen, allowIf: true, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'generate [type] NEWVAR = EXPR [if EXPR]',
    doc: 'Creates a new variable from an expression; rows outside `if` are missing.',
    options: [],
  },
  {
    name: 'replace', abbrev: 'replace', prefix: false, body: BodyKind.Gen, allowIf: true, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'replace VAR = EXPR [if EXPR]',
    doc: 'Changes the values of an existing variable (only on rows where `if` holds).',
    options: [],
  },
  {
    name: 'keep', abbrev: 'keep', prefix: false, body: BodyKind.Terms, allowIf: true, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'keep VARLIST  |  keep if EXPR',
    doc: 'Keeps the listed variables, or the rows where EXPR is true.',
    options: [],
  },
  {
    name: 'drop', abbrev: 'drop', prefix: false, body: BodyKind.Terms, allowIf: true, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'drop VARLIST  |  drop if EXPR',
    doc: 'Drops the listed variables, or the rows where EXPR is true.',
    options: [],
  },
  {
    name: 'egen', abbrev: 'egen', prefix: false, body: BodyKind.Egen, allowIf: true, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'egen [type] NEWVAR = FUNC(ARGS) [if EXPR] [, by(VARLIST)]',
    doc: 'Extended generate: group statistics (mean median sd min max total count rank), group(), row-wise rowmean/rowtotal and hhi().',
    options: [byOpt('Compute the function within groups of VARLIST.'), opt('missing', 'miss', ArgKind.None, 'Treat missing values as a group (egen group()).')],
  },
  {
    name: 'bysort', abbrev: 'bys', prefix: true, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'bysort VARLIST [(SORTVARS)]: COMMAND',
    doc: 'Sorts by VARLIST (then SORTVARS) and runs COMMAND within each group; `_n` and `_N` count within the group.',
    options: [],
  },
  {
    name: 'by', abbrev: 'by', prefix: true, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'by VARLIST: COMMAND',
    doc: 'Runs COMMAND within each group of VARLIST (PanelSpec sorts first, as `bysort`).',
    options: [opt('sort', 'sort', ArgKind.None, 'Sort first (always done).')],
  },
  {
    name: 'sort', abbrev: 'sort', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'sort VARLIST',
    doc: 'Sorts the rows by VARLIST (stable).',
    options: [opt('stable', 'stable', ArgKind.None, 'Keep the order of ties (always done).')],
  },
  {
    name: 'summarize', abbrev: 'su', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ['aw', 'fw'], allowUsing: false, isEstimation: false,
    syntax: 'summarize [VARLIST] [if EXPR] [, detail save("FILE") replace title("TEXT")]',
    doc: 'N, mean, standard deviation (n - 1), min and max of each variable; missing values left out.',
    options: [
      opt('detail', 'd', ArgKind.None, 'Also percentiles, skewness and kurtosis.'),
      opt('save', 'save', ArgKind.Path, 'Also write the table to FILE (.md .tex .html .csv .docx .txt); with `replace` to overwrite.'),
      replaceFlag(),
      opt('title', 'title', ArgKind.String, 'Title of the saved table.'),
      opt('meanonly', 'meano', ArgKind.None, 'Accepted for Stata compatibility (the full summary is computed).'),
      opt('format', 'for', ArgKind.None, 'Accepted for Stata compatibility.'),
      opt('separator', 'sep', ArgKind.Integer, 'Accepted for Stata compatibility.'),
    ],
  },
  {
    name: 'tabstat', abbrev: 'tabstat', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ['aw', 'fw'], allowUsing: false, isEstimation: false,
    syntax: 'tabstat VARLIST [if EXPR] [, statistics(STATS) by(VAR) columns(variables|statistics) vartype("TYPE" VARLIST ...) symbols save("FILE") replace title("TEXT")]',
    doc: 'Table of summary statistics.',
    options: [
      opt('statistics', 's', ArgKind.Stats, 'Statistics to show: n mean sd min max p50 ... (`stats()` accepted).', { aliases: ['stats'] }),
      byOpt('One block of statistics for each value of VAR.'),
      opt('columns', 'c', ArgKind.Names, 'What the columns are: `variables` or `statistics`.'),
      opt('format', 'f', ArgKind.Any, 'Accepted for Stata compatibility.'),
      opt('nototal', 'nototal', ArgKind.None, 'With by(): no Total block.'),
      opt('save', 'save', ArgKind.Path, 'Also write the table to FILE (.md .tex .html .csv .docx .txt), e.g. `save("output/table2.md")`; with `replace` to overwrite.'),
      replaceFlag(),
      opt('title', 'title', ArgKind.String, 'Title of the saved table.'),
      opt('vartype', 'vartype', ArgKind.Any, 'A "Variable type" column, as papers group their descriptive statistics: each text in quotes names the variables after it, e.g. `vartype("Explained variable" y "Control variables" $controls)`.'),
      opt('symbols', 'symbols', ArgKind.None, 'A "Symbol" column: each variable\'s name beside its label.'),
    ],
  },
  {
    name: 'describe', abbrev: 'd', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'describe [VARLIST]',
    doc: 'Lists the variables, their types and labels.',
    options: [opt('short', 'short', ArgKind.None, 'Accepted for Stata compatibility.'), opt('fullnames', 'full', ArgKind.None, 'Accepted for Stata compatibility.')],
  },
  {
    name: 'tabulate', abbrev: 'ta', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ['fw', 'aw'], allowUsing: false, isEstimation: false,
    syntax: 'tabulate VAR [VAR2] [if EXPR]',
    doc: 'Frequency table of one variable, or cross-table of two.',
    options: [
      opt('missing', 'm', ArgKind.None, 'Count missing values as a category.'),
      opt('nofreq', 'nofreq', ArgKind.None, 'Accepted for Stata compatibility.'),
      opt('row', 'row', ArgKind.None, 'Accepted for Stata compatibility.'),
      opt('column', 'col', ArgKind.None, 'Accepted for Stata compatibility.'),
    ],
  },
  {
    name: 'entropy', abbrev: 'entropy', prefix: false, body: BodyKind.Define, allowIf: true, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'entropy NEWVAR = VARLIST [if EXPR] [, negative(VARLIST) shift(0.0001) scale(100)]',
    doc: 'Entropy-weight index: min-max normalisation (reversed for negative indicators), entropy weights w_j, NEWVAR = scale * sum w_j x\'_j.',
    options: [
      opt('negative', 'neg', ArgKind.Varlist, 'Indicators where smaller is better (normalised as (max - x)/(max - min)).'),
      opt('shift', 'shift', ArgKind.Number, 'Added to each normalised value before taking shares (default 0.0001).'),
      opt('scale', 'scale', ArgKind.Number, 'Multiplies the index (default 1).'),
    ],
  },
  {
    name: 'export', abbrev: 'export', prefix: false, body: BodyKind.Terms, allowIf: true, weights: [], allowUsing: true, isEstimation: false,
    subcommands: [{ name: 'delimited', abbrev: 'delim', doc: 'Write a .csv file.' }],
    syntax: 'export delimited "FILE.csv" [VARLIST] [if EXPR] [, replace]',
    doc: 'Writes the data (or VARLIST) to a delimited text file.',
    options: [
      replaceFlag(),
      opt('delimiter', 'delim', ArgKind.String, 'Field separator (default ","; "tab" for a tab).'),
      opt('novarnames', 'novarname', ArgKind.None, 'No header row of variable names.'),
      opt('nolabel', 'nolabel', ArgKind.None, 'Write numeric values, not their value labels.'),
      opt('quote', 'quote', ArgKind.None, 'Accepted for Stata compatibility (fields are quoted when needed).'),
    ],
  },
  {
    name: 'label', abbrev: 'la', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    subcommands: [{ name: 'variable', abbrev: 'var', doc: 'Attach a label to a variable.' }],
    syntax: 'label variable VAR "TEXT"',
    doc: 'Labels a variable; esttab with `label` shows labels instead of names.',
    options: [],
  },
  {
    name: 'eststo', abbrev: 'eststo', prefix: true, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'eststo NAME: COMMAND',
    doc: 'Stores the estimation results of COMMAND under NAME, for esttab and the JSON output.',
    options: [],
  },
  {
    name: 'regress', abbrev: 'reg', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ESTIMATION_WEIGHTS, allowUsing: false, isEstimation: true,
    syntax: 'regress DEPVAR [VARLIST] [if EXPR] [weight] [, vce(robust | cluster VAR) noconstant]',
    reportAs: 'reg',
    doc: 'OLS regression.',
    options: [vce(), robust(), cluster(), { ...absorb(), doc: 'Absorb one categorical variable (as areg).' }, ...estimationExtras()],
  },
  {
    name: 'areg', abbrev: 'areg', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ESTIMATION_WEIGHTS, allowUsing: false, isEstimation: true,
    syntax: 'areg DEPVAR [VARLIST] [if EXPR] [weight], absorb(VAR) [vce(robust | cluster VAR)]',
    reportAs: 'reg',
    doc: 'Linear regression absorbing one categorical variable (estimated as reghdfe).',
    options: [absorb(true), vce(), robust(), cluster(), ...estimationExtras()],
  },
  {
    name: 'reghdfe', abbrev: 'reghdfe', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ESTIMATION_WEIGHTS, allowUsing: false, isEstimation: true,
    syntax: 'reghdfe DEPVAR [VARLIST] [if EXPR] [weight], absorb(FE) [vce(robust | cluster VARLIST)]',
    doc: 'Linear regression absorbing several high-dimensional fixed effects (as Stata reghdfe / R fixest::feols).',
    options: [
      absorb(true),
      vce(),
      cluster(),
      robust(),
      { ...fe(), doc: 'Same as `absorb()`.' },
      opt('noabsorb', 'noa', ArgKind.None, 'No fixed effects (a constant only).'),
      ...estimationExtras(),
    ],
  },
  {
    name: 'did', abbrev: 'did', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ESTIMATION_WEIGHTS, allowUsing: false, isEstimation: true,
    syntax: 'did DEPVAR TREAT [VARLIST] [if EXPR] [weight], fe(FE) [cluster(VARLIST)] [robust]',
    doc: 'Two-way fixed-effects difference-in-differences: DEPVAR on the treatment dummy TREAT and controls, absorbing fe().',
    options: [fe(true), { ...absorb(), doc: 'Same as `fe()`.' }, cluster(), robust(), vce(), ...estimationExtras()],
  },
  {
    name: 'ivreghdfe', abbrev: 'ivreghdfe', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ESTIMATION_WEIGHTS, allowUsing: false, isEstimation: true,
    syntax: 'ivreghdfe DEPVAR [VARLIST] (ENDOG = INSTRUMENTS) [VARLIST] [if EXPR] [weight], absorb(FE) [cluster(VARLIST)]',
    doc: '2SLS with absorbed fixed effects; reports first stages, Kleibergen-Paap rk LM and Wald F, Cragg-Donald F.',
    options: ivOptions(),
  },
  {
    name: 'ivreg2', abbrev: 'ivreg2', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ESTIMATION_WEIGHTS, allowUsing: false, isEstimation: true,
    syntax: 'ivreg2 DEPVAR [VARLIST] (ENDOG = INSTRUMENTS) [VARLIST] [if EXPR] [weight] [, cluster(VARLIST) robust]',
    doc: '2SLS (run as ivreghdfe; no fixed effects unless absorb() is given).',
    reportAs: 'ivreghdfe',
    options: ivOptions(),
  },
  {
    name: 'eventstudy', abbrev: 'eventstudy', prefix: false, body: BodyKind.Terms, allowIf: true, weights: ESTIMATION_WEIGHTS, allowUsing: false, isEstimation: true,
    syntax: 'eventstudy DEPVAR [VARLIST] [if EXPR], treat(ADOPTVAR) window(LO HI) ref(K) fe(FE) [cluster(VARLIST)]',
    doc: 'Event study: one dummy per relative period k = TIME - ADOPTVAR in LO..HI except ref(), with two-way fixed effects.',
    options: [
      opt('treat', 'treat', ArgKind.Var, 'Adoption-time variable (missing or 0: never treated).', { required: true }),
      opt('window', 'win', ArgKind.Window, 'Relative periods LO HI (e.g. `window(-4 5)`).', { required: true }),
      opt('ref', 'ref', ArgKind.Integer, 'Reference period, left out (default -1).'),
      opt('time', 'time', ArgKind.Var, 'Time variable (default: the xtset time variable).'),
      fe(),
      { ...absorb(), doc: 'Same as `fe()`.' },
      cluster(),
      robust(),
      vce(),
      ...estimationExtras(),
    ],
  },
  {
    name: 'placebo', abbrev: 'placebo', prefix: true, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'placebo reps(N) units(M) seed(S): did DEPVAR TREAT [VARLIST], fe(...) [cluster(...)]',
    doc: 'Randomisation (placebo) test: N draws of M pseudo-treated units with adoption times drawn from the real ones; reports the distribution of the TREAT coefficient.',
    options: [
      opt('reps', 'rep', ArgKind.Integer, 'Number of draws (default 500).'),
      opt('units', 'uni', ArgKind.Integer, 'Pseudo-treated units per draw (default: as many as really treated).'),
      opt('seed', 'see', ArgKind.Integer, 'Random seed: the same seed gives the same draws.'),
    ],
  },
  {
    name: 'psmatch', abbrev: 'psmatch', prefix: false, body: BodyKind.Terms, allowIf: true, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'psmatch TREAT VARLIST [if EXPR], gen(NEWVAR) [neighbors(1)] [caliper(C)] [by(VAR)]',
    doc: 'Propensity-score matching (logit, nearest neighbour with replacement); NEWVAR marks matched treated rows and the controls used.',
    options: [
      opt('gen', 'gen', ArgKind.NewVar, 'Variable to create: 1 on matched rows, else 0.', { required: true, aliases: ['generate'] }),
      opt('neighbors', 'n', ArgKind.Integer, 'Controls per treated row (default 1).', { aliases: ['neighbours'] }),
      opt('caliper', 'cal', ArgKind.Number, 'Largest allowed score distance.'),
      byOpt('Fit the score and match within groups of VAR (e.g. each year).'),
      opt('pscore', 'ps', ArgKind.NewVar, 'Also keep the propensity score in a new variable.'),
    ],
  },
  {
    name: 'esttab', abbrev: 'esttab', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: true, isEstimation: false,
    syntax: 'esttab [NAMES] [using "FILE"] [, keep(COEFS) drop(COEFS) order(COEFS) b(FMT) se(FMT) star(SYM P ...) ar2 scalars(...) stats(...) indicate("LABEL = PATTERN" ...) mtitles(...) addnotes(...) replace ...]',
    doc: 'Table of stored models (all of them when NAMES is empty). FILE may be .tex .md .html .csv .docx (.rtf: Word).',
    options: [
      opt('keep', 'keep', ArgKind.Varlist, 'Show only these coefficients.'),
      opt('drop', 'drop', ArgKind.Varlist, 'Leave out these coefficients.'),
      opt('order', 'order', ArgKind.Varlist, 'Put these coefficients first, in this order.'),
      opt('rename', 'rename', ArgKind.Pairs, 'Rename coefficients: `rename(old new ...)`.'),
      opt('title', 'title', ArgKind.String, 'Table title.'),
      opt('mtitles', 'mti', ArgKind.Strings, 'Model (column) titles: `mtitles("Baseline" "Controls")`; `mtitles` alone uses the stored model names (default: each dependent variable).'),
      opt('nomtitles', 'nomti', ArgKind.None, 'No model titles row.'),
      replaceFlag(),
      opt('decimals', 'dec', ArgKind.Integer, 'Decimal places of estimates, standard errors and R² (default 4, or the editor setting).'),
      opt('b', 'b', ArgKind.Any, 'Format of the coefficients: `b(%9.4f)`, `b(3)` (3 decimals), `b(%9.3g)` (3 significant digits), `b(%9.2e)`, `b(a3)` (estout\'s adaptive format).'),
      opt('se', 'se', ArgKind.Any, 'Standard errors in parentheses (the default); `se(%9.4f)` sets their format (default: as the coefficients).'),
      opt('t', 't', ArgKind.Any, 't statistics in parentheses instead of standard errors; `t(%9.2f)` sets their format.'),
      opt('p', 'p', ArgKind.Any, 'p-values in parentheses instead of standard errors; `p(%9.3f)` sets their format (default 3 decimals).'),
      opt('ci', 'ci', ArgKind.Any, 'Confidence intervals in brackets instead of standard errors, at each model\'s level() (default 95%); `ci(%9.3f)` sets their format.'),
      opt('star', 'star', ArgKind.Any, 'Significance stars, symbol and level pairs: `star(* 0.10 ** 0.05 *** 0.01)`, `star(+ 0.10 * 0.05)`; a coefficient gets the symbol of the smallest level its p is below (default: the editor setting, * 0.10 ** 0.05 *** 0.01).'),
      opt('nostar', 'nostar', ArgKind.None, 'No significance stars (and no stars note).'),
      opt('label', 'l', ArgKind.None, 'Use variable labels.'),
      opt('stats', 's', ArgKind.Stats, 'The rows under the coefficients, exactly: `stats(N r2 r2_a r2_within N_clust, fmt(%9.0fc 3) labels("Observations" "R²"))` (reghdfe/ivreghdfe e() names: N r2 r2_a r2_p r2_within N_clust N_clust1 N_clust2 df_r rmse F num_singletons widstat cdf idstat idp; also first_f kp_lm sy10 vcov). The last fmt() serves the remaining rows. Overrides r2, ar2, pr2, scalars(), noobs.'),
      opt('r2', 'r2', ArgKind.Any, 'R² row (esttab\'s footer: N, scalars(), then R², adjusted, pseudo); `r2(%9.3f)` sets its format. Any of r2/ar2/pr2/scalars()/noobs replaces the default rows (N, R², within R², clusters, IV tests).'),
      opt('ar2', 'ar2', ArgKind.Any, 'Adjusted R² row; `ar2(%9.3f)` sets its format.'),
      opt('pr2', 'pr2', ArgKind.Any, 'Pseudo R² row (empty for the linear models here); `pr2(fmt)` sets its format.'),
      opt('scalars', 'sca', ArgKind.Any, 'More rows by statistic name, with an optional label: `scalars(r2_within "N_clust Clusters")` (names as in stats()).'),
      opt('sfmt', 'sfmt', ArgKind.Any, 'Formats of the scalars() rows: `sfmt(%9.3f %9.0f)`; the last one serves the rest.'),
      opt('noobs', 'noobs', ArgKind.None, 'No N row.'),
      opt('obslast', 'obslast', ArgKind.None, 'N as the last row instead of the first.'),
      opt('indicate', 'i', ArgKind.Any, 'Yes/No rows: `indicate("City FE = *city*" "Year FE = *year* i.year", labels(Y N))`: "Yes" where the model has a fixed effect or a coefficient matching a pattern (globs; `i.year` for its dummies); matching coefficients leave the table. Replaces the automatic fixed-effect rows.'),
      opt('nonumbers', 'nonum', ArgKind.None, 'No model numbers row.'),
      opt('noconstant', 'nocon', ArgKind.None, 'Leave out the intercept row (`_cons`).'),
      opt('nonotes', 'nonote', ArgKind.None, 'No standard notes (what is in parentheses, the stars legend); addnotes() still show.'),
      opt('addnotes', 'addn', ArgKind.Any, 'Lines added under the table: `addnotes("Clustered by city." "Line 2")`.'),
      opt('format', 'format', ArgKind.Any, 'Number format, e.g. `fmt(%9.3f)` or `fmt(3)` (sets the decimal places of everything).', { aliases: ['fmt'] }),
      opt('append', 'append', ArgKind.None, 'Accepted for Stata compatibility.'),
      opt('booktabs', 'booktabs', ArgKind.None, 'Accepted for Stata compatibility (LaTeX tables use booktabs rules).'),
      opt('compress', 'compress', ArgKind.None, 'Accepted for Stata compatibility.'),
      opt('nogaps', 'nogap', ArgKind.None, 'Accepted for Stata compatibility.'),
    ],
  },
  {
    name: 'coefplot', abbrev: 'coefplot', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'coefplot [NAMES] [, keep(COEFS) drop(COEFS) rename(old new ...) vertical xline(#) yline(#) levels(#) title("TEXT") nolabels]',
    doc: 'Plots the point estimates and confidence intervals of stored models (Ben Jann\'s coefplot): one marker style per model with a legend, coefficients on the y axis (`vertical`: on the x axis). Intervals use each model\'s own t distribution and degrees of freedom; `graph export "FILE.svg"` writes the plot.',
    options: [
      opt('keep', 'keep', ArgKind.Varlist, 'Plot only these coefficients (names or globs such as `x*`).'),
      opt('drop', 'drop', ArgKind.Varlist, 'Leave out these coefficients (e.g. `drop(_cons)`).'),
      opt('rename', 'rename', ArgKind.Pairs, 'Rename coefficients: `rename(old new ...)` (or `old = new`); equal new names share one row across models.'),
      opt('vertical', 'vert', ArgKind.None, 'Coefficients along the x axis, estimates on the y axis.'),
      opt('horizontal', 'hor', ArgKind.None, 'Coefficients along the y axis (the default).'),
      opt('xline', 'xline', ArgKind.Any, 'Reference line(s) at these x values, e.g. `xline(0)` (horizontal plots: the estimate axis).'),
      opt('yline', 'yline', ArgKind.Any, 'Reference line(s) at these y values, e.g. `yline(0)` (vertical plots: the estimate axis).'),
      opt('levels', 'level', ArgKind.Number, 'Confidence level of the intervals in percent (default 95), e.g. `levels(90)`.'),
      opt('title', 'title', ArgKind.String, 'Plot title.'),
      opt('label', 'l', ArgKind.None, 'Variable labels on the coefficient axis (the default, as coefplot).'),
      opt('nolabels', 'nolabel', ArgKind.None, 'Coefficient names instead of variable labels.'),
    ],
  },
  {
    name: 'graph', abbrev: 'gr', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    subcommands: [{ name: 'export', abbrev: 'export', doc: 'Write the most recent event-study, placebo or coefplot plot to an .svg file.' }],
    syntax: 'graph export "FILE.svg" [, replace]',
    doc: 'Exports the plot of the most recent eventstudy (coefficients with 95% intervals), placebo (histogram of the draws) or coefplot result to an SVG file (fixed colours on white).',
    options: [replaceFlag()],
  },
  {
    name: 'quietly', abbrev: 'qui', prefix: true, prefixWithoutColon: true, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    syntax: 'quietly[:] COMMAND',
    doc: 'Runs COMMAND without printing its output (results are still stored).',
    options: [],
  },
  {
    name: 'set', abbrev: 'set', prefix: false, body: BodyKind.Terms, allowIf: false, weights: [], allowUsing: false, isEstimation: false,
    subcommands: [{ name: 'seed', abbrev: 'seed', doc: 'Seed of the random-number generator.' }],
    syntax: 'set seed N',
    doc: 'Sets a setting; `set seed N` fixes the random-number stream.',
    options: [],
  },
];

const byName = new Map<string, CommandSpec>();
for (const c of COMMANDS) {
  byName.set(c.name, c);
  for (const a of c.aliases ?? []) byName.set(a, c);
}

/** Stata abbreviation rule: `written` is a prefix of `full` no shorter than `abbrev`. */
export function matchesAbbrev(written: string, full: string, abbrev: string): boolean {
  return written.length >= abbrev.length && written.length <= full.length && full.startsWith(written) && written.startsWith(abbrev);
}

/** The command `written` denotes (`reg`, `regr`, `regress` -> regress; `g`, `gen` -> generate). */
export function resolveCommand(written: string): CommandSpec | undefined {
  const exact = byName.get(written);
  if (exact) return exact;
  for (const c of COMMANDS) if (matchesAbbrev(written, c.name, c.abbrev)) return c;
  return undefined;
}

/** The option `written` denotes for `cmd` (`cl` -> cluster, `a` -> absorb, `stats` -> statistics). */
export function resolveOption(cmd: CommandSpec, written: string): OptionSpec | undefined {
  for (const o of cmd.options) if (o.name === written || o.aliases?.includes(written)) return o;
  for (const o of cmd.options) if (matchesAbbrev(written, o.name, o.abbrev)) return o;
  return undefined;
}

/** The subcommand `written` denotes (`var` -> variable for `label`). */
export function resolveSubcommand(cmd: CommandSpec, written: string): SubcommandSpec | undefined {
  return cmd.subcommands?.find((s) => s.name === written || matchesAbbrev(written, s.name, s.abbrev));
}

export function allCommands(): CommandSpec[] {
  return COMMANDS.slice();
}

/** Variance-estimator keywords inside `vce()`. */
export enum VceKind {
  Iid = 'iid',
  Robust = 'robust',
  Cluster = 'cluster',
}
/** `vce(r)`, `vce(robust)`, `vce(cl city)`, `vce(cluster city)`, `vce(ols)`. */
export function resolveVceKeyword(written: string): VceKind | undefined {
  if (matchesAbbrev(written, 'robust', 'r')) return VceKind.Robust;
  if (matchesAbbrev(written, 'cluster', 'cl')) return VceKind.Cluster;
  if (written === 'ols' || written === 'iid' || written === 'unadjusted' || written === 'unadj') return VceKind.Iid;
  return undefined;
}

// ---- functions ----
// Expression functions live in functions.ts (the one list the runtime, the check and completion read).
export { exprFunctions, resolveExprFunction, functionArgKind, arityMessage, type FunctionSpec, type ValueKind } from './functions';

export interface EgenFunctionSpec {
  name: string;
  /** Row-wise over several variables (rowmean, hhi) rather than down a column within by() groups. */
  rowwise: boolean;
  signature: string;
  doc: string;
}

const EGEN_FUNCTIONS: EgenFunctionSpec[] = [
  { name: 'mean', rowwise: false, signature: 'mean(EXPR)', doc: 'Mean of EXPR over the rows of each by() group (all rows without by()).' },
  { name: 'median', rowwise: false, signature: 'median(EXPR)', doc: 'Median within the group.' },
  { name: 'sd', rowwise: false, signature: 'sd(EXPR)', doc: 'Standard deviation (n - 1) within the group.' },
  { name: 'min', rowwise: false, signature: 'min(EXPR)', doc: 'Minimum within the group.' },
  { name: 'max', rowwise: false, signature: 'max(EXPR)', doc: 'Maximum within the group.' },
  { name: 'total', rowwise: false, signature: 'total(EXPR)', doc: 'Sum within the group (missing counts as 0).' },
  { name: 'sum', rowwise: false, signature: 'sum(EXPR)', doc: 'Same as total().' },
  { name: 'count', rowwise: false, signature: 'count(EXPR)', doc: 'Number of non-missing values within the group.' },
  { name: 'rank', rowwise: false, signature: 'rank(EXPR)', doc: 'Rank within the group (ties get the mean rank).' },
  { name: 'group', rowwise: false, signature: 'group(VARLIST)', doc: 'Consecutive integers 1, 2, ... numbering the combinations of VARLIST, in sort order.' },
  { name: 'rowmean', rowwise: true, signature: 'rowmean(VARLIST)', doc: 'Mean of the non-missing values of VARLIST in each row.' },
  { name: 'rowtotal', rowwise: true, signature: 'rowtotal(VARLIST)', doc: 'Sum of VARLIST in each row (missing counts as 0).' },
  { name: 'rowmin', rowwise: true, signature: 'rowmin(VARLIST)', doc: 'Smallest non-missing value of VARLIST in each row.' },
  { name: 'rowmax', rowwise: true, signature: 'rowmax(VARLIST)', doc: 'Largest non-missing value of VARLIST in each row.' },
  { name: 'rowsd', rowwise: true, signature: 'rowsd(VARLIST)', doc: 'Standard deviation of the non-missing values of VARLIST in each row.' },
  { name: 'rownonmiss', rowwise: true, signature: 'rownonmiss(VARLIST)', doc: 'Number of non-missing values of VARLIST in each row.' },
  { name: 'rowmiss', rowwise: true, signature: 'rowmiss(VARLIST)', doc: 'Number of missing values of VARLIST in each row.' },
  { name: 'hhi', rowwise: true, signature: 'hhi(VARLIST)', doc: 'Row-wise Herfindahl index: sum of squared shares x_j / sum(x).' },
];

export function egenFunctions(): EgenFunctionSpec[] {
  return EGEN_FUNCTIONS.slice();
}
export function resolveEgenFunction(name: string): EgenFunctionSpec | undefined {
  return EGEN_FUNCTIONS.find((f) => f.name === name);
}
