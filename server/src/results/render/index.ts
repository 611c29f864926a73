// One entry point for every table format: the CLI's esttab `using`, the webview's Export and
// Copy buttons all go through renderTables, so the files they write agree.

import type { TableModel } from '../tableModel';
import { renderCsv } from './csv';
import { renderDocx } from './docx';
import { renderHtmlDocument } from './html';
import { renderLatex } from './latex';
import { renderMarkdown } from './markdown';
import { renderText } from './text';

export type TableFormat = 'text' | 'markdown' | 'latex' | 'html' | 'csv' | 'docx';

export const TABLE_FORMATS: readonly TableFormat[] = ['latex', 'markdown', 'html', 'csv', 'docx', 'text'];

export const FORMAT_EXTENSION: Record<TableFormat, string> = {
  text: 'txt',
  markdown: 'md',
  latex: 'tex',
  html: 'html',
  csv: 'csv',
  docx: 'docx',
};

export const FORMAT_LABEL: Record<TableFormat, string> = {
  text: 'Plain text',
  markdown: 'Markdown',
  latex: 'LaTeX',
  html: 'HTML',
  csv: 'CSV',
  docx: 'Word',
};

/** The format a file name asks for (`esttab using "t.tex"`), or undefined for an unknown extension. */
export function tableFormatFromPath(path: string): TableFormat | undefined {
  const ext = /\.([A-Za-z]+)$/.exec(path)?.[1]?.toLowerCase();
  switch (ext) {
    case 'tex':
    case 'latex':
      return 'latex';
    case 'md':
    case 'markdown':
      return 'markdown';
    case 'html':
    case 'htm':
      return 'html';
    case 'csv':
      return 'csv';
    case 'docx':
      return 'docx';
    case 'txt':
      return 'text';
    default:
      return undefined;
  }
}

/** Several tables in one file: text formats one after the other, HTML as one page, Word as one document. */
export async function renderTables(models: TableModel[], format: TableFormat): Promise<string | Buffer> {
  switch (format) {
    case 'docx':
      return renderDocx(models);
    case 'html':
      return renderHtmlDocument(models);
    case 'latex':
      return models.map((m) => renderLatex(m)).join('\n');
    case 'markdown':
      return models.map(renderMarkdown).join('\n');
    case 'csv':
      return models.map(renderCsv).join('\r\n');
    case 'text':
      return models.map(renderText).join('\n');
  }
}

/** The synchronous text formats (for copying to the clipboard). */
export function renderTableString(model: TableModel, format: Exclude<TableFormat, 'docx'>): string {
  switch (format) {
    case 'html':
      return renderHtmlDocument([model]);
    case 'latex':
      return renderLatex(model);
    case 'markdown':
      return renderMarkdown(model);
    case 'csv':
      return renderCsv(model);
    case 'text':
      return renderText(model);
  }
}

export { renderCsv, renderDocx, renderHtmlDocument, renderLatex, renderMarkdown, renderText };
export { renderHtml } from './html';
