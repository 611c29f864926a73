// Completion items for the context the lexer found at the cursor (completionContext.ts): commands,
// the dataset's variables (with a one-line profile), a command's options (snippets with parentheses),
// vce keywords, globals, data files, stored models, egen functions. Everything read here is
// precomputed (dataset profiles, scope), so an answer costs microseconds per item.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Position,
} from './lspApi';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { egenFunctions, exprFunctions } from '../../../grammar/src/commands';
import { allCommandInfos, commandInfo } from '../analysis/commands';
import { statementIndexAt, type VarSymbol } from '../analysis/scope';
import { completionContext, type Replace } from './completionContext';
import type { DocAnalysis } from './documents';

const DATA_EXT = /\.(csv|dta|xlsx|parquet)$/i;

export function complete(doc: TextDocument, a: DocAnalysis, pos: Position): CompletionItem[] | CompletionList {
  const offset = doc.offsetAt(pos);
  const ctx = completionContext(a.text, offset);
  const answer = candidates(doc, a, pos, ctx);
  if (ctx.kind === 'none') return answer;
  // Enter at the end of a line must make a new line. VS Code filters an open suggestion list on its
  // own as the user types and Enter accepts its top item, so after `xtset id year` Enter would accept
  // `year` and swallow the newline. Hence: when the word at the cursor already equals a complete
  // candidate and the line ends there, no suggestions (the list closes); and the list is marked
  // incomplete, so VS Code asks again on every keystroke and the close happens while typing.
  const items = Array.isArray(answer) ? answer : answer.items;
  const typed = a.text.slice(ctx.replace.start, offset);
  const lineEndsHere = /^[ \t]*(\r?\n|\r|$)/.test(a.text.slice(offset));
  if (typed && lineEndsHere && (items.some((i) => completes(i, typed)) || (ctx.kind === 'command' && isCommandShorthand(typed))))
    return { isIncomplete: true, items: [] };
  return { isIncomplete: true, items };
}

/** `reg`, `gen`, `su`: a command's usual short name (at least 3 letters, or its alias), already complete. */
function isCommandShorthand(typed: string): boolean {
  const info = commandInfo(typed);
  return !!info && (typed === info.abbrev ? typed.length >= 3 : typed !== info.name && typed.length >= 3);
}

/** The item inserts exactly `typed` (a snippet like `absorb($1)` never equals a typed word). */
function completes(item: CompletionItem, typed: string): boolean {
  const edit = item.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : item.insertText ?? item.label;
  return item.insertTextFormat !== InsertTextFormat.Snippet && edit.trim() === typed;
}

function candidates(doc: TextDocument, a: DocAnalysis, pos: Position, ctx: ReturnType<typeof completionContext>): CompletionItem[] | CompletionList {
  const range = (r: Replace) => ({ start: doc.positionAt(r.start), end: doc.positionAt(r.end) });
  const scope = a.scope.before[statementIndexAt(a.program, pos.line)];
  switch (ctx.kind) {
    case 'none':
      return [];
    case 'command':
      return allCommandInfos().map((c, i) => ({
        label: c.name,
        kind: CompletionItemKind.Keyword,
        detail: c.syntax,
        documentation: { kind: MarkupKind.Markdown, value: c.doc },
        sortText: String(i).padStart(3, '0'),
        filterText: c.name,
        textEdit: { range: range(ctx.replace), newText: c.name },
      }));
    case 'variable': {
      const items: CompletionItem[] = [];
      for (const v of scope.vars.values())
        items.push({
          label: v.name,
          kind: CompletionItemKind.Variable,
          detail: variableDetail(v),
          documentation: v.label ? v.label : undefined,
          textEdit: { range: range(ctx.replace), newText: v.name },
        });
      // in gen/replace/if expressions the registry's functions follow the variables
      if (ctx.role === 'expr')
        for (const f of exprFunctions())
          items.push({
            label: f.name,
            kind: CompletionItemKind.Function,
            detail: f.signature,
            documentation: f.doc,
            sortText: '~' + f.name,
            insertTextFormat: InsertTextFormat.Snippet,
            textEdit: { range: range(ctx.replace), newText: `${f.name}($1)$0` },
          });
      // the dataset is still loading: the list will grow, so the client must ask again as the user types
      if (scope.use?.state.status === 'pending') return { isIncomplete: true, items };
      return items;
    }
    case 'option': {
      const info = commandInfo(ctx.command);
      if (!info) return [];
      return info.options
        .filter((o) => !ctx.used.includes(o.name) || o.name === ctx.prefix)
        .map((o) => {
          const takesArgs = o.args !== 'none';
          return {
            label: o.name,
            kind: CompletionItemKind.Property,
            detail: (takesArgs ? `${o.name}(…)` : o.name) + (o.required ? ' (required)' : ''),
            documentation: { kind: MarkupKind.Markdown, value: o.doc },
            insertTextFormat: takesArgs ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
            textEdit: { range: range(ctx.replace), newText: takesArgs ? `${o.name}($1)$0` : o.name },
            sortText: (o.required ? '0' : '1') + o.name,
            command: takesArgs ? { title: 'suggest', command: 'editor.action.triggerSuggest' } : undefined,
          };
        });
    }
    case 'vce':
      return [
        { label: 'robust', kind: CompletionItemKind.EnumMember, detail: 'heteroskedasticity-robust (HC1)', textEdit: { range: range(ctx.replace), newText: 'robust' } },
        { label: 'cluster', kind: CompletionItemKind.EnumMember, detail: 'cluster VARLIST (CR1)', textEdit: { range: range(ctx.replace), newText: 'cluster ' }, command: { title: 'suggest', command: 'editor.action.triggerSuggest' } },
      ];
    case 'global':
      return [...scope.globals.values()].map((g) => ({
        label: '$' + g.name,
        kind: CompletionItemKind.Constant,
        detail: g.text,
        filterText: '$' + g.name,
        textEdit: { range: range(ctx.replace), newText: '$' + g.name },
      }));
    case 'model':
      return [...scope.models.values()].map((m) => ({
        label: m.name,
        kind: CompletionItemKind.Class,
        detail: `${m.command} (line ${m.line + 1})`,
        textEdit: { range: range(ctx.replace), newText: m.name },
      }));
    case 'egenFunction':
      return egenFunctions().map((f) => ({
        label: f.name,
        kind: CompletionItemKind.Function,
        detail: f.signature,
        documentation: f.doc,
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range: range(ctx.replace), newText: `${f.name}($1)$0` },
      }));
    case 'file':
      return dataFiles(a.dir).map((f) => ({
        label: f,
        kind: CompletionItemKind.File,
        textEdit: { range: range(ctx.replace), newText: f },
      }));
  }
}

/** `num · mean 3.2 · 0 missing`, `str · 12 distinct`, `num · gen (line 5)`. */
export function variableDetail(v: VarSymbol): string {
  const p = v.profile;
  if (!p) return `${v.type === 'string' ? 'str' : 'num'} · created by ${v.origin}${v.definedAt ? ` (line ${v.definedAt.start.line + 1})` : ''}`;
  if (p.kind === 'numeric')
    return `${p.isInteger ? 'int' : 'num'} · mean ${fmt(p.mean)} · ${p.missing} missing${p.label ? ' · ' + p.label : ''}`;
  return `str · ${p.distinct} distinct · ${p.missing} missing${p.label ? ' · ' + p.label : ''}`;
}

export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '.';
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e9 || a < 1e-4)) return x.toExponential(3);
  // at least 5 significant digits, and never round away integer digits (32208.7, not 32210)
  return String(Number(x.toPrecision(Math.min(12, Math.max(5, Math.floor(Math.log10(a || 1)) + 2)))));
}

/** Data files in the spec's folder and its subfolders one level down, as relative paths. */
export function dataFiles(dir: string): string[] {
  const out: string[] = [];
  const list = (d: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      if (n.startsWith('.') || n === 'node_modules') continue;
      const p = join(d, n);
      if (DATA_EXT.test(n)) out.push(relative(dir, p).split('\\').join('/'));
      else if (depth === 0) {
        try {
          if (statSync(p).isDirectory()) list(p, 1);
        } catch {
          /* unreadable entry */
        }
      }
    }
  };
  list(dir, 0);
  return out.sort();
}
