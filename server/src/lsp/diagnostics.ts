// The analysis' findings as LSP diagnostics (code and quick-fix data carried along).
import type { Diagnostic } from './lspApi';
import type { CheckDiagnostic } from '../analysis/check';
import { toRange, toSeverity } from './convert';

export function toDiagnostic(d: CheckDiagnostic): Diagnostic {
  return { range: toRange(d.range), severity: toSeverity(d.severity), code: d.code, source: 'panelspec', message: d.message, data: d.data };
}

export function toDiagnostics(ds: CheckDiagnostic[]): Diagnostic[] {
  return ds.map(toDiagnostic);
}
