// Semantic tokens: commands, options, variables (known, unknown, newly defined), globals, model
// names, strings, numbers, comments and operators, from the analysis' node list (no re-lexing).
import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from './lspApi';
import type { Range } from '../../../grammar/src/ast';
import type { DocAnalysis } from './documents';

export const TOKEN_TYPES = ['keyword', 'property', 'variable', 'macro', 'string', 'number', 'comment', 'operator', 'function', 'class', 'parameter'] as const;
// `unknown` (a custom modifier) marks a variable the scope does not know; the diagnostic explains it
export const TOKEN_MODIFIERS = ['declaration', 'defaultLibrary', 'unknown'] as const;
export const legend: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

type TokenType = (typeof TOKEN_TYPES)[number];
const typeIndex = (t: TokenType): number => TOKEN_TYPES.indexOf(t);
const MOD_DECL = 1;
const MOD_UNKNOWN = 4;

interface Tok {
  range: Range;
  type: TokenType;
  mods: number;
}

export function semanticTokens(a: DocAnalysis): SemanticTokens {
  const toks: Tok[] = [];
  a.program.statements.forEach((_, i) => {
    const scope = a.scope.before[i];
    for (const n of a.nodes(i)) {
      switch (n.kind) {
        case 'command':
          toks.push({ range: n.range, type: 'keyword', mods: 0 });
          break;
        case 'option':
          toks.push({ range: n.range, type: 'property', mods: 0 });
          break;
        case 'variable': {
          const unknown = scope.varsKnown && !scope.vars.has(n.name) && n.role !== 'new' && !/^_[nN]$/.test(n.name) && !n.name.includes('*');
          toks.push({ range: n.range, type: 'variable', mods: (n.role === 'new' ? MOD_DECL : 0) | (unknown ? MOD_UNKNOWN : 0) });
          break;
        }
        case 'global':
          toks.push({ range: n.range, type: 'macro', mods: 0 });
          break;
        case 'model':
          toks.push({ range: n.range, type: 'class', mods: n.defining ? MOD_DECL : 0 });
          break;
        case 'path':
        case 'string':
          toks.push({ range: n.range, type: 'string', mods: 0 });
          break;
        case 'number':
          toks.push({ range: n.range, type: 'number', mods: 0 });
          break;
        case 'operator':
          toks.push({ range: n.range, type: 'operator', mods: 0 });
          break;
        case 'function':
          toks.push({ range: n.range, type: 'function', mods: 2 });
          break;
      }
    }
  });
  for (const c of a.program.comments) toks.push({ range: c, type: 'comment', mods: 0 });
  toks.sort((x, y) => x.range.start.offset - y.range.start.offset || y.range.end.offset - x.range.end.offset);

  const lines = a.text.split(/\r\n|\n|\r/);
  const builder = new SemanticTokensBuilder();
  let lastEnd = -1;
  for (const t of toks) {
    if (t.range.start.offset < lastEnd) continue; // overlapping (operator inside a term): keep the first
    if (t.range.end.offset <= t.range.start.offset) continue;
    lastEnd = t.range.end.offset;
    // tokens may not span lines: split multi-line comments
    for (let l = t.range.start.line; l <= t.range.end.line; l++) {
      const from = l === t.range.start.line ? t.range.start.character : 0;
      const to = l === t.range.end.line ? t.range.end.character : (lines[l]?.length ?? 0);
      if (to > from) builder.push(l, from, to - from, typeIndex(t.type), t.mods);
    }
  }
  return builder.build();
}
