// The data viewer on a 1,000,000-row x 20-column CSV, through the language server as the editor
// runs it (`node dist/cli.js lsp --stdio`): the first `panelspec/data` page (the time until the
// viewer can show rows, including loading the CSV and running the data steps in the worker), then
// 50 scroll requests at random offsets, then sorting by a column. Prints medians; asserts nothing.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../test/lsp/lspClient';

const root = join(__dirname, '..', '..');
const dataDir = join(root, 'bench', 'data');
const LIMIT = 200;

interface Page {
  columns: { name: string }[];
  rows: (number | string | null)[][];
  total: number;
  offset: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Seeded so two runs scroll to the same offsets. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const s = process.hrtime.bigint();
  const v = await f();
  return [v, Number(process.hrtime.bigint() - s) / 1e6];
}

async function main(): Promise<void> {
  const found = existsSync(dataDir) ? readdirSync(dataDir).filter((f) => /1000000x20\.csv$/.test(f)).sort() : [];
  if (!found.length) {
    console.log(`data viewer bench: no 1M x 20 CSV under ${dataDir}; run the load bench first (npm run bench)`);
    return;
  }
  const name = found[0];
  const c = new LspClient();
  try {
    await c.initialize();
    const uri = pathToFileURL(join(dataDir, 'dataviewer_bench.pspec')).href;
    c.open(uri, `use "${name}"\n`);
    const req = (extra: object) => c.request<Page>('panelspec/data', { uri, offset: 0, limit: LIMIT, ...extra });

    const [first, tFirst] = await timed(() => req({}));
    if (first.rows.length !== Math.min(LIMIT, first.total)) throw new Error(`first page has ${first.rows.length} rows of ${first.total}`);
    console.log(`data viewer: first page of ${name} (${first.total.toLocaleString('en')} rows x ${first.columns.length} cols, ${LIMIT} rows) in ${(tFirst / 1000).toFixed(2)} s (server process: CSV load + data steps + page)`);

    const r = rng(2026);
    const scroll: number[] = [];
    for (let i = 0; i < 50; i++) {
      const offset = Math.floor(r() * (first.total - LIMIT));
      const [page, t] = await timed(() => req({ offset }));
      if (page.offset !== offset || page.rows.length !== LIMIT) throw new Error(`scroll to ${offset} gave ${page.rows.length} rows at ${page.offset}`);
      scroll.push(t);
    }
    console.log(`data viewer scroll (${LIMIT} rows at a random offset): median ${median(scroll).toFixed(2)} ms, max ${Math.max(...scroll).toFixed(2)} ms over 50 requests`);

    const column = first.columns.find((col) => /^x\d+$/.test(col.name))?.name ?? first.columns[0].name;
    const [, tSort] = await timed(() => req({ sort: { column } }));
    const sorted: number[] = [];
    for (let i = 0; i < 20; i++) {
      const offset = Math.floor(r() * (first.total - LIMIT));
      sorted.push((await timed(() => req({ offset, sort: { column } })))[1]);
    }
    const [, tDesc] = await timed(() => req({ sort: { column, descending: true } }));
    console.log(`data viewer sort by ${column}: first sorted page ${tSort.toFixed(0)} ms (builds the row order), descending ${tDesc.toFixed(0)} ms; later sorted pages median ${median(sorted).toFixed(2)} ms over 20`);

    const [f1, tFilter] = await timed(() => req({ filter: 'd1 == 3 & year >= 2015', profile: true }));
    console.log(`data viewer filter (d1 == 3 & year >= 2015, with profiles): first page of ${f1.total.toLocaleString('en')} matching rows in ${tFilter.toFixed(0)} ms`);

    // The editor's case: the spec is open, so the server has the dataset loaded when the viewer asks.
    // Specs that only name it (use, xtset) are shown from memory; one with a gen runs its steps in a
    // worker on a copy. Each spec text is new to the viewer's cache, so every open runs its steps.
    const reopen = async (steps: string, k: number): Promise<number> => {
      const u = pathToFileURL(join(dataDir, `dataviewer_bench_${k}.pspec`)).href;
      c.open(u, `use "${name}"\n${steps}\n`);
      const [page, t] = await timed(() => c.request<Page>('panelspec/data', { uri: u, offset: 0, limit: LIMIT, profile: true }));
      if (page.rows.length !== LIMIT) throw new Error(`reopen gave ${page.rows.length} rows`);
      return t;
    };
    let k = 0;
    const light: number[] = [];
    const heavy: number[] = [];
    for (let i = 0; i < 5; i++) {
      light.push(await reopen(`xtset city year\nglobal g${i} x1`, k++));
      heavy.push(await reopen(`xtset city year\ngen r${i} = x1 * ${i + 1}`, k++));
    }
    console.log(`data viewer, dataset already loaded: use + xtset ${median(light).toFixed(0)} ms median (in memory); use + xtset + gen ${median(heavy).toFixed(0)} ms median (steps in a worker on a copy); 5 each, first page with profiles`);
  } finally {
    await c.close();
  }
}

main().catch((e) => {
  console.error(`data viewer bench failed: ${(e as Error).message}`);
  process.exit(1);
});
