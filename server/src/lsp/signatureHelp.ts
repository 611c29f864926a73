// Signature help while typing a command's options: after the comma that starts them, the command's
// options as one signature (`reghdfe , absorb(VAR[#VAR] ...) vce(robust | cluster VARLIST) ...`),
// the one being typed highlighted with its description.
import { MarkupKind, type ParameterInformation, type Position, type SignatureHelp } from './lspApi';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { argText } from '../../../grammar/src/commandHelp';
import { commandInfo, optionInfo } from '../analysis/commands';
import { statementIndexAt } from '../analysis/scope';
import type { DocAnalysis } from './documents';

/** Offset (in `s`) of the first comma outside parentheses and quotes, or -1. */
function optionsComma(s: string): number {
  let depth = 0;
  let quote = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') quote = !quote;
    else if (quote) continue;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) return i;
  }
  return -1;
}

export function signatureHelp(doc: TextDocument, a: DocAnalysis, pos: Position): SignatureHelp | null {
  const offset = doc.offsetAt(pos);
  const st = a.program.statements[statementIndexAt(a.program, pos.line)];
  if (!st || offset < st.range.start.offset || offset > st.range.end.offset + 1) return null;
  const info = commandInfo(st.command.name);
  if (!info || !info.options.length) return null;
  const before = a.text.slice(st.command.range.start.offset, offset);
  const comma = optionsComma(before);
  if (comma < 0) return null;
  // the option being typed: the last word at the top level, possibly with its open parenthesis
  const typed = /([A-Za-z_]\w*)\s*(?:\([^()]*)?$/.exec(before.slice(comma + 1))?.[1];
  const head = `${info.name} , `;
  let label = head;
  const parameters: ParameterInformation[] = [];
  for (const o of info.options) {
    const text = o.name + argText(o.spec.arg);
    if (label !== head) label += ' ';
    parameters.push({ label: [label.length, label.length + text.length], documentation: { kind: MarkupKind.Markdown, value: o.doc } });
    label += text;
  }
  const active = typed ? optionInfo(info, typed) : undefined;
  const activeParameter = active ? info.options.findIndex((o) => o.name === active.name) : undefined;
  return {
    signatures: [{ label, documentation: { kind: MarkupKind.Markdown, value: '```panelspec\n' + info.syntax + '\n```\n\n' + info.doc }, parameters }],
    activeSignature: 0,
    activeParameter: activeParameter !== undefined && activeParameter >= 0 ? activeParameter : undefined,
  };
}
