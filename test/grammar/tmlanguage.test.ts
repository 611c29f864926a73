// The TextMate grammar and the language configuration are valid and cover the language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allCommands, egenFunctions, exprFunctions } from '../../grammar/src/index';

const root = join(__dirname, '..', '..', '..');
const grammar = JSON.parse(readFileSync(join(root, 'syntaxes', 'panelspec.tmLanguage.json'), 'utf8'));

/** Every regex in the grammar, with where it is. */
function regexes(node: unknown, path = '', out: [string, string][] = []): [string, string][] {
  if (Array.isArray(node)) node.forEach((n, i) => regexes(n, `${path}[${i}]`, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'match' || k === 'begin' || k === 'end') && typeof v === 'string') out.push([`${path}.${k}`, v]);
      else regexes(v, `${path}.${k}`, out);
    }
  }
  return out;
}
test('TextMate grammar: valid JSON, right scope name, compiling regexes', () => {
  assert.equal(grammar.scopeName, 'source.panelspec');
  assert.equal(grammar.name, 'PanelSpec');
  const all = regexes(grammar);
  assert.ok(all.length > 15);
  for (const [where, re] of all) assert.doesNotThrow(() => new RegExp(re, 'u'), `${where}: ${re}`);
  for (const key of ['comments', 'strings', 'globals', 'body', 'statement-start']) assert.ok(grammar.repository[key], key);
});

test('TextMate grammar: every registered command is highlighted as a keyword', () => {
  const starts = grammar.repository['statement-start'].patterns.map((p: { match: string }) => new RegExp(p.match, 'u'));
  for (const c of allCommands()) {
    for (const w of [c.name, c.abbrev]) assert.ok(starts.some((re: RegExp) => re.test(`${w} y x`)), `${w} not highlighted`);
  }
  // but not in the middle of a line, and not as part of a longer word
  assert.ok(!starts.some((re: RegExp) => re.test('  regional y')));
});

test('TextMate grammar: comments, globals, options, operators', () => {
  const comments = grammar.repository.comments.patterns;
  const line = new RegExp(comments.find((p: { name: string }) => p.name === 'comment.line.double-slash.panelspec').match, 'u');
  const star = new RegExp(comments.find((p: { name: string }) => p.name === 'comment.line.star.panelspec').match, 'mu');
  const cont = new RegExp(comments.find((p: { name: string }) => p.name === 'comment.line.continuation.panelspec').match, 'u');
  assert.ok(line.test('sum y // note'));
  assert.ok(!line.test('reg y x /// more'), 'a continuation is not a line comment');
  assert.ok(star.test('* header'));
  assert.ok(star.test('   * indented'));
  assert.ok(!star.test('gen y = a * b'));
  assert.ok(cont.test('reg y x ///'));
  const body = grammar.repository.body.patterns as { match?: string; name?: string }[];
  const option = new RegExp(body.find((p) => p.name === 'entity.name.function.option.panelspec')!.match!, 'u');
  assert.equal(option.exec('reghdfe y x, absorb(city)')?.[1], 'absorb');
  const ts = new RegExp(body.find((p) => p.match?.includes('(L|F|D'))!.match!, 'u');
  assert.ok(ts.test('L2.x'));
  const glob = grammar.repository.globals.patterns.map((p: { match: string }) => new RegExp(p.match, 'u'));
  assert.ok(glob[0].test('${controls}'));
  assert.ok(glob[1].test('$controls'));
});

test('language configuration: comments, brackets, auto-closing quotes', () => {
  const lc = JSON.parse(readFileSync(join(root, 'language-configuration.json'), 'utf8'));
  assert.equal(lc.comments.lineComment, '//');
  assert.deepEqual(lc.comments.blockComment, ['/*', '*/']);
  assert.ok(lc.brackets.some((b: string[]) => b[0] === '(' && b[1] === ')'));
  assert.ok(lc.autoClosingPairs.some((p: { open: string }) => p.open === '"'));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.equal(pkg.contributes.grammars[0].scopeName, grammar.scopeName);
});

test('TextMate grammar: Unicode names (Stata 14+) are names', () => {
  // VS Code's Oniguruma and JavaScript with the u flag agree on \\p{L}
  const body = grammar.repository.body.patterns as { match?: string; name?: string }[];
  const option = new RegExp(body.find((p) => p.name === 'entity.name.function.option.panelspec')!.match!, 'u');
  assert.equal(option.exec('reghdfe y x, 选项(city)')?.[1], '选项');
  const ts = new RegExp(body.find((p) => p.match?.includes('(L|F|D'))!.match!, 'u');
  assert.ok(ts.test('L.收入'));
  const num = new RegExp(body.find((p) => p.name === 'constant.numeric.panelspec')!.match!, 'u');
  assert.equal(num.exec('收入2 3')?.[0], '3', 'digits inside a Unicode name are not a number');
  const glob = grammar.repository.globals.patterns.map((p: { match: string }) => new RegExp(p.match, 'u'));
  assert.equal(glob[1].exec('$控制变量 x')?.[2], '控制变量');
  const storage = new RegExp(body.find((p) => p.name === 'storage.type.panelspec')!.match!, 'u');
  assert.ok(storage.test('gen double 收入 = 1'));
});

test('TextMate grammar: every expression and egen function of the registry is highlighted', () => {
  const body = grammar.repository.body.patterns as { match?: string; name?: string }[];
  const fn = body.find((p) => p.match?.includes('strpos'));
  assert.ok(fn, 'no function pattern');
  const re = new RegExp(fn!.match!, 'u');
  for (const f of [...exprFunctions(), ...egenFunctions()]) assert.equal(re.exec(`gen y = ${f.name}(x)`)?.[1], f.name, `${f.name} not highlighted`);
});
