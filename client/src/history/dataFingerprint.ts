// The fingerprint of a data file a run read, for the results history: size, modification time and
// a SHA-256 of the bytes. The whole file is hashed up to FULL_HASH_LIMIT (a 150 MB CSV takes well
// under a second, off the run's path); above it only the first MiB is, and the record says so
// (scope 'first-1MiB': size and mtime then stand for the rest).

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { DataFingerprint } from './runRecord';

export const FULL_HASH_LIMIT = 512 * 1024 * 1024;
const FIRST_BYTES = 1024 * 1024;

export async function fingerprint(file: string, baseDir: string, fullLimit = FULL_HASH_LIMIT): Promise<DataFingerprint> {
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  try {
    const st = await stat(path);
    const base = { file, path, size: st.size, mtime: st.mtime.toISOString() };
    if (st.size <= fullLimit) return { ...base, sha256: await hashWhole(path), scope: 'full' };
    return { ...base, sha256: await hashFirst(path, FIRST_BYTES), scope: 'first-1MiB' };
  } catch (e) {
    return { file, path, missing: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
}

function hashWhole(path: string): Promise<string> {
  return new Promise((ok, fail) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => h.update(chunk))
      .on('error', fail)
      .on('end', () => ok(h.digest('hex')));
  });
}

async function hashFirst(path: string, n: number): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return createHash('sha256').update(buf.subarray(0, bytesRead)).digest('hex');
  } finally {
    await fh.close();
  }
}
