// AST ranges (line, character, offset) to LSP ranges, and check severities to LSP severities.
import type { Range as AstRange } from '../../../grammar/src/ast';
import { DiagnosticSeverity, type Range } from './lspApi';
import type { Severity } from '../analysis/check';

export function toRange(r: AstRange): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

export function toSeverity(s: Severity): DiagnosticSeverity {
  switch (s) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'information':
      return DiagnosticSeverity.Information;
    default:
      return DiagnosticSeverity.Hint;
  }
}
