// The results webview's script. It is injected as the source text of `webviewMain` (a nonce'd
// inline script), so the function must be self-contained: no imports, no outer variables.
// The project compiles without the DOM library, so the few browser objects used are typed here.

interface WebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
interface Elem {
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<Elem>;
  scrollIntoView(opts?: { block?: string }): void;
  checked?: boolean;
  disabled?: boolean;
  value?: string;
  closest(selector: string): Elem | null;
  textContent: string | null;
  classList: { toggle(cls: string, on?: boolean): void };
  addEventListener(type: string, fn: (e: { target: Elem | null; data?: unknown; preventDefault?: () => void }) => void): void;
}
interface Browser {
  acquireVsCodeApi(): WebviewApi;
  document: {
    body: Elem;
    getElementById(id: string): Elem | null;
    querySelector(selector: string): Elem | null;
    querySelectorAll(selector: string): ArrayLike<Elem>;
    addEventListener: Elem['addEventListener'];
    removeEventListener: Elem['addEventListener'];
    execCommand(cmd: 'copy'): boolean;
  };
  navigator?: { clipboard?: { write(items: unknown[]): Promise<void> } };
  ClipboardItem: new (items: Record<string, unknown>) => unknown;
  Blob: new (parts: string[], opts: { type: string }) => unknown;
  addEventListener: Elem['addEventListener'];
  scrollTo(x: number, y: number): void;
  scrollY: number;
  setTimeout(fn: () => void, ms: number): number;
}

export function webviewMain(): void {
  const w = globalThis as unknown as Browser;
  const vscode = w.acquireVsCodeApi();
  const doc = w.document;

  // The page embeds its state; saving it lets VS Code restore the panel after a reload.
  const stateEl = doc.getElementById('ps-state');
  const embedded = stateEl && stateEl.textContent ? (JSON.parse(stateEl.textContent) as { uri?: string } | null) : null;
  const saved = vscode.getState() as { uri?: string; scrollY?: number } | null;
  if (embedded) {
    const keepScroll = saved && saved.uri === embedded.uri ? saved.scrollY || 0 : 0;
    vscode.setState({ ...embedded, scrollY: keepScroll });
    if (keepScroll) w.scrollTo(0, keepScroll);
  }

  let pending = 0;
  w.addEventListener('scroll', () => {
    if (pending) return;
    pending = w.setTimeout(() => {
      pending = 0;
      const st = vscode.getState() as Record<string, unknown> | null;
      if (st) vscode.setState({ ...st, scrollY: w.scrollY });
    }, 200);
  });

  w.addEventListener('message', (e) => {
    const m = e.data as { type?: string; running?: boolean; html?: string; text?: string } | undefined;
    if (m && m.type === 'running') doc.body.classList.toggle('ps-running', !!m.running);
    if (m && m.type === 'clipboard' && typeof m.html === 'string') copyRich(m.html, m.text || '');
  });

  // Rich HTML on the clipboard (text/html, with TSV as the plain-text flavour): Word pastes a table.
  function copyRich(html: string, text: string): void {
    const done = (ok: boolean) => vscode.postMessage({ type: 'copied', format: 'html', ok });
    const viaEvent = () => {
      let wrote = false;
      const onCopy = (e: { clipboardData?: { setData(type: string, data: string): void } | null; preventDefault?: () => void }) => {
        if (!e.clipboardData) return;
        e.clipboardData.setData('text/html', html);
        e.clipboardData.setData('text/plain', text);
        if (e.preventDefault) e.preventDefault();
        wrote = true;
      };
      doc.addEventListener('copy', onCopy as never);
      try {
        doc.execCommand('copy');
      } catch {
        /* reported below */
      }
      doc.removeEventListener('copy', onCopy as never);
      done(wrote);
    };
    const nav = w.navigator;
    if (nav && nav.clipboard && typeof nav.clipboard.write === 'function' && typeof w.ClipboardItem === 'function') {
      const item = new w.ClipboardItem({ 'text/html': new w.Blob([html], { type: 'text/html' }), 'text/plain': new w.Blob([text], { type: 'text/plain' }) });
      nav.clipboard.write([item]).then(() => done(true), viaEvent);
    } else viaEvent();
  }

  // History: the runs ticked for comparison (the Compare button needs exactly two)
  const ticked = (): string[] => Array.from(doc.querySelectorAll('input.ps-pick')).filter((b) => !!b.checked).map((b) => b.value || '');
  doc.addEventListener('change', (e) => {
    if (!e.target || !e.target.closest('input.ps-pick')) return;
    const n = ticked().length;
    const button = doc.querySelector('button.ps-compare-button');
    if (button) button.disabled = n !== 2;
    const count = doc.querySelector('.ps-pick-count');
    if (count) count.textContent = n === 2 ? '2 ticked' : n > 2 ? 'tick only two runs' : 'tick two runs';
  });

  doc.addEventListener('click', (e) => {
    const el = e.target && e.target.closest('[data-action]');
    if (!el) return;
    const action = el.getAttribute('data-action');
    const runId = el.getAttribute('data-run');
    if (action === 'goto') {
      // a table-of-contents link: scroll within the page (the webview does not navigate)
      const target = doc.getElementById(el.getAttribute('data-target') || '');
      if (target) target.scrollIntoView({ block: 'start' });
      if (e.preventDefault) e.preventDefault();
      return;
    }
    if (action === 'history') return vscode.postMessage({ type: 'history' });
    if (action === 'current') return vscode.postMessage({ type: 'current' });
    if (action === 'openRun' && runId) return vscode.postMessage({ type: 'openRun', id: runId });
    if (action === 'compare') {
      const ids = ticked();
      if (ids.length === 2) vscode.postMessage({ type: 'compare', a: ids[0], b: ids[1] });
      return;
    }
    const tableId = el.getAttribute('data-table');
    const plotId = el.getAttribute('data-plot');
    const format = el.getAttribute('data-format');
    if (action === 'copy' && tableId) vscode.postMessage({ type: 'copy', tableId, format });
    else if (action === 'stop') vscode.postMessage({ type: 'stop' });
    else if (action === 'export' && tableId) vscode.postMessage(format ? { type: 'export', tableId, format } : { type: 'export', tableId });
    else if (action === 'exportAll') vscode.postMessage(format ? { type: 'exportAll', format } : { type: 'exportAll' });
    else if (action === 'svg' && plotId) vscode.postMessage({ type: 'savePlot', plotId, format: 'svg' });
    else if ((action === 'png' || action === 'pdf') && plotId) vscode.postMessage({ type: 'savePlot', plotId, format: action });
    else if (action === 'reveal') vscode.postMessage({ type: 'reveal', line: Number(el.getAttribute('data-line')), character: Number(el.getAttribute('data-character')) || 0 });
  });

  vscode.postMessage({ type: 'ready' });
}
