// Public entry of the PanelSpec grammar: parse(), lex(), the AST types and the command registry.
import type { Program } from './ast';
import { parseProgram } from './statements';

export * from './ast';
export * from './commands';
export { lex, tokenAt, tokenIndexBefore, type Token, type TokenName, type Comment, type CommentKind } from './lex';
export { LineIndex } from './positions';

/** Parses PanelSpec text. Never throws: problems come back in `errors`, each with a range. */
export function parse(text: string): Program {
  try {
    return parseProgram(String(text ?? ''));
  } catch (e) {
    // A bug in the parser must not crash the language server or the CLI.
    const end = { line: 0, character: 0, offset: 0 };
    return { statements: [], errors: [{ message: `internal parser error: ${e instanceof Error ? e.message : String(e)}`, range: { start: end, end } }], comments: [] };
  }
}
