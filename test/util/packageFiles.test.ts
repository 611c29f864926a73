// What the .vsix Details page shows: the package README (media/README.md, given to vsce with
// --readme-path) with no images to break and no developer set-up, a 128x128 PNG icon, a changelog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

test('package README: for users, no images, every command it names exists', () => {
  const md = readFileSync(join(ROOT, 'media', 'README.md'), 'utf8');
  assert.doesNotMatch(md, /!\[[^\]]*\]\(/, 'no images (the Details page of a .vsix cannot resolve them)');
  assert.doesNotMatch(md, /npm (ci|test|run)|scripts\/|code-server/, 'no developer set-up');
  const titles: string[] = pkg.contributes.commands.map((c: { title: string }) => c.title);
  for (const row of md.matchAll(/^\| ([A-Z][^|]+?) \| /gm)) if (!/^Palette/.test(row[1])) assert.ok(titles.some((t) => t.startsWith(row[1])), `command "${row[1]}" in the package README`);
  assert.match(readFileSync(join(ROOT, 'scripts', 'package-vsix.sh'), 'utf8'), /--readme-path media\/README\.md/);
});

test('icon: a 128x128 PNG named by package.json; a changelog with this version', () => {
  assert.equal(pkg.icon, 'media/icon.png');
  const png = readFileSync(join(ROOT, pkg.icon));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  assert.ok(existsSync(join(ROOT, 'CHANGELOG.md')));
  assert.match(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'), new RegExp(`^## ${pkg.version.replace(/\./g, '\\.')}$`, 'm'));
});
