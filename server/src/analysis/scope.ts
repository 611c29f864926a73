// Which variables, globals, stored models and panel setting are known before each statement of a
// spec: the dataset of the most recent `use`, plus what gen/egen/entropy/psmatch gen()/rename
// created above (minus what drop/keep removed). Built in one pass; checks, completion and hover
// read the snapshot of the statement they are on.
import type { Program, Range, Statement, Term, Command, Expr, VarRef } from '../../../grammar/src/ast';
import type { ColumnProfile, DatasetProfile } from './profile';
import { canonicalCommand } from './commands';
import { ArgKind, resolveCommand, resolveOption, type CommandSpec } from '../../../grammar/src/commands';
import { modelReference } from '../../../grammar/src/bodyShape';
import { stripEnclosingQuotes } from '../../../grammar/src/termText';
import { globalExpr, termsOfText } from './globalExpand';
import { exprKind, type KindEnv } from './exprTypes';
import { VersionedMap } from './versionedMap';
import { isCompressedCsv, isGlob } from '../data/duck/paths';
import { MAX_MACRO_LENGTH, substituteMacros } from '../../../grammar/src/limits';

export type VarOrigin = 'data' | 'gen' | 'egen' | 'entropy' | 'psmatch' | 'rename';

export interface VarSymbol {
  name: string;
  type: 'numeric' | 'string';
  origin: VarOrigin;
  definedAt?: Range; // where gen/egen/... created it
  profile?: ColumnProfile; // from the dataset, for data columns
  label?: string;
  renamedFrom?: string;
  /** `type` is a guess (gen from an expression whose type cannot be known statically): type checks skip it. */
  typeUnsure?: boolean;
}

export interface GlobalSymbol {
  name: string;
  /** The value, with globals inside the definition already expanded (as Stata does) and quotes removed. */
  text: string;
  /** The value read as a variable list (empty when it cannot be read as one). */
  terms: Term[];
  nameRange: Range;
  /** The value cannot be known statically (it uses an undefined global): checks that depend on it are skipped. */
  unknown?: boolean;
  /** The definition would exceed MAX_MACRO_LENGTH (an error at the `global` line; `text` is left empty). */
  tooLong?: boolean;
}

export interface ModelSymbol {
  name: string;
  command: string; // canonical estimation command
  nameRange: Range;
  line: number; // 0-based line of the statement
  statement: Statement;
}

/** The dataset state of a `use`: loaded (profile), failed (error) or still loading. */
export type DatasetState =
  | { status: 'loaded'; profile: DatasetProfile }
  | { status: 'error'; message: string; notFound?: boolean }
  | { status: 'pending' };

export interface UseSymbol {
  /** Opened lazily in DuckDB (the check does not load it). */
  lazy?: boolean;
  written: string;
  resolved: string; // absolute path
  range: Range; // of the path as written
  state: DatasetState;
}

export interface Scope {
  vars: ReadonlyMap<string, VarSymbol>;
  globals: ReadonlyMap<string, GlobalSymbol>;
  models: ReadonlyMap<string, ModelSymbol>;
  xtset?: { unit: string; time: string; range: Range };
  use?: UseSymbol;
  /** True when the variable list is complete (a dataset is loaded): only then are unknown names errors. */
  varsKnown: boolean;
  /** The dataset is lazy (`use ..., lazy`, a glob, a compressed CSV) until `materialize`. */
  lazy?: boolean;
  /** An estimation ran above (or a stored model was restored): there is a current model. */
  hasModel: boolean;
}

export interface ScopeContext {
  /** Absolute path of a `use` argument (resolved against the spec's folder). */
  resolvePath(written: string): string;
  /** What is known of that dataset now. */
  dataset(resolved: string): DatasetState;
}

export interface ProgramScope {
  /** Scope before statement i (i = statements.length: after the last). */
  before: Scope[];
  /** Per statement: the `use` it loads, if it is one. */
  uses: (UseSymbol | undefined)[];
}

/** Commands that change what the scope knows (variables, globals, panel, data): the table's data steps. */
const changesScope = (spec: CommandSpec): boolean => spec.dataStep !== undefined;

/** The scope being built: live maps that later statements change; `before[i]` holds snapshots of them. */
interface LiveScope extends Scope {
  vars: VersionedMap<string, VarSymbol>;
  globals: VersionedMap<string, GlobalSymbol>;
  models: VersionedMap<string, ModelSymbol>;
}

function emptyScope(): LiveScope {
  return { vars: VersionedMap.create(), globals: VersionedMap.create(), models: VersionedMap.create(), varsKnown: false, hasModel: false };
}

/** The scope as it is now, unaffected by later changes (no copy: see versionedMap.ts). */
function snapshot(s: LiveScope): Scope {
  return { ...s, vars: s.vars.snapshot(), globals: s.globals.snapshot(), models: s.models.snapshot() };
}

/** The path a `use`/`import` statement names (quoted string, or a bare word). */
/** `use ..., lazy`, or a path that always opens lazily (a glob, a compressed CSV). Files lazy by size are found when loading. */
export function isLazyUse(cmd: Command, spec: CommandSpec, resolved: string): boolean {
  if (cmd.options.some((o) => resolveOption(spec, o.name)?.name === 'lazy')) return true;
  return isGlob(resolved) || isCompressedCsv(resolved);
}

export function usePath(cmd: Command): { written: string; range: Range } | undefined {
  if (cmd.using) return { written: cmd.using.path, range: cmd.using.range };
  if (cmd.body.kind !== 'terms') return undefined;
  const t = cmd.body.terms.find((x) => x.kind === 'str' || x.kind === 'var');
  if (!t) return undefined;
  return { written: t.kind === 'str' ? t.value : (t as { name: string }).name, range: t.range };
}

/** Replaces `$name` and `${name}` by the global's text (unknown globals are left as written). */
export function expandGlobals(text: string, globals: ReadonlyMap<string, GlobalSymbol>): string {
  const r = substituteMacros(text, (name, written) => globals.get(name)?.text ?? written);
  return r.ok ? r.text : text; // over the limit: left as written (the runtime reports the limit)
}

/**
 * A `global NAME WORDS` definition as the runtime stores it: a quoted value loses its quotes, and
 * globals inside the value expand now (not when NAME is used). A reference to an undefined or
 * unknown global makes the value unknown.
 */
function defineGlobal(b: Extract<Command['body'], { kind: 'global' }>, globals: ReadonlyMap<string, GlobalSymbol>): GlobalSymbol {
  const raw = b.text.trim();
  let text = stripEnclosingQuotes(raw);
  let unknown = false;
  let plain = text === raw;
  if (text.includes('$')) {
    plain = false;
    const r = substituteMacros(text, (name, written) => {
      const g = globals.get(name);
      if (!g || g.unknown) unknown = true;
      return g?.text ?? written;
    });
    // over the limit: the runtime refuses this line; the checker reports it and judges later uses as unknown
    if (!r.ok) return { name: b.name, text: '', terms: [], nameRange: b.nameRange, unknown: true, tooLong: true };
    text = r.text;
  }
  if (text.length > MAX_MACRO_LENGTH) return { name: b.name, text: '', terms: [], nameRange: b.nameRange, unknown: true, tooLong: true };
  const terms = plain ? b.terms : (termsOfText(text) ?? []);
  return { name: b.name, text, terms, nameRange: b.nameRange, unknown: unknown || undefined };
}

/** Names a term list mentions as plain variables (wildcards expanded against `known`). */
export function termVarNames(terms: Term[], known?: Iterable<string>): string[] {
  const out: string[] = [];
  // listed only when a wildcard or a range needs them (listing is linear in the variables)
  let listed: string[] | undefined;
  const all = (): string[] => (listed ??= known ? [...known] : []);
  const visit = (t: Term): void => {
    if (t.kind === 'var') {
      if (t.wildcard) {
        const re = wildcardRegex(t.name);
        for (const k of all()) if (re.test(k)) out.push(k);
      } else out.push(t.name);
    } else if (t.kind === 'varrange') {
      const i = all().indexOf(t.from.name);
      const j = all().indexOf(t.to.name);
      if (i >= 0 && j >= i) out.push(...all().slice(i, j + 1));
      else out.push(t.from.name, t.to.name);
    } else if (t.kind === 'interact') t.parts.forEach(visit);
    else if (t.kind === 'paren') {
      t.terms.forEach(visit);
      t.rhs?.forEach(visit);
    }
  };
  terms.forEach(visit);
  return out;
}

export function wildcardRegex(pattern: string): RegExp {
  return new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
}

/**
 * The type `gen` gives a new variable, as the runtime decides it (exprTypes mirrors the runtime).
 * When it cannot be known (a variable of unsure type, an unreadable `$global`) the variable is
 * entered as numeric but `typeUnsure`, so that no type check leans on the guess.
 */
function genType(e: Expr, scope: Scope): { type: 'numeric' | 'string'; unsure: boolean } {
  const env: KindEnv = {
    varKind: (name) => {
      const v = scope.vars.get(name);
      return !v || v.typeUnsure ? 'unknown' : v.type === 'string' ? 'str' : 'num';
    },
    global: (g) => {
      const sym = scope.globals.get(g.name);
      return sym ? globalExpr(sym, g.range, new WeakMap()) : undefined;
    },
  };
  const k = exprKind(e, env, []);
  return { type: k === 'str' ? 'string' : 'numeric', unsure: k === 'unknown' };
}

function define(scope: LiveScope, name: string, type: 'numeric' | 'string', origin: VarOrigin, at: Range): void {
  scope.vars.set(name, { name, type, origin, definedAt: at });
}

/** Applies one command's effect on the scope (in place), as the command table declares it. */
function apply(scope: LiveScope, st: Statement, cmd: Command, spec: CommandSpec | undefined, use: UseSymbol | undefined): void {
  if (!spec) return;
  if (spec.role === 'path') {
    scope.vars = VersionedMap.create();
    scope.xtset = undefined;
    scope.use = use;
    scope.lazy = use?.lazy;
    scope.varsKnown = use?.state.status === 'loaded';
    if (use?.state.status === 'loaded') {
      for (const c of use.state.profile.columns)
        scope.vars.set(c.name, { name: c.name, type: c.kind, origin: 'data', profile: c, label: c.label, renamedFrom: c.renamedFrom });
    }
    return;
  }
  if (spec.name === 'materialize') scope.lazy = false;
  if (spec.role === 'global') {
    if (cmd.body.kind === 'global') scope.globals.set(cmd.body.name, defineGlobal(cmd.body, scope.globals));
    return;
  }
  if (spec.declaresPanel && cmd.body.kind === 'terms') {
    const vars = cmd.body.terms.filter((t) => t.kind === 'var') as { name: string }[];
    if (vars.length >= 1) scope.xtset = { unit: vars[0].name, time: vars[1]?.name ?? '', range: cmd.range };
  }
  if (spec.createsTarget) createTarget(scope, cmd, spec);
  // every option that names a new variable creates it (psmatch's gen() and pscore())
  for (const o of cmd.options) {
    const opt = resolveOption(spec, o.name);
    const t = opt?.arg === ArgKind.NewVar ? o.args?.find((x) => x.kind === 'var') : undefined;
    if (t && t.kind === 'var') define(scope, t.name, 'numeric', spec.name as VarOrigin, t.nameRange);
  }
  if (spec.selects && !cmd.ifExpr && cmd.body.kind === 'terms' && cmd.body.terms.length) {
    const names = new Set(termVarNames(cmd.body.terms, scope.vars.keys()));
    if (spec.selects === 'drop') for (const n of names) scope.vars.delete(n);
    else for (const n of [...scope.vars.keys()]) if (!names.has(n)) scope.vars.delete(n);
  }
  if (spec.role === 'rename' && cmd.body.kind === 'terms') {
    const [a, b] = cmd.body.terms;
    const old = a?.kind === 'var' ? scope.vars.get(a.name) : undefined;
    if (old && b?.kind === 'var') {
      scope.vars.delete(old.name);
      scope.vars.set(b.name, { ...old, name: b.name, origin: 'rename', definedAt: b.nameRange, renamedFrom: old.name });
    }
  }
  if (spec.role === 'label' && cmd.body.kind === 'terms') {
    const [kw, v, text] = cmd.body.terms;
    if (kw?.kind === 'var' && /^var/.test(kw.name) && v?.kind === 'var' && text?.kind === 'str') {
      const s = scope.vars.get(v.name);
      if (s) scope.vars.set(v.name, { ...s, label: text.value });
    }
  }
}

/** `gen NEW = EXPR` (typed as the runtime types it), `egen NEW = f()`, `entropy NEW = ...`. */
function createTarget(scope: LiveScope, cmd: Command, spec: CommandSpec): void {
  const b = cmd.body;
  if (b.kind !== 'gen' && b.kind !== 'egen' && b.kind !== 'define') return;
  if (scope.vars.has(b.target.name)) return;
  const origin = spec.name === 'generate' ? 'gen' : (spec.name as VarOrigin);
  if (b.kind !== 'gen') return define(scope, b.target.name, 'numeric', origin, b.target.nameRange);
  if (b.type?.startsWith('str')) return define(scope, b.target.name, 'string', origin, b.target.nameRange);
  const t = genType(b.expr, scope);
  scope.vars.set(b.target.name, { name: b.target.name, type: t.type, origin, definedAt: b.target.nameRange, ...(t.unsure ? { typeUnsure: true } : {}) });
}

/** The eststo name a statement stores its model under, if any. */
export function eststoName(st: Statement): { name: string; range: Range } | undefined {
  for (const p of st.prefixes) {
    if (canonicalCommand(p.name) !== 'eststo' || p.body.kind !== 'terms') continue;
    const t = p.body.terms.find((x) => x.kind === 'var');
    if (t && t.kind === 'var') return { name: t.name, range: t.nameRange };
  }
  return undefined;
}

/**
 * The names a statement stores models under, as the runtime does: `eststo NAME:` stores NAME,
 * a bare `eststo:` stores est1, est2 ..., and a model of several outcomes `(y1 y2)` stores
 * NAME_y1, NAME_y2 (est<k> each when unnamed).
 */
export function storedModels(st: Statement, nextAuto: () => number): { name: string; nameRange: Range }[] {
  const eststo = st.prefixes.find((p) => canonicalCommand(p.name) === 'eststo');
  if (!eststo) return [];
  const named = eststoName(st);
  const first = st.command.body.kind === 'terms' ? st.command.body.terms[0] : undefined;
  const outcomes = first?.kind === 'paren' && !first.rhs ? first.terms.filter((t): t is VarRef => t.kind === 'var') : [];
  if (outcomes.length > 1) return outcomes.map((y) => ({ name: named ? `${named.name}_${y.name}` : `est${nextAuto()}`, nameRange: named?.range ?? eststo.nameRange }));
  if (named) return [{ name: named.name, nameRange: named.range }];
  return [{ name: `est${nextAuto()}`, nameRange: eststo.nameRange }];
}

export function buildScope(program: Program, ctx: ScopeContext): ProgramScope {
  const before: Scope[] = [];
  const uses: (UseSymbol | undefined)[] = [];
  const scope = emptyScope();
  let last: Scope = snapshot(scope);
  let auto = 0; // eststo without a name stores est1, est2 ...
  let current: string | undefined; // the command of the last estimation (the model `estimates store` names)
  for (const st of program.statements) {
    before.push(last);
    const cmd = st.command;
    const spec = resolveCommand(cmd.name);
    const canon = spec?.name;
    // most statements (estimations, summaries) leave the scope as it is: they share the snapshot
    const stores = st.prefixes.some((p) => canonicalCommand(p.name) === 'eststo');
    const modelRef = spec ? modelReference(spec, cmd) : undefined;
    if (!(!spec || changesScope(spec) || stores || (spec.isEstimation && !scope.hasModel) || modelRef)) {
      uses.push(undefined);
      continue;
    }
    let use: UseSymbol | undefined;
    if (spec?.role === 'path') {
      const p = usePath(cmd);
      if (p) {
        // `use "$data/panel.csv"`: globals defined above expand inside the path, as in Stata
        const written = expandGlobals(p.written, scope.globals);
        const resolved = ctx.resolvePath(written);
        // a lazy dataset stays in DuckDB: the check does not load it (its variables are unknown here)
        const lazy = isLazyUse(cmd, spec, resolved);
        use = { written, resolved, range: p.range, state: lazy ? { status: 'pending' } : ctx.dataset(resolved), ...(lazy ? { lazy } : {}) };
      }
    }
    uses.push(use);
    try {
      apply(scope, st, cmd, spec, use);
    } catch {
      // a bug in one statement's effect must not take the whole document's findings with it
    }
    for (const m of storedModels(st, () => ++auto)) scope.models.set(m.name, { ...m, command: canon ?? cmd.name, line: st.range.start.line, statement: st });
    if (spec?.isEstimation) {
      scope.hasModel = true;
      current = canon;
    }
    // `estimates store NAME` names the current model; `estimates restore NAME` of a stored one makes it current
    if (modelRef?.model === 'store' && scope.hasModel) scope.models.set(modelRef.name, { name: modelRef.name, nameRange: modelRef.range, command: current ?? canon!, line: st.range.start.line, statement: st });
    if (modelRef?.model === 'restore' && scope.models.has(modelRef.name)) scope.hasModel = true;
    last = snapshot(scope);
  }
  before.push(last);
  return { before, uses };
}

/** Index of the statement that contains `line`, or of the first statement after it. */
export function statementIndexAt(program: Program, line: number): number {
  const sts = program.statements;
  let lo = 0;
  let hi = sts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sts[mid].range.end.line < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
