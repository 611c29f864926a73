// The results history on disk: one folder per spec under the extension's storage (VS Code's
// per-workspace storageUri, else its globalStorageUri; never next to the user's data), one JSON file
// per run and an index of their summaries, so that listing a spec's runs reads one small file.
// At most `maxRuns()` runs per spec are kept: adding one beyond the cap deletes the oldest.
// Plain node:fs, no `vscode`: testable in Node. Writes are serialised and atomic (temp file, rename).

import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunRecord, type RunSummary, RUN_ID_PATTERN, isRunRecord, summarize } from './runRecord';

interface IndexFile {
  uri: string;
  runs: RunSummary[]; // oldest first
}

export class HistoryStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly root: string, // e.g. <storageUri>/history
    private readonly maxRuns: () => number,
  ) {}

  /** The folder of one spec's runs: its file name (readable) and a hash of its uri (unique). */
  folderOf(uri: string): string {
    const base = (uri.split(/[/\\]/).pop() ?? 'spec').replace(/\.pspec$/i, '').replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40) || 'spec';
    return join(this.root, `${base}-${createHash('sha256').update(uri).digest('hex').slice(0, 16)}`);
  }

  /** Keeps a run; drops the oldest runs of its spec beyond the cap. Returns the ids removed. */
  add(rec: RunRecord): Promise<string[]> {
    return this.serial(async () => {
      const max = this.maxRuns();
      if (max <= 0) return [];
      const dir = this.folderOf(rec.uri);
      await mkdir(dir, { recursive: true });
      await writeAtomic(join(dir, `${rec.id}.json`), JSON.stringify(rec));
      const index = await this.readIndex(rec.uri, dir);
      const runs = [...index.runs.filter((r) => r.id !== rec.id), summarize(rec)].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const dropped = runs.splice(0, Math.max(0, runs.length - max));
      await writeAtomic(join(dir, 'index.json'), JSON.stringify({ uri: rec.uri, runs } satisfies IndexFile));
      for (const d of dropped) await unlink(join(dir, `${d.id}.json`)).catch(() => undefined);
      return dropped.map((d) => d.id);
    });
  }

  /** The spec's runs, newest first. */
  list(uri: string): Promise<RunSummary[]> {
    return this.serial(async () => (await this.readIndex(uri, this.folderOf(uri))).runs.slice().reverse());
  }

  /** One run, or undefined if it is not kept (an id from the webview is checked before it names a file). */
  read(uri: string, id: string): Promise<RunRecord | undefined> {
    if (!RUN_ID_PATTERN.test(id)) return Promise.resolve(undefined);
    return this.serial(async () => {
      const rec = await readJson(join(this.folderOf(uri), `${id}.json`));
      return isRunRecord(rec) && rec.uri === uri && rec.id === id ? rec : undefined;
    });
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The index, rebuilt from the run files when it is missing or unreadable. */
  private async readIndex(uri: string, dir: string): Promise<IndexFile> {
    const index = await readJson(join(dir, 'index.json'));
    if (index && typeof index === 'object' && (index as IndexFile).uri === uri && Array.isArray((index as IndexFile).runs)) {
      return { uri, runs: (index as IndexFile).runs.filter((r) => r && typeof r.id === 'string' && RUN_ID_PATTERN.test(r.id)) };
    }
    const names = await readdir(dir).catch(() => [] as string[]);
    const runs: RunSummary[] = [];
    for (const n of names.filter((f) => RUN_ID_PATTERN.test(f.replace(/\.json$/, ''))).sort()) {
      const rec = await readJson(join(dir, n));
      if (isRunRecord(rec) && rec.uri === uri) runs.push(summarize(rec));
    }
    return { uri, runs };
  }
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

let tmpCounter = 0;
async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
