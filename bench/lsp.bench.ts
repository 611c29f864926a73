// Completion latency with a 1,000,000-row x 20-column CSV loaded: the server runs as its own
// process (as in the editor) and we time 50 completion requests of each kind over stdio; the
// median is printed, not asserted. Uses bench/data/load_1000000x20.csv (made by the data bench),
// or writes a similar file if it is absent.
import { existsSync, mkdirSync, createWriteStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, hoverText, labels } from '../test/lsp/lspClient';

const root = join(__dirname, '..', '..');
const dataDir = join(root, 'bench', 'data');
/** A 1M x 20 CSV from the data bench if there is one (its name changes with its version), else ours. */
function pickFile(): string {
  const found = existsSync(dataDir) ? readdirSync(dataDir).filter((f) => /1000000x20\.csv$/.test(f)).sort() : [];
  return join(dataDir, found[0] ?? 'lsp_1000000x20.csv');
}
const file = pickFile();

async function ensureData(): Promise<void> {
  if (existsSync(file)) return;
  mkdirSync(dataDir, { recursive: true });
  const out = createWriteStream(file);
  out.write('city,year,' + Array.from({ length: 18 }, (_, j) => `x${j + 1}`).join(',') + '\n');
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < 1_000_000; i++) {
    const row = [100000 + Math.floor(i / 18), 2003 + (i % 18), ...Array.from({ length: 18 }, () => (rnd() * 1000 - 500).toFixed(3))];
    if (!out.write(row.join(',') + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  await ensureData();
  const c = new LspClient();
  try {
    await c.initialize();
    const uri = pathToFileURL(join(dataDir, 'lsp_bench.pspec')).href;
    const name = file.slice(dataDir.length + 1);
    const text = `use "${name}"\nxtset city year\nglobal ctrl x1 x2\nreghdfe x3 \nreghdfe x3 x4, \nreghdfe x3 x4, absorb(\n`;
    const t0 = Date.now();
    c.open(uri, text);
    // wait until the dataset is loaded and profiled (the hover on the path says rows × columns)
    let worstDuringLoad = 0;
    for (;;) {
      const s0 = Date.now();
      const h = hoverText(await c.hover(uri, 0, 8));
      worstDuringLoad = Math.max(worstDuringLoad, Date.now() - s0);
      if (/rows ×/.test(h)) break;
      if (/not found|could not/.test(h)) throw new Error(h);
      if (Date.now() - t0 > 120_000) throw new Error('dataset did not load within 120 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`lsp: ${name} loaded and profiled in ${((Date.now() - t0) / 1000).toFixed(2)} s (server process, incl. CSV parse); slowest request while loading ${worstDuringLoad} ms`);
    const cases: [string, number, number][] = [
      ['variables after `reghdfe x3 `', 3, 11],
      ['options after `, `', 4, 15],
      ['variables inside `absorb(`', 5, 22],
      ['commands at line start', 6, 0],
    ];
    for (const [name, line, ch] of cases) {
      const times: number[] = [];
      let n = 0;
      for (let i = 0; i < 50; i++) {
        const s = process.hrtime.bigint();
        const res = await c.completion(uri, line, ch);
        times.push(Number(process.hrtime.bigint() - s) / 1e6);
        n = labels(res).length;
      }
      console.log(`lsp completion, ${name}: median ${median(times).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms over 50 requests (${n} items)`);
    }
    const ht: number[] = [];
    for (let i = 0; i < 50; i++) {
      const s = process.hrtime.bigint();
      await c.hover(uri, 3, 9);
      ht.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    console.log(`lsp hover on a variable: median ${median(ht).toFixed(2)} ms over 50 requests`);
    // the same completion after an edit (a new version: parse + scope + checks again)
    const et: number[] = [];
    for (let i = 0; i < 50; i++) {
      c.change(uri, text + `gen w${i} = x1\n`);
      const s = process.hrtime.bigint();
      await c.completion(uri, 3, 11);
      et.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    console.log(`lsp completion right after an edit (re-analysis): median ${median(et).toFixed(2)} ms over 50 requests`);
  } finally {
    await c.close();
  }
}

main().catch((e) => {
  console.error(`lsp bench failed: ${(e as Error).message}`);
  process.exit(1);
});
