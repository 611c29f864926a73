// Open Data Viewer: a read-only grid of the dataset a spec builds, fetched page by page from the
// language server (`panelspec/data`), so a large panel never crosses the wire at once. The webview
// asks for pages of a view (a sort and a filter, numbered `gen`); this side only checks and forwards.

import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { DATA_REQUEST, DATA_VIEW_TYPE, type DataHostMessage, type DataParams, parseDataPage, parseDataViewMessage } from './protocol';
import type { ServerController } from './serverController';
import { buildDataPage } from './webview/dataPage';
import { shiftLine } from './shiftLine';

export interface DataViewerDeps {
  server: ServerController;
  log: vscode.LogOutputChannel;
}

const METHOD_NOT_FOUND = -32601;
/** After an edit pauses this long, the viewer asks again (the server re-runs only if the data steps changed). */
const REFRESH_AFTER_EDIT_MS = 800;

export async function openDataViewer(deps: DataViewerDeps, uri: string, line?: number): Promise<void> {
  const t0 = Date.now();
  const client = await deps.server.ready();
  if (!client) {
    void vscode.window.showErrorMessage('PanelSpec: the language server is not running.');
    return;
  }
  const title = vscode.Uri.parse(uri, true).path.split('/').pop() ?? uri;
  const panel = vscode.window.createWebviewPanel(DATA_VIEW_TYPE, `Data: ${title}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, { enableScripts: true, localResourceRoots: [], retainContextWhenHidden: true });
  panel.webview.html = buildDataPage({ cspSource: panel.webview.cspSource, nonce: randomBytes(18).toString('base64'), title });
  deps.log.info(`data viewer: panel for ${title} created ${Date.now() - t0} ms after the command`);
  let first = true;
  const post = (m: DataHostMessage) => panel.webview.postMessage(m);
  const subs: vscode.Disposable[] = [];
  subs.push(
    panel.webview.onDidReceiveMessage(async (m: unknown) => {
      const msg = parseDataViewMessage(m);
      if (!msg) return;
      if (first) deps.log.info(`data viewer: the page asked for its first rows ${Date.now() - t0} ms after the command`);
      first = false;
      const { type: _type, gen, ...query } = msg;
      const params: DataParams = { uri, ...query, ...(line === undefined ? {} : { line }) };
      try {
        const page = parseDataPage(await client.sendRequest(DATA_REQUEST, params));
        if (!page) throw new Error('the server sent no data');
        await post({ type: 'page', gen, title, page: { ...page, offset: msg.offset } });
      } catch (e) {
        const err = e as { code?: number; message?: string };
        const message =
          err.code === METHOD_NOT_FOUND ? 'This PanelSpec server does not provide data to the viewer yet.' : `Could not load the data: ${err.message ?? String(e)}`;
        deps.log.warn(`data viewer: ${message}`);
        await post({ type: 'error', gen, message });
      }
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  subs.push(
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.toString() !== uri || !e.contentChanges.length) return;
      if (line !== undefined) line = shiftLine(line, e.contentChanges);
      clearTimeout(timer);
      timer = setTimeout(() => void post({ type: 'refresh' }), REFRESH_AFTER_EDIT_MS);
    }),
  );
  panel.onDidDispose(() => {
    clearTimeout(timer);
    for (const s of subs) s.dispose();
  });
}
