// Word (.docx) tables with the `docx` package: a three-rule (booktabs-like) table, stars as
// superscripts, the title above and the notes below in small type.

import {
  AlignmentType,
  BorderStyle,
  Document,
  type IBorderOptions,
  type ITableCellBorders,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { formatCount } from '../format';
import { cleanText } from './escape';
import { parenMarks, type Cell, type TableModel } from '../tableModel';

const NONE: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const THICK: IBorderOptions = { style: BorderStyle.SINGLE, size: 12, color: '000000' };
const THIN: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const FONT = { font: 'Times New Roman', size: 20 }; // size in half-points: 10 pt

/** A run of text, cleaned of characters Word's XML cannot hold. */
function run(opts: { text: string; bold?: boolean; superScript?: boolean; size?: number; font?: string }): TextRun {
  return new TextRun({ ...FONT, ...opts, text: cleanText(opts.text) });
}

function runs(c: Cell): TextRun[] {
  switch (c.kind) {
    case 'estimate':
      return [run({ text: c.text }), ...(c.stars ? [run({ text: c.stars, superScript: true })] : [])];
    case 'paren':
      return [run({ text: parenMarks(c).join(c.text) })];
    case 'count':
      return [run({ text: formatCount(c.value, true) })];
    case 'text':
      return [run({ text: c.text })];
    case 'empty':
      return [];
  }
}

function tableCell(children: TextRun[], align: 'left' | 'center', borders: ITableCellBorders): TableCell {
  return new TableCell({
    children: [new Paragraph({ children, alignment: align === 'left' ? AlignmentType.LEFT : AlignmentType.CENTER })],
    borders: { left: NONE, right: NONE, top: NONE, bottom: NONE, ...borders },
  });
}

/** Builds the Word table; each row of the model is one table row, rules as cell borders. */
function buildTable(model: TableModel): Table {
  const rows: TableRow[] = [];
  model.headers.forEach((h, i) => {
    const borders: ITableCellBorders = {
      ...(i === 0 ? { top: THICK } : {}),
      ...(i === model.headers.length - 1 ? { bottom: THIN } : {}),
    };
    rows.push(
      new TableRow({
        tableHeader: true,
        children: [tableCell([run({ text: h.stub })], 'left', borders), ...h.cells.map((c) => tableCell([run({ text: c })], 'center', borders))],
      }),
    );
  });
  const sections = model.sections.filter((s) => s.length);
  sections.forEach((section, si) => {
    section.forEach((r, ri) => {
      const borders: ITableCellBorders = {
        ...(si > 0 && ri === 0 ? { top: THIN } : {}),
        ...(si === sections.length - 1 && ri === section.length - 1 ? { bottom: THICK } : {}),
      };
      rows.push(
        new TableRow({
          children: [tableCell([run({ text: r.label })], 'left', borders), ...r.cells.map((c) => tableCell(runs(c), 'center', borders))],
        }),
      );
    });
  });
  return new Table({
    rows,
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE },
  });
}

/** A .docx file holding the tables one after the other. */
export async function renderDocx(models: TableModel | TableModel[]): Promise<Buffer> {
  const list = Array.isArray(models) ? models : [models];
  const children: (Paragraph | Table)[] = [];
  for (const model of list) {
    if (model.title) children.push(new Paragraph({ children: [run({ text: model.title, bold: true })], spacing: { after: 120 } }));
    children.push(buildTable(model));
    for (const n of model.notes) children.push(new Paragraph({ children: [run({ size: 16, text: n })] }));
    children.push(new Paragraph({ children: [] }));
  }
  const doc = new Document({ sections: [{ children }] });
  return Packer.toBuffer(doc);
}
