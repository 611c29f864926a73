// The module graph of server/, grammar/ and client/ has no import cycles: a cycle means two modules
// that cannot be understood, tested or loaded one without the other. Walks the relative imports
// (value and type-only alike) of every .ts file under the three source trees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'grammar', 'src')) && existsSync(join(dir, 'server', 'src'))) return dir;
    dir = join(dir, '..');
  }
  throw new Error('cannot find the repository root from ' + __dirname);
}

const ROOT = repoRoot();

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'out' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Module specifiers of `import ... from '...'`, `export ... from '...'`, `import('...')` and `import '...'`. */
export function specifiers(source: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
  for (let m = re.exec(source); m; m = re.exec(source)) out.push(m[1]);
  return out;
}

function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const c of [base + '.ts', join(base, 'index.ts'), base]) if (existsSync(c) && c.endsWith('.ts')) return c;
  return null;
}

/** Every cycle's files, one list per strongly connected component of more than one file (or a self-import). */
export function importCycles(files: string[], read: (f: string) => string, resolveSpec = resolveLocal): string[][] {
  const edges = new Map<string, string[]>();
  for (const f of files) edges.set(f, specifiers(read(f)).map((s) => resolveSpec(f, s)).filter((t): t is string => t !== null));
  // Tarjan's strongly connected components
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(comp.sort());
    }
  };
  for (const f of files) if (!idx.has(f)) visit(f);
  return cycles;
}

test('the cycle finder sees a cycle through a type-only import and passes a chain', () => {
  const src: Record<string, string> = {
    '/x/a.ts': "import { b } from './b';",
    '/x/b.ts': "import type { A } from './a';\nexport const b = 1;",
    '/x/c.ts': "export { b } from './b';\nimport 'node:fs';",
    '/x/d.ts': "const m = import('./c');",
  };
  const files = Object.keys(src);
  const inMemory = (from: string, spec: string): string | null => (spec.startsWith('./') ? join(dirname(from), spec.slice(2) + '.ts') : null);
  assert.deepEqual(importCycles(files, (f) => src[f], inMemory), [['/x/a.ts', '/x/b.ts']]);
  src['/x/b.ts'] = 'export const b = 1;';
  assert.deepEqual(importCycles(files, (f) => src[f], inMemory), []);
});

test('no import cycles in server/, grammar/ or client/', () => {
  const files = ['server/src', 'grammar/src', 'client/src'].flatMap((d) => tsFiles(join(ROOT, d)));
  assert.ok(files.length > 100, `found only ${files.length} source files`);
  const cycles = importCycles(files, (f) => readFileSync(f, 'utf8'));
  const shown = cycles.map((c) => c.map((f) => relative(ROOT, f)).join(' <-> '));
  assert.deepEqual(shown, [], 'import cycles:\n' + shown.join('\n'));
});
