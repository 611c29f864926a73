// Minimal .xlsx writer (header row + one row per observation; strings as shared strings).
// Used by tests to make fixtures, and by a future `export excel`.
import { writeFileSync } from 'node:fs';
import { zipSync, strToU8 } from 'fflate';
import { DataError } from './errors';
import type { DataTable } from './table';

export interface XlsxSheet {
  name: string;
  table: DataTable;
}

export function colLetters(i: number): string {
  let s = '';
  let n = i + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function xmlEscape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

export function encodeXlsx(sheets: XlsxSheet[]): Uint8Array {
  const shared: string[] = [];
  const sharedIdx = new Map<string, number>();
  const sst = (s: string): number => {
    let k = sharedIdx.get(s);
    if (k === undefined) { k = shared.length; shared.push(s); sharedIdx.set(s, k); }
    return k;
  };
  const files: Record<string, Uint8Array> = {};
  sheets.forEach((sh, si) => {
    const t = sh.table;
    const rows: string[] = [];
    const head = t.columns.map((c, j) => `<c r="${colLetters(j)}1" t="s"><v>${sst(c.name)}</v></c>`).join('');
    rows.push(`<row r="1">${head}</row>`);
    for (let i = 0; i < t.nrows; i++) {
      const r = i + 2;
      let cells = '';
      t.columns.forEach((c, j) => {
        const ref = `${colLetters(j)}${r}`;
        if (c.kind === 'numeric') {
          const v = c.values[i];
          if (v === v) cells += `<c r="${ref}"><v>${v}</v></c>`;
        } else if (c.codes[i] >= 0) cells += `<c r="${ref}" t="s"><v>${sst(c.levels[c.codes[i]])}</v></c>`;
      });
      rows.push(`<row r="${r}">${cells}</row>`);
    }
    files[`xl/worksheets/sheet${si + 1}.xml`] = strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join('')}</sheetData></worksheet>`,
    );
  });
  const sheetEntries = sheets.map((s, i) => `<sheet name="${xmlEscape(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  files['xl/workbook.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheetEntries}</sheets></workbook>`,
  );
  const rels = sheets
    .map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
    .join('');
  const n = sheets.length;
  files['xl/_rels/workbook.xml.rels'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}<Relationship Id="rId${n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
  );
  files['xl/sharedStrings.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${shared.length}" uniqueCount="${shared.length}">${shared
      .map((s) => `<si><t xml:space="preserve">${xmlEscape(s)}</t></si>`)
      .join('')}</sst>`,
  );
  files['_rels/.rels'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  const overrides = sheets
    .map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
    .join('');
  files['[Content_Types].xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${overrides}<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
  );
  return zipSync(files);
}

export function writeXlsx(sheets: XlsxSheet[], path: string): void {
  try {
    writeFileSync(path, encodeXlsx(sheets));
  } catch (e) {
    throw new DataError(`cannot write ${path}: ${(e as Error).message}`, { code: 'io', file: path });
  }
}
