// Open Data Viewer: a read-only grid of the dataset a spec builds, fetched page by page from the
// language server (`panelspec/data`), so a large panel never crosses the wire at once.

import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { DATA_REQUEST, DATA_VIEW_TYPE, type DataParams, parseDataPage, parseDataViewMessage } from './protocol';
import type { ServerController } from './serverController';
import { buildDataPage } from './webview/dataPage';

export interface DataViewerDeps {
  server: ServerController;
  log: vscode.LogOutputChannel;
}

const METHOD_NOT_FOUND = -32601;

export async function openDataViewer(deps: DataViewerDeps, uri: string, line?: number): Promise<void> {
  const client = await deps.server.ready();
  if (!client) {
    void vscode.window.showErrorMessage('PanelSpec: the language server is not running.');
    return;
  }
  const title = vscode.Uri.parse(uri, true).path.split('/').pop() ?? uri;
  const panel = vscode.window.createWebviewPanel(DATA_VIEW_TYPE, `Data: ${title}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, { enableScripts: true, localResourceRoots: [] });
  panel.webview.html = buildDataPage({ cspSource: panel.webview.cspSource, nonce: randomBytes(18).toString('base64'), title });
  const sub = panel.webview.onDidReceiveMessage(async (m: unknown) => {
    const msg = parseDataViewMessage(m);
    if (!msg) return;
    const params: DataParams = { uri, offset: msg.offset, limit: msg.limit, ...(line === undefined ? {} : { line }) };
    try {
      const page = parseDataPage(await client.sendRequest(DATA_REQUEST, params));
      if (!page) throw new Error('the server sent no data');
      await panel.webview.postMessage({ type: 'page', title, page: { ...page, offset: msg.offset } });
    } catch (e) {
      const err = e as { code?: number; message?: string };
      const message =
        err.code === METHOD_NOT_FOUND ? 'This PanelSpec server does not provide data to the viewer yet.' : `Could not load the data: ${err.message ?? String(e)}`;
      deps.log.warn(`data viewer: ${message}`);
      await panel.webview.postMessage({ type: 'error', message });
    }
  });
  panel.onDidDispose(() => sub.dispose());
}
