// One walk over a statement that names every piece the editor cares about (command names, option
// names, variables with their role, globals, model names, strings, numbers, operators). Hover,
// semantic tokens and "what is under the cursor" all read this list instead of re-walking the AST.
import type { Statement, Term, Command, Expr, Range, Option } from '../../../grammar/src/ast';
import { canonicalCommand, commandInfo, optionInfo } from './commands';
import { commandOptions } from './options';

export type VarRole = 'depvar' | 'regressor' | 'fe' | 'cluster' | 'new' | 'other';

export type Node =
  | { kind: 'command'; range: Range; cmd: Command; prefix: boolean }
  | { kind: 'option'; range: Range; cmd: Command; option: Option }
  | { kind: 'variable'; range: Range; name: string; role: VarRole; cmd: Command; tsOp?: Range }
  | { kind: 'global'; range: Range; name: string }
  | { kind: 'model'; range: Range; name: string; cmd: Command; defining: boolean }
  | { kind: 'path'; range: Range; path: string; cmd: Command }
  | { kind: 'string'; range: Range }
  | { kind: 'number'; range: Range }
  | { kind: 'operator'; range: Range }
  | { kind: 'function'; range: Range; name: string; cmd: Command };

const ESTIMATION_BODY = new Set(['estimation']);

export function statementNodes(st: Statement): Node[] {
  const out: Node[] = [];
  for (const p of st.prefixes) commandNodes(p, true, out);
  commandNodes(st.command, false, out);
  out.sort((a, b) => a.range.start.offset - b.range.start.offset);
  return out;
}

function commandNodes(cmd: Command, prefix: boolean, out: Node[]): void {
  out.push({ kind: 'command', range: cmd.nameRange, cmd, prefix });
  const info = commandInfo(cmd.name);
  const canon = canonicalCommand(cmd.name);
  const body = cmd.body;
  const terms = (ts: Term[], role: VarRole): void => ts.forEach((t) => term(t, role, cmd, out));
  switch (body.kind) {
    case 'terms': {
      if (info?.body === 'models' || (canon === 'eststo' && prefix)) {
        for (const t of body.terms) {
          if (t.kind === 'var') out.push({ kind: 'model', range: t.nameRange, name: t.name, cmd, defining: canon === 'eststo' });
          else term(t, 'other', cmd, out);
        }
      } else if (info?.body === 'path') {
        for (const t of body.terms) {
          if (t.kind === 'str') out.push({ kind: 'path', range: t.range, path: t.value, cmd });
          else term(t, 'other', cmd, out);
        }
      } else if (info && ESTIMATION_BODY.has(info.body)) {
        let first = true;
        for (const t of body.terms) {
          if (t.kind === 'var' && first) {
            term(t, 'depvar', cmd, out);
            first = false;
          } else {
            term(t, 'regressor', cmd, out);
            if (t.kind !== 'op') first = false;
          }
        }
      } else if (canon === 'label' && body.terms[0]?.kind === 'var') {
        out.push({ kind: 'operator', range: body.terms[0].range });
        terms(body.terms.slice(1), 'other');
      } else if (canon === 'export' && body.terms[0]?.kind === 'var') {
        out.push({ kind: 'operator', range: body.terms[0].range });
        terms(body.terms.slice(1), 'other');
      } else if (info && info.body === 'none') {
        // prefix options written as calls: emitted with the options below
      } else if (info && (info.body === 'name' || info.body === 'free')) {
        for (const t of body.terms) if (t.kind !== 'var') term(t, 'other', cmd, out);
      } else terms(body.terms, 'other');
      break;
    }
    case 'gen':
      term(body.target, canon === 'replace' ? 'other' : 'new', cmd, out);
      expr(body.expr, cmd, out);
      break;
    case 'egen':
      term(body.target, 'new', cmd, out);
      out.push({ kind: 'function', range: body.funcRange, name: body.func, cmd });
      terms(body.args, 'other');
      break;
    case 'define':
      term(body.target, 'new', cmd, out);
      terms(body.terms, 'other');
      break;
    case 'global':
      out.push({ kind: 'global', range: body.nameRange, name: body.name });
      break;
  }
  if (cmd.ifExpr) expr(cmd.ifExpr, cmd, out);
  if (cmd.weight) term(cmd.weight.expr, 'other', cmd, out);
  if (cmd.using) out.push({ kind: 'path', range: cmd.using.range, path: cmd.using.path, cmd });
  for (const o of commandOptions(cmd, info)) {
    out.push({ kind: 'option', range: o.nameRange, cmd, option: o });
    const spec = info ? optionInfo(info, o.name) : undefined;
    const role: VarRole =
      spec && /^(absorb|fe)$/.test(spec.name) ? 'fe' : spec && /^(cluster|vce)$/.test(spec.name) ? 'cluster' : spec?.args === 'newvar' ? 'new' : 'other';
    const args = o.args ?? [];
    if (spec?.args === 'vce' && args[0]?.kind === 'var') {
      out.push({ kind: 'operator', range: args[0].range });
      terms(args.slice(1), 'cluster');
    } else if (spec && (spec.args === 'names' || spec.args === 'string' || spec.args === 'numbers' || spec.args === 'none' || spec.args === 'optional')) {
      for (const t of args) if (t.kind !== 'var') term(t, 'other', cmd, out);
    } else terms(args, role);
  }
}

function term(t: Term, role: VarRole, cmd: Command, out: Node[]): void {
  switch (t.kind) {
    case 'var':
      out.push({ kind: 'variable', range: t.nameRange, name: t.name, role, cmd, tsOp: t.op?.range });
      if (t.op) out.push({ kind: 'operator', range: t.op.range });
      return;
    case 'varrange':
      term(t.from, role, cmd, out);
      term(t.to, role, cmd, out);
      return;
    case 'interact':
      t.parts.forEach((p) => term(p, role, cmd, out));
      return;
    case 'global':
      out.push({ kind: 'global', range: t.range, name: t.name });
      return;
    case 'num':
      out.push({ kind: 'number', range: t.range });
      return;
    case 'str':
      out.push({ kind: 'string', range: t.range });
      return;
    case 'paren':
      t.terms.forEach((x) => term(x, role, cmd, out));
      t.rhs?.forEach((x) => term(x, role === 'regressor' ? 'other' : role, cmd, out));
      return;
    case 'call':
      out.push({ kind: 'function', range: t.nameRange, name: t.name, cmd });
      t.args.forEach((x) => term(x, 'other', cmd, out));
      return;
    case 'op':
      out.push({ kind: 'operator', range: t.range });
      return;
  }
}

function expr(e: Expr, cmd: Command, out: Node[]): void {
  switch (e.kind) {
    case 'num':
      out.push({ kind: 'number', range: e.range });
      return;
    case 'str':
      out.push({ kind: 'string', range: e.range });
      return;
    case 'var':
      out.push({ kind: 'variable', range: e.nameRange, name: e.name, role: 'other', cmd, tsOp: e.op?.range });
      if (e.op) out.push({ kind: 'operator', range: e.op.range });
      return;
    case 'global':
      out.push({ kind: 'global', range: e.range, name: e.name });
      return;
    case 'unary':
      expr(e.arg, cmd, out);
      return;
    case 'binary':
      expr(e.left, cmd, out);
      expr(e.right, cmd, out);
      return;
    case 'call':
      out.push({ kind: 'function', range: e.nameRange, name: e.name, cmd });
      e.args.forEach((a) => expr(a, cmd, out));
      return;
    case 'index':
      out.push({ kind: 'variable', range: e.targetRange, name: e.target, role: 'other', cmd });
      expr(e.index, cmd, out);
      return;
    default:
      return;
  }
}

/** The innermost node whose range contains the offset (ends inclusive, so a cursor just after a word counts). */
export function nodeAt(nodes: Node[], offset: number): Node | undefined {
  let best: Node | undefined;
  for (const n of nodes) {
    if (n.range.start.offset <= offset && offset <= n.range.end.offset) {
      if (!best || n.range.end.offset - n.range.start.offset <= best.range.end.offset - best.range.start.offset) best = n;
    }
  }
  return best;
}
