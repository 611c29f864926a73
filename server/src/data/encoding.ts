// Turns the raw bytes of a text file into UTF-8 bytes the CSV parser can scan: strips a BOM,
// decodes UTF-16 (BOM) and GB18030/GBK (files that are not valid UTF-8, as Chinese statistical
// yearbook exports usually are) or an explicit encoding, and rejects binary files.
import { isUtf8 } from 'node:buffer';
import * as iconv from 'iconv-lite';
import { DataError } from './errors';

export interface DecodedText {
  bytes: Buffer; // UTF-8, no BOM
  encoding: string; // what the file was read as
  warnings: string[];
}

const UTF8_NAMES = new Set(['utf8', 'utf-8']);

function looksBinary(buf: Buffer): string | undefined {
  if (buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 3 && buf[3] === 4)
    return 'a zip archive (an .xlsx workbook saved under another name?)';
  if (buf.length >= 4 && buf.toString('latin1', 0, 4) === 'PAR1') return 'a Parquet file';
  if (buf.length >= 11 && buf.toString('latin1', 0, 11) === '<stata_dta>') return 'a Stata .dta file';
  const nul = buf.indexOf(0);
  if (nul >= 0) return `binary data (a NUL byte at offset ${nul})`;
  // Control characters other than tab/CR/LF/FF are not text either.
  const n = Math.min(buf.length, 65536);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = buf[i];
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) bad++;
  }
  if (bad > n / 100) return 'binary data (control characters)';
  return undefined;
}

/** `use ..., encoding(NAME)`: a problem with NAME, or undefined when it can be decoded (checker and reader agree). */
export function encodingProblem(name: string): string | undefined {
  return UTF8_NAMES.has(name.toLowerCase()) || iconv.encodingExists(name) ? undefined : `unknown encoding "${name}"`;
}

export function decodeText(buf: Buffer, file: string, explicit?: string): DecodedText {
  const warnings: string[] = [];
  if (explicit && !UTF8_NAMES.has(explicit.toLowerCase())) {
    const problem = encodingProblem(explicit);
    if (problem) throw new DataError(problem, { code: 'bad-argument', file });
    const text = iconv.decode(buf, explicit); // strips a BOM of that encoding
    return { bytes: Buffer.from(text, 'utf8'), encoding: explicit.toLowerCase(), warnings };
  }
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    const rest = buf.subarray(3);
    if (!isUtf8(rest)) throw new DataError('file starts with a UTF-8 byte-order mark but is not valid UTF-8', { code: 'encoding', file });
    return { bytes: rest, encoding: 'utf-8', warnings };
  }
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    const enc = buf[0] === 0xff ? 'utf-16le' : 'utf-16be';
    return { bytes: Buffer.from(iconv.decode(buf, enc), 'utf8'), encoding: enc, warnings };
  }
  const binary = looksBinary(buf);
  if (binary) throw new DataError(`not a text file: looks like ${binary}`, { code: 'binary', file });
  if (explicit || isUtf8(buf)) return { bytes: buf, encoding: 'utf-8', warnings };
  // Not UTF-8: GB18030 is a superset of GBK/GB2312, the usual encoding of Chinese exports. Real
  // GBK text decodes without a single invalid sequence; Western single-byte text (é, ü before a
  // comma or line end) does not, and is then read as Windows-1252.
  const gb = iconv.decode(buf, 'gb18030');
  // Big5 (Taiwan, Hong Kong) bytes are mostly valid GBK too, but read as GBK they land on kana,
  // Greek, private-use and rare extension characters: compare how plausible each reading is
  if (big5Likelier(buf)) {
    const b5 = iconv.decode(buf, 'big5');
    if (b5.indexOf('\ufffd') < 0) {
      warnings.push('file is not valid UTF-8; read as Big5 (traditional Chinese). Pass an explicit encoding if that is wrong.');
      return { bytes: Buffer.from(b5, 'utf8'), encoding: 'big5', warnings };
    }
  }
  if (gb.indexOf('\ufffd') < 0) {
    warnings.push('file is not valid UTF-8; read as GB18030 (GBK). Pass an explicit encoding if that is wrong.');
    return { bytes: Buffer.from(gb, 'utf8'), encoding: 'gb18030', warnings };
  }
  warnings.push('file is neither UTF-8 nor GBK; read as Windows-1252 (Latin-1). Pass an explicit encoding if that is wrong.');
  return { bytes: Buffer.from(iconv.decode(buf, 'windows-1252'), 'utf8'), encoding: 'windows-1252', warnings };
}

/**
 * True when the double-byte pairs of `buf` look more like Big5 than GBK. Each reading counts the
 * pairs that fall outside where ordinary text lives: for GBK, the GB2312 hanzi rows (lead B0-F7,
 * trail A1-FE) and its punctuation/full-width rows (A1, A3); for Big5, the frequent hanzi (lead
 * A4-C6) and the symbol rows (A1-A3). Real GBK text scores near zero as GBK, and Big5 text near
 * zero as Big5 (its trail bytes 40-7E alone put a third of its characters outside GB2312).
 */
export function big5Likelier(buf: Buffer): boolean {
  let gbOdd = 0;
  let b5Odd = 0;
  let pairs = 0;
  for (let i = 0; i + 1 < buf.length; i++) {
    const lead = buf[i];
    if (lead < 0x81) continue;
    const trail = buf[i + 1];
    i++; // both encodings are double-byte from a lead >= 0x81
    pairs++;
    const gbHigh = trail >= 0xa1 && trail <= 0xfe;
    if (!((lead >= 0xb0 && lead <= 0xf7 && gbHigh) || ((lead === 0xa1 || lead === 0xa3) && gbHigh))) gbOdd++;
    const b5Trail = (trail >= 0x40 && trail <= 0x7e) || (trail >= 0xa1 && trail <= 0xfe);
    if (!(b5Trail && lead >= 0xa1 && lead <= 0xc6)) b5Odd += lead >= 0xc9 && lead <= 0xf9 && b5Trail ? 0.5 : 1; // C9-F9: valid, less frequent
  }
  return pairs > 0 && b5Odd < gbOdd;
}
