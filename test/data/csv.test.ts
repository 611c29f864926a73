import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as iconv from 'iconv-lite';
import fc from 'fast-check';
import { DataError } from '../../server/src/data/errors';
import { parseCsv } from '../../server/src/data/csv';
import { dataError, num, str, strings, values } from './fixtures/helpers';

const csv = (text: string | Buffer, opts = {}) => parseCsv(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, 'data.csv', opts);

test('header, numeric and string columns, row count', () => {
  const r = csv('id,name,x\n1,alpha,1.5\n2,beta,-2\n3,gamma,1e3\n');
  assert.equal(r.table.nrows, 3);
  assert.deepEqual(r.table.names, ['id', 'name', 'x']);
  assert.deepEqual(values(num(r.table, 'id')), [1, 2, 3]);
  assert.deepEqual(values(num(r.table, 'x')), [1.5, -2, 1000]);
  assert.deepEqual(strings(str(r.table, 'name')), ['alpha', 'beta', 'gamma']);
  assert.equal(num(r.table, 'id').isInteger, true);
  assert.equal(num(r.table, 'x').isInteger, false);
});

test('RFC 4180 quoting: separators, doubled quotes and newlines inside quotes', () => {
  const r = csv('a,b,c\n"x, y","say ""hi""","line1\nline2"\n"3",4,"5"\r\n');
  const t = r.table;
  assert.equal(t.nrows, 2);
  assert.deepEqual(strings(str(t, 'a')), ['x, y', '3']);
  assert.deepEqual(strings(str(t, 'b')), ['say "hi"', '4']);
  assert.deepEqual(strings(str(t, 'c')), ['line1\nline2', '5']);
});

test('quoted numbers are numbers', () => {
  const t = csv('a,b\n"1.25","7"\n"-3",""\n').table;
  assert.deepEqual(values(num(t, 'a')), [1.25, -3]);
  assert.deepEqual(values(num(t, 'b')), [7, NaN]);
});

test('missing values: empty, NA, ., .a-.z in numeric columns; empty/NA/. in string columns', () => {
  const t = csv('x,s,y\n1,a,.\n,NA,2\nNA,.,.a\n.,,.z\n5,b,NaN\n').table;
  assert.deepEqual(values(num(t, 'x')), [1, NaN, NaN, NaN, 5]);
  assert.deepEqual(values(num(t, 'y')), [NaN, 2, NaN, NaN, NaN]);
  const s = str(t, 's');
  assert.deepEqual(Array.from(s.codes).map((k) => k < 0), [false, true, true, true, false]);
  assert.deepEqual(s.levels, ['a', 'b']);
});

test('type inference: one non-number turns the column into strings, keeping earlier text exactly', () => {
  const t = csv('code,v\n1.50,1\n007,2\nA12,3\n,4\n').table;
  assert.deepEqual(strings(str(t, 'code')), ['1.50', '007', 'A12', '']);
  assert.deepEqual(values(num(t, 'v')), [1, 2, 3, 4]);
});

test('an all-missing column is numeric', () => {
  const t = csv('a,b\n1,\n2,NA\n').table;
  assert.deepEqual(values(num(t, 'b')), [NaN, NaN]);
});

test('UTF-8 with and without a BOM; CRLF and CR line ends; no final newline', () => {
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('城市,年份\n北京,2003\r\n上海,2004', 'utf8')]);
  const t = csv(withBom).table;
  assert.deepEqual(t.names, ['城市', '年份']);
  assert.deepEqual(strings(str(t, '城市')), ['北京', '上海']);
  assert.deepEqual(values(num(t, '年份')), [2003, 2004]);
  const cr = csv('a,b\r1,2\r3,4').table;
  assert.deepEqual(values(num(cr, 'b')), [2, 4]);
});

test('GBK/GB18030 file is detected and decoded to the right Chinese strings', () => {
  const text = '城市,省份,gdp\n北京市,北京,30320.0\n广州市,广东省,22859.35\n乌鲁木齐市,新疆维吾尔自治区,3099.8\n';
  const gbk = iconv.encode(text, 'gbk');
  assert.ok(!Buffer.from(text).equals(gbk), 'fixture really is not UTF-8');
  const r = csv(gbk);
  assert.equal(r.encoding, 'gb18030');
  assert.ok(r.warnings.some((w) => /GB18030/.test(w)));
  assert.deepEqual(r.table.names, ['城市', '省份', 'gdp']);
  assert.deepEqual(strings(str(r.table, '城市')), ['北京市', '广州市', '乌鲁木齐市']);
  assert.deepEqual(strings(str(r.table, '省份')), ['北京', '广东省', '新疆维吾尔自治区']);
  assert.deepEqual(values(num(r.table, 'gdp')), [30320, 22859.35, 3099.8]);
  // An explicit encoding is honoured.
  const r2 = csv(iconv.encode(text, 'gb18030'), { encoding: 'GB18030' });
  assert.deepEqual(strings(str(r2.table, '省份')), ['北京', '广东省', '新疆维吾尔自治区']);
});

test('Latin-1 (Windows-1252) text that is not GBK either is read as Windows-1252', () => {
  const r = csv(Buffer.from('name,city\nJosé,Zürich\ncafé,Besançon\n', 'latin1'));
  assert.equal(r.encoding, 'windows-1252');
  assert.deepEqual(strings(str(r.table, 'city')), ['Zürich', 'Besançon']);
  assert.deepEqual(strings(str(r.table, 'name')), ['José', 'café']);
});

test('separator detection: tab and semicolon', () => {
  const tab = csv('a\tb\n1\t2,5\n');
  assert.equal(tab.separator, '\t');
  assert.deepEqual(strings(str(tab.table, 'b')), ['2,5']);
  const semi = csv('a;b;c\n1;2;3\n');
  assert.equal(semi.separator, ';');
  assert.deepEqual(values(num(semi.table, 'c')), [3]);
});

test('column renaming as Stata import delimited', () => {
  const r = csv('first.treat,2x,,a b,x,x\n1,2,3,4,5,6\n');
  assert.deepEqual(r.table.names, ['first_treat', '_2x', 'v3', 'a_b', 'x', 'x_2']);
  assert.equal(num(r.table, 'first_treat').renamedFrom, 'first.treat');
  assert.equal(num(r.table, 'x').renamedFrom, undefined);
  assert.deepEqual(r.renamed.slice(0, 2), [{ from: 'first.treat', to: 'first_treat' }, { from: '2x', to: '_2x' }]);
  assert.ok(r.warnings.some((w) => /duplicate/.test(w) && /x_2/.test(w)));
});

test('blank lines are skipped, surrounding spaces trimmed', () => {
  const t = csv('\n a , b \n 1 , x y \n\n2,z\n   \n').table;
  assert.deepEqual(t.names, ['a', 'b']);
  assert.deepEqual(values(num(t, 'a')), [1, 2]);
  assert.deepEqual(strings(str(t, 'b')), ['x y', 'z']);
});

test('header only gives zero rows', () => {
  const t = csv('a,b\n').table;
  assert.equal(t.nrows, 0);
  assert.equal(t.columns.length, 2);
});

test('ragged rows: DataError with the line and the counts', () => {
  const lines = ['a,b,c,d,e,f'];
  for (let i = 2; i <= 16; i++) lines.push('1,2,3,4,5,6');
  lines.push('1,2,3,4,5');
  const e = dataError(() => csv(lines.join('\n') + '\n'));
  assert.equal(e.code, 'ragged-row');
  assert.equal(e.line, 17);
  assert.match(e.message, /ragged row: line 17 has 5 fields, header has 6/);
  const more = dataError(() => csv('a,b\n1,2\n"multi\nline",2,3\n'));
  assert.equal(more.line, 3);
  assert.match(more.message, /line 3 has 3 fields, header has 2/);
});

test('unterminated quote: DataError with the line of the opening quote', () => {
  const e = dataError(() => csv('a,b\n1,2\n3,"never closed\n4,5\n6,7\n'));
  assert.equal(e.code, 'unterminated-quote');
  assert.equal(e.line, 3);
  assert.equal(e.column, 3);
  assert.match(e.message, /line 3/);
});

test('text after a closing quote is an error with its position', () => {
  const e = dataError(() => csv('a,b\n"x"y,2\n'));
  assert.equal(e.code, 'bad-quote');
  assert.equal(e.line, 2);
  assert.equal(e.column, 4);
});

test('binary data named .csv, zip, empty file', () => {
  const bin = Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x00, 0x01, 0x02, 0xff, 0xfe, 0x31]);
  assert.equal(dataError(() => csv(bin)).code, 'binary');
  const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]);
  assert.match(dataError(() => csv(zip)).message, /zip/);
  assert.equal(dataError(() => csv('')).code, 'empty');
  assert.equal(dataError(() => csv('\n\n  \n')).code, 'empty');
  assert.equal(dataError(() => csv('a,b\n', { encoding: 'klingon-8' })).code, 'bad-argument');
});

test('numbers are parsed bit-exactly (Number semantics), long and short', () => {
  const texts = ['5.896760933305299', '8.461469042643875', '0.1', '0.30000000000000004', '-1.7976931348623157e308', '5e-324', '123456789012345678', '1.5E+3', '.5', '-0', '3.', '2.2250738585072014e-308', '9007199254740993', '0.000001234'];
  const t = csv('x\n' + texts.join('\n') + '\n').table;
  const v = num(t, 'x').values;
  texts.forEach((s, i) => assert.ok(Object.is(v[i], Number(s)), `${s}: got ${v[i]}, want ${Number(s)}`));
});

test('10,000 columns', () => {
  const k = 10000;
  const head = Array.from({ length: k }, (_, j) => `c${j}`).join(',');
  const row1 = Array.from({ length: k }, (_, j) => String(j)).join(',');
  const row2 = Array.from({ length: k }, (_, j) => (j % 2 ? 'NA' : `${j}.5`)).join(',');
  const t = csv(`${head}\n${row1}\n${row2}\n`).table;
  assert.equal(t.columns.length, k);
  assert.equal(t.nrows, 2);
  assert.deepEqual(values(num(t, 'c9998')), [9998, 9998.5]);
  assert.deepEqual(values(num(t, 'c9999')), [9999, NaN]);
});

test('string column that switches late re-reads earlier rows in multi-line quoted data', () => {
  const t = csv('id,note,z\n1,"a\nb",10\n2,5,20\n3,x,30\n').table;
  assert.deepEqual(values(num(t, 'id')), [1, 2, 3]);
  assert.deepEqual(strings(str(t, 'note')), ['a\nb', '5', 'x']);
  assert.deepEqual(values(num(t, 'z')), [10, 20, 30]);
  const late = csv('v\n1\n2\n3\nx\n').table;
  assert.deepEqual(strings(str(late, 'v')), ['1', '2', '3', 'x']);
});

test('round trip: any table of text cells written with RFC 4180 quoting parses back', () => {
  const cell = fc
    .string({ unit: fc.constantFrom('a', 'b', 'Z', '1', ',', '"', '\n', '\r\n', ' ', ';', '\t', '北'), minLength: 0, maxLength: 8 })
    .map((s) => 'k' + s + 'q'); // starts and ends with a letter: a string, never trimmed, never missing
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), fc.array(cell, { minLength: 30, maxLength: 30 }), (ncol, nrow, pool) => {
      const rows = Array.from({ length: nrow }, (_, i) => Array.from({ length: ncol }, (_, j) => pool[(i * ncol + j) % pool.length]));
      const q = (s: string) => (/[",\n\r;\t ]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
      const text = [Array.from({ length: ncol }, (_, j) => `c${j}`).join(','), ...rows.map((r) => r.map(q).join(','))].join('\n');
      const t = csv(text, { separator: ',' }).table;
      assert.equal(t.nrows, nrow);
      for (let j = 0; j < ncol; j++) assert.deepEqual(strings(str(t, `c${j}`)), rows.map((r) => r[j]));
    }),
    { numRuns: 500 },
  );
});

test('arbitrary bytes: a table or a DataError, never anything else', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), fc.constantFrom(...'a1,"\n\r .;'.split('')), (bytes, ch) => {
      const b = Buffer.concat([Buffer.from('a,b\n'), Buffer.from(bytes), Buffer.from(ch)]);
      try {
        csv(b);
      } catch (e) {
        assert.ok(e instanceof DataError, String(e));
      }
    }),
    { numRuns: 1000 },
  );
});

test('UTF-16 files with a byte-order mark', () => {
  const text = 'a\tb\n1\t城\n';
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const r = csv(le);
  assert.equal(r.encoding, 'utf-16le');
  assert.deepEqual(strings(str(r.table, 'b')), ['城']);
});

test('the same text quoted, unquoted or escaped gets one dictionary code', () => {
  const t = csv('s,n\n"say ""hi""",1\nsay "hi",2\nx,3\n"x",4\n x ,5\n').table;
  const s = str(t, 's');
  assert.deepEqual(s.levels, ['say "hi"', 'x']);
  assert.deepEqual(Array.from(s.codes), [0, 0, 1, 1, 1]);
});

test('numeric fields in any layout (signs, zeros, exponents, CRLF, final newline or not) equal Number()', () => {
  const numText = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
    fc.integer({ min: -1e6, max: 1e6 }).map((k) => (k / 1000).toFixed(3)),
    fc.tuple(fc.constantFrom('', '-', '+'), fc.constantFrom('0', '00', '007', '12'), fc.constantFrom('', '.', '.5', '.000'), fc.constantFrom('', 'e3', 'E-2')).map((p) => p.join('')),
    fc.constantFrom('', 'NA', '.', '.a'),
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(numText, numText), { minLength: 1, maxLength: 20 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (rows, eol, finalEol) => {
      const text = 'a,b' + eol + rows.map((r) => r.join(',')).join(eol) + (finalEol ? eol : '');
      const t = csv(text).table;
      const want = (s: string) => (s === '' || s === 'NA' || s === '.' || s === '.a' ? NaN : Number(s));
      // A row of two empty fields is still a row (not a blank line).
      assert.equal(t.nrows, rows.length);
      assert.deepEqual(values(num(t, 'a')), rows.map((r) => want(r[0])));
      assert.deepEqual(values(num(t, 'b')), rows.map((r) => want(r[1])));
    }),
    { numRuns: 2000 },
  );
});

test('1e400 in a numeric column: the column stays numeric, the cell is missing, a note counts it', () => {
  const r = parseCsv(Buffer.from('id,x,y\n1,2.5,1e400\n2,1e400,3\n3,-1e999,4\n'), 'o.csv');
  const x = r.table.get('x');
  const y = r.table.get('y');
  assert.ok(x?.kind === 'numeric' && y?.kind === 'numeric');
  assert.deepEqual(Array.from(x.values), [2.5, NaN, NaN]);
  assert.deepEqual(Array.from(y.values), [NaN, 3, 4]);
  assert.ok(r.warnings.includes('3 cell(s) held a number beyond the range of a double (e.g. 1e400) and were read as missing'), r.warnings.join('; '));
  // a clean file has no such note
  assert.ok(!parseCsv(Buffer.from('a\n1\n'), 'c.csv').warnings.some((w) => /beyond the range/.test(w)));
});

test('Big5 is told apart from GBK (Big5 bytes are mostly valid GBK, but read as kana and rare characters)', () => {
  const text = '城市,收入,年份\n台北,100,2020\n高雄,200,2021\n臺中市,150,2022\n';
  const b5 = parseCsv(iconv.encode(text, 'big5'), 'tw.csv');
  assert.equal(b5.encoding, 'big5');
  assert.deepEqual(b5.table.names, ['城市', '收入', '年份']);
  assert.deepEqual(strings(str(b5.table, '城市')), ['台北', '高雄', '臺中市']);
  assert.deepEqual(values(num(b5.table, '收入')), [100, 200, 150]);
  assert.ok(b5.warnings.some((w) => /read as Big5/.test(w)));
  // the same text in GBK still reads as GBK, as does a short one
  for (const t of [text, '城市,收入\n北京,1\n']) {
    const gb = parseCsv(iconv.encode(t, 'gbk'), 'cn.csv');
    assert.equal(gb.encoding, 'gb18030');
    assert.equal(gb.table.names[0], '城市');
  }
  const short = parseCsv(iconv.encode('城市,收入\n台北,1\n', 'big5'), 's.csv');
  assert.equal(short.encoding, 'big5');
  assert.deepEqual(short.table.names, ['城市', '收入']);
});
