import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unzipSync, strFromU8 } from 'fflate';
import { regressionTable } from '../../server/src/results/regressionTable';
import { renderDocx } from '../../server/src/results/render/docx';
import { renderTables } from '../../server/src/results/render/index';
import { summaryTable } from '../../server/src/results/summaryTable';
import { estimation, summary } from './fixtures';

test('Word: the .docx opens and holds the table cells', async () => {
  const buf = await renderDocx(regressionTable([estimation()], { title: 'Table 3 <&>' }));
  assert.equal(buf.subarray(0, 2).toString('latin1'), 'PK');
  const files = unzipSync(new Uint8Array(buf));
  const xml = strFromU8(files['word/document.xml']);
  assert.equal((xml.match(/<w:tbl>/g) ?? []).length, 1);
  assert.ok(xml.includes('>0.3900<'));
  assert.ok(xml.includes('>***<'));
  assert.ok(xml.includes('<w:vertAlign w:val="superscript"/>'));
  assert.ok(xml.includes('>(0.0770)<'));
  assert.ok(xml.includes('>5,130<'));
  assert.ok(xml.includes('Table 3 &lt;&amp;&gt;'));
  // 2 header rows + 3 coefficients x 2 + 2 FE + N, R², within R², clusters
  assert.equal((xml.match(/<w:tr>/g) ?? xml.match(/<w:tr[ >]/g) ?? []).length, 2 + 6 + 2 + 4);
});

test('Word: several tables in one document', async () => {
  const out = await renderTables([regressionTable([estimation()]), summaryTable(summary())], 'docx');
  assert.ok(Buffer.isBuffer(out));
  const xml = strFromU8(unzipSync(new Uint8Array(out as Buffer))['word/document.xml']);
  assert.equal((xml.match(/<w:tbl>/g) ?? []).length, 2);
  assert.ok(xml.includes('Log green TFP'));
});
