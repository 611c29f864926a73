// Writes the command keywords of the TextMate grammar (syntaxes/panelspec.tmLanguage.json) from the
// command table, so that a new command is highlighted without editing the grammar by hand. Run by
// scripts/build.mjs; the file changes only when the table does.
import { readFileSync, writeFileSync } from 'node:fs';
import { allCommands, type CommandSpec } from '../grammar/src/commands';

/** Every way to write a command: its name, aliases and each abbreviation down to the minimal one (longest first). */
function spellings(c: CommandSpec): string[] {
  const out = new Set<string>([c.name, ...(c.aliases ?? [])]);
  for (let n = c.abbrev.length; n < c.name.length; n++) out.add(c.name.slice(0, n));
  return [...out].sort((a, b) => b.length - a.length || a.localeCompare(b));
}

/** Models and what re-runs or tests them are highlighted as estimation keywords. */
const isModel = (c: CommandSpec) => c.isEstimation || c.prefixRole === 'resample' || (c.lens === true && c.role !== 'models');

export function writeSyntaxKeywords(path: string): boolean {
  const grammar = JSON.parse(readFileSync(path, 'utf8'));
  const patterns = grammar.repository['statement-start'].patterns as { match: string }[];
  const alternation = (cs: CommandSpec[]) => `(?:^|(?<=:))\\s*\\b(${cs.flatMap(spellings).join('|')})\\b`;
  const all = allCommands();
  const next = [alternation(all.filter(isModel)), alternation(all.filter((c) => !isModel(c)))];
  if (patterns[0].match === next[0] && patterns[1].match === next[1]) return false;
  patterns[0].match = next[0];
  patterns[1].match = next[1];
  writeFileSync(path, JSON.stringify(grammar, null, 2) + '\n');
  return true;
}

if (require.main === module) writeSyntaxKeywords(process.argv[2]);
