import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zipSync, strToU8 } from 'fflate';
import { readXlsx, colIndex } from '../../server/src/data/xlsx';
import { encodeXlsx, colLetters } from '../../server/src/data/xlsx-write';
import { loadDataset } from '../../server/src/data/load';
import { stringColumn } from '../../server/src/data/columns';
import { DataTable } from '../../server/src/data/table';
import { dataError, dataErrorAsync, num, str, strings, tempDir, values } from './fixtures/helpers';

/** A workbook written by hand the way Excel does it: inline strings, rich text, shared strings
 *  with entities, a boolean, an error cell, sparse cells and a second sheet. */
function handWorkbook(): Buffer {
  const sheet1 = `<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:D4"/><sheetData>
<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>flag</t></is></c><c r="D1" t="s"><v>2</v></c></row>
<row r="2"><c r="A2" s="1"><v>2003</v></c><c r="B2" t="s"><v>3</v></c><c r="C2" t="b"><v>1</v></c><c r="D2"><v>0.1</v></c></row>
<row r="3"><c r="A3"><v>2004</v></c><c r="B3" t="inlineStr"><is><r><rPr><b/></rPr><t>Guang</t></r><r><t xml:space="preserve">zhou &amp; co</t></r></is></c><c r="D3" t="e"><v>#N/A</v></c></row>
<row r="5"><c r="A5"><v>2.5E-3</v></c><c r="C5" t="b"><v>0</v></c><c r="D5" t="str"><v>NA</v></c></row>
</sheetData></worksheet>`;
  const sst = `<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
<si><t>year</t></si><si><t>first.city</t></si><si><r><t>gdp</t></r><r><t>_pc</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si><si><t>北京 &lt;市&gt;</t></si></sst>`;
  const wb = `<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId7"/><sheet name="Other" sheetId="2" r:id="rId8"/></sheets></workbook>`;
  const rels = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>`;
  const sheet2 = `<worksheet><sheetData><row r="1"><c r="B1" t="inlineStr"><is><t>only</t></is></c></row><row r="2"><c r="B2"><v>42</v></c></row></sheetData></worksheet>`;
  return Buffer.from(
    zipSync({
      'xl/workbook.xml': strToU8(wb),
      'xl/_rels/workbook.xml.rels': strToU8(rels),
      'xl/sharedStrings.xml': strToU8(sst),
      'xl/worksheets/sheet1.xml': strToU8(sheet1),
      'xl/worksheets/sheet2.xml': strToU8(sheet2),
    }),
  );
}

test('hand-made workbook: shared/inline/rich strings, booleans, errors, gaps, renaming', () => {
  const r = readXlsx(handWorkbook(), 'h.xlsx');
  assert.equal(r.sheet, 'Data');
  assert.deepEqual(r.sheets, ['Data', 'Other']);
  const t = r.table;
  assert.deepEqual(t.names, ['year', 'first_city', 'flag', 'gdp_pc']);
  assert.equal(t.nrows, 4); // rows 2, 3, (empty 4), 5
  assert.deepEqual(values(num(t, 'year')), [2003, 2004, NaN, 0.0025]);
  assert.deepEqual(strings(str(t, 'first_city')), ['北京 <市>', 'Guangzhou & co', '', '']);
  assert.equal(str(t, 'first_city').renamedFrom, 'first.city');
  assert.deepEqual(values(num(t, 'flag')), [1, NaN, NaN, 0]);
  assert.deepEqual(values(num(t, 'gdp_pc')), [0.1, NaN, NaN, NaN]);
});

test('a named sheet; a missing sheet lists the ones there are', () => {
  const r = readXlsx(handWorkbook(), 'h.xlsx', 'Other');
  assert.deepEqual(r.table.names, ['v1', 'only']);
  assert.deepEqual(values(num(r.table, 'only')), [42]);
  const e = dataError(() => readXlsx(handWorkbook(), 'h.xlsx', 'Nope'));
  assert.equal(e.code, 'sheet-not-found');
  assert.match(e.message, /"Data", "Other"/);
});

test('writer round trip through loadDataset', async () => {
  const tmp = tempDir('xlsx');
  try {
    const t = new DataTable(3, [
      { kind: 'numeric', name: 'id', values: Float64Array.from([1, 2, 3]) },
      { kind: 'numeric', name: 'x', values: Float64Array.from([0.1, NaN, -5.896760933305299]) },
      stringColumn('name', ['a&b', '', '上海']),
    ]);
    const p = tmp.file('w.xlsx', encodeXlsx([{ name: 'S1', table: t }]));
    const d = await loadDataset(p);
    assert.equal(d.format, 'xlsx');
    assert.equal(d.sheet, 'S1');
    assert.deepEqual(values(num(d.table, 'x')), [0.1, NaN, -5.896760933305299]);
    assert.deepEqual(strings(str(d.table, 'name')), ['a&b', '', '上海']);
    assert.equal(num(d.table, 'id').isInteger, true);
    assert.equal((await dataErrorAsync(loadDataset(p, { sheet: 'zzz' }))).code, 'sheet-not-found');
  } finally {
    tmp.cleanup();
  }
});

test('not a workbook, or a zip without a workbook, is a DataError', () => {
  assert.equal(dataError(() => readXlsx(Buffer.from('plain text'), 'x.xlsx')).code, 'corrupt');
  const zip = Buffer.from(zipSync({ 'hello.txt': strToU8('hi') }));
  assert.match(dataError(() => readXlsx(zip, 'x.xlsx')).message, /workbook\.xml is missing/);
});

test('column letters', () => {
  for (const [i, s] of [[0, 'A'], [25, 'Z'], [26, 'AA'], [701, 'ZZ'], [702, 'AAA']] as const) {
    assert.equal(colLetters(i), s);
    assert.equal(colIndex(s), i);
  }
});

test('date-formatted cells become Stata dates (%td days, %tc ms), other formats stay numbers', () => {
  const sheet = `<worksheet><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>d</t></is></c><c r="B1" t="inlineStr"><is><t>dt</t></is></c><c r="C1" t="inlineStr"><is><t>pct</t></is></c></row>
<row r="2"><c r="A2" s="1"><v>43831</v></c><c r="B2" s="2"><v>43831.5</v></c><c r="C2" s="3"><v>12.5</v></c></row>
<row r="3"><c r="A3" s="1"><v>21916</v></c><c r="B3" s="2"><v>21916.25</v></c><c r="C3"><v>7</v></c></row>
</sheetData></worksheet>`;
  const styles = `<styleSheet><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/><numFmt numFmtId="165" formatCode="0.0&quot;%&quot;"/></numFmts>
<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>`;
  const wb = `<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`;
  const rels = `<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>`;
  const buf = Buffer.from(zipSync({
    'xl/workbook.xml': strToU8(wb), 'xl/_rels/workbook.xml.rels': strToU8(rels),
    'xl/styles.xml': strToU8(styles), 'xl/worksheets/sheet1.xml': strToU8(sheet),
  }));
  const r = readXlsx(buf, 'd.xlsx');
  assert.deepEqual(values(num(r.table, 'd')), [21915, 0]); // 1 Jan 2020 = 21915 in Stata; 1 Jan 1960 = 0
  assert.deepEqual(values(num(r.table, 'dt')), [21915.5 * 86400000, 0.25 * 86400000]);
  assert.deepEqual(values(num(r.table, 'pct')), [12.5, 7]);
  assert.ok(r.warnings.some((w) => /Stata dates/.test(w)));
});

/** A one-sheet workbook from raw sheetData XML. */
function sheetWorkbook(sheetData: string): Buffer {
  const wb = `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`;
  const rels = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
  const sheet = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetData}</sheetData></worksheet>`;
  return Buffer.from(zipSync({ 'xl/workbook.xml': strToU8(wb), 'xl/_rels/workbook.xml.rels': strToU8(rels), 'xl/worksheets/sheet1.xml': strToU8(sheet) }));
}

test('a stray value in XFD1048576 is refused at once with the size it would need', () => {
  const buf = sheetWorkbook('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>5</v></c></row>');
  assert.ok(buf.length < 2000);
  const t0 = Date.now();
  const e = dataError(() => readXlsx(buf, 'big.xlsx'));
  assert.ok(Date.now() - t0 < 2000);
  assert.equal(e.code, 'too-large');
  assert.match(e.message, /16,384 columns x 1,048,576 rows \(up to cell XFD1048576\) but only 3 hold values; a table that size needs about 137 GB/);
});

test('formatted empty cells far away are dropped and reported; the table is sized by the values', () => {
  const buf = sheetWorkbook('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="B1" t="inlineStr"><is><t>y</t></is></c></row><row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c></row><row r="1048576"><c r="XFD1048576" s="1"/></row>');
  const r = readXlsx(buf, 'f.xlsx');
  assert.deepEqual(r.table.names, ['x', 'y']);
  assert.equal(r.table.nrows, 1);
  assert.deepEqual(values(num(r.table, 'y')), [2]);
  assert.ok(r.warnings.some((w) => /empty cells past the data \(up to row 1048576, column XFD\) were dropped/.test(w)), r.warnings.join('; '));
});

test('rows and columns outside Excel\'s grid are a damaged file, not a giant table', () => {
  const rowE = dataError(() => readXlsx(sheetWorkbook('<row r="1"><c r="A1"><v>1</v></c></row><row r="99999999999"><c r="A99999999999"><v>1</v></c></row>'), 'r.xlsx'));
  assert.equal(rowE.code, 'corrupt');
  assert.match(rowE.message, /row number 99999999999 is outside Excel's 1\.\.1048576/);
  const colE = dataError(() => readXlsx(sheetWorkbook('<row r="1"><c r="ZZZZZZZZ1"><v>1</v></c></row>'), 'c.xlsx'));
  assert.equal(colE.code, 'corrupt');
  assert.match(colE.message, /cell ZZZZZZZZ1 is outside Excel's columns A\.\.XFD/);
});
