// Reading a data file's bytes safely: only a regular file (a FIFO would block the read forever, a
// link to /dev/zero or /dev/urandom would grow without end), at most MAX_DATA_FILE_BYTES, and no
// more bytes than its size said when it was opened (a file still being written stops there).
import { closeSync, fstatSync, openSync, readSync, promises as fsp, statSync, type Stats } from 'node:fs';
import { DataError } from './errors';

/** Largest data file read (bytes): 2 GiB. Larger ones would not fit in memory once parsed. */
export const MAX_DATA_FILE_BYTES = 2 * 1024 ** 3;

/** DataError unless the path (links followed) is a regular file of an allowed size. */
export function checkStats(st: Stats, path: string): void {
  if (!st.isFile()) {
    const what = st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a named pipe (FIFO)' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
    throw new DataError(`is ${what}, not a data file: only regular files are read`, { code: 'unsupported', file: path });
  }
  if (st.size > MAX_DATA_FILE_BYTES)
    throw new DataError(`is ${(st.size / 1024 ** 3).toFixed(1)} GiB; the limit is ${MAX_DATA_FILE_BYTES / 1024 ** 3} GiB`, { code: 'too-large', file: path });
}

export function readDataFileSync(path: string): Buffer {
  // stat before open: opening a FIFO for reading blocks until some writer appears
  checkStats(statSync(path), path);
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    checkStats(st, path); // the path may have been replaced in between
    const buf = Buffer.allocUnsafe(st.size);
    let got = 0;
    while (got < st.size) {
      const k = readSync(fd, buf, got, st.size - got, got);
      if (k === 0) break;
      got += k;
    }
    return got === st.size ? buf : buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** `alloc` gives the buffer for the file's size (the two-thread CSV parse reads into shared memory). */
export async function readDataFile(path: string, alloc: (size: number) => Buffer = Buffer.allocUnsafe): Promise<Buffer> {
  checkStats(await fsp.stat(path), path);
  const h = await fsp.open(path, 'r');
  try {
    const st = await h.stat();
    checkStats(st, path);
    const buf = alloc(st.size);
    let got = 0;
    while (got < st.size) {
      const { bytesRead } = await h.read(buf, got, st.size - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === st.size ? buf : buf.subarray(0, got);
  } finally {
    await h.close();
  }
}
