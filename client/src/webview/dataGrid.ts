// The data viewer's grid, as it runs inside the webview: a fixed-height block that stays put
// (sticky) while a spacer gives the scrollbar the dataset's length, and only the rows in view are
// drawn, into a recycled pool of row elements. Rows are flex boxes of fixed-size cells with CSS
// containment, not a <table>: a table re-lays itself out whole when any cell's text changes (about
// 20 ms a frame for 35 rows x 21 columns here), a contained cell only itself. Pages of rows come from the extension on demand.
// Beyond MAX_SCROLL_PX of rows (browsers cap element heights) the scroll range is scaled.
//
// The helpers below are pure and self-contained: the page injects their source text into the
// webview next to dataViewerMain's, and the tests call them directly.

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface GridConfig {
  pageSize: number;
  rowH: number;
  maxScrollPx: number;
  /** pages requested at once, at most */
  maxInFlight: number;
  /** pages kept in memory, at most */
  maxPages: number;
}

export interface Viewport {
  first: number; // first row drawn
  shift: number; // px the rows are moved up (the part of `first` scrolled past)
  rowsPx: number; // height the spacer gives the rows
  scale: number; // rows-px per scroll-px (1 unless the rows are taller than maxScrollPx)
}

/** Which row sits at the top for a scroll position, with the scroll range scaled above maxPx. */
export function viewportAt(scrollTop: number, viewH: number, total: number, rowH: number, maxPx: number): Viewport {
  const trueH = total * rowH;
  const rowsPx = Math.min(trueH, maxPx);
  const trueMax = Math.max(0, trueH - viewH);
  const scrollMax = Math.max(0, rowsPx - viewH);
  const scale = scrollMax > 0 ? trueMax / scrollMax : 1;
  const pos = Math.max(0, Math.min(scrollTop, scrollMax)) * scale;
  const first = Math.min(Math.floor(pos / rowH), Math.max(0, total - 1));
  return { first, shift: pos - first * rowH, rowsPx, scale };
}

/** The scroll position that puts row `row` at the top (the inverse of viewportAt). */
export function scrollTopFor(row: number, viewH: number, total: number, rowH: number, maxPx: number): number {
  // the scale as viewportAt computes it (repeated: each helper must stand alone in the webview)
  const scrollMax = Math.max(0, Math.min(total * rowH, maxPx) - viewH);
  const scale = scrollMax > 0 ? Math.max(0, total * rowH - viewH) / scrollMax : 1;
  return (Math.max(0, row) * rowH) / scale;
}

/** Which pages cover rows [first, last) and are neither loaded nor requested, nearest to `near` first. */
export function pagesToRequest(first: number, last: number, pageSize: number, have: ReadonlySet<number>, near = first): number[] {
  const out: number[] = [];
  for (let p = Math.floor(Math.max(0, first) / pageSize); p * pageSize < last; p++) if (!have.has(p)) out.push(p);
  const centre = Math.floor(near / pageSize);
  return out.sort((a, b) => Math.abs(a - centre) - Math.abs(b - centre) || a - b);
}

/**
 * A cell's text: numbers to 8 significant digits (about what Stata's browser shows), missing as `.`,
 * a value with a value label as its label (`labelled`: the page tints it, as Stata's browser does).
 */
export function formatCell(v: unknown, numeric: boolean, labels?: ReadonlyMap<number, string>): { text: string; missing: boolean; labelled?: boolean } {
  if (v === null) return { text: numeric ? '.' : '', missing: true };
  if (v === undefined) return { text: '…', missing: false };
  const label = typeof v === 'number' ? labels?.get(v) : undefined;
  if (label !== undefined) return { text: label, missing: false, labelled: true };
  if (typeof v === 'number') return { text: Number.isInteger(v) ? String(v) : String(+v.toPrecision(8)), missing: false };
  return { text: String(v), missing: false };
}

export interface ProfileView {
  lines: string[]; // type and missing; mean and sd, or distinct values and the most frequent one
  bars: number[]; // bar heights in [0, 1]: the histogram, or the most frequent values
  tip: string; // the whole profile, for the tooltip
}

/** What the profile strip under a column's name shows. */
export function profileView(p: any): ProfileView | null {
  if (!p || typeof p !== 'object') return null;
  const g = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? String(+x.toPrecision(4)) : '.');
  const all = p.n + p.missing;
  const miss = p.missing === 0 ? 'no missing' : `${p.missing.toLocaleString('en-US')} missing (${((100 * p.missing) / Math.max(1, all)).toPrecision(2)}%)`;
  const scaled = (xs: number[]) => {
    const top = Math.max(1, ...xs);
    return xs.map((x) => x / top);
  };
  if (p.kind === 'numeric') {
    const counts: number[] = p.histogram ? p.histogram.counts : [];
    return {
      lines: p.n ? [`num · ${miss}`, `mean ${g(p.mean)}`, `sd ${g(p.sd)}`] : [`num · ${miss}`, 'all missing', ''],
      bars: scaled(counts),
      tip: [`numeric, ${p.n.toLocaleString('en-US')} values, ${miss}`, `mean ${g(p.mean)}, sd ${g(p.sd)}`, `min ${g(p.min)}, max ${g(p.max)}`].join('\n'),
    };
  }
  const top: { value: string; count: number }[] = p.top ?? [];
  return {
    lines: [`str · ${miss}`, `${p.distinct.toLocaleString('en-US')} distinct`, top.length ? `top ${JSON.stringify(top[0].value)}` : ''],
    bars: scaled(top.map((t) => t.count)),
    tip: [`string, ${p.n.toLocaleString('en-US')} values, ${p.distinct.toLocaleString('en-US')} distinct, ${miss}`, ...top.slice(0, 5).map((t) => `${JSON.stringify(t.value)}: ${t.count.toLocaleString('en-US')}`)].join('\n'),
  };
}

export interface GridHelpers {
  viewportAt: typeof viewportAt;
  scrollTopFor: typeof scrollTopFor;
  pagesToRequest: typeof pagesToRequest;
  formatCell: typeof formatCell;
  profileView: typeof profileView;
}

// Self-contained (injected as source text); the browser objects it uses are typed loosely here
// because the project compiles without the DOM library.
export function dataViewerMain(cfg: GridConfig, h: GridHelpers): void {
  const w = globalThis as any;
  const vscode = w.acquireVsCodeApi();
  const doc = w.document;
  const $ = (id: string) => doc.getElementById(id);
  const scroller = $('ps-scroll');
  const view = $('ps-view');
  const spacer = $('ps-spacer');
  const head = $('ps-head');
  const namesRow = $('ps-names');
  const profRow = $('ps-profiles');
  const body = $('ps-body');
  const info = $('ps-info');
  const status = $('ps-status');
  const filterBox = $('ps-filter');
  const { pageSize, rowH } = cfg;

  type Query = { sort: { column: string; descending: boolean } | null; filter: string };
  type Col = { name: string; label?: string; type: string; valueLabels?: [number, string][]; profile?: any; labels?: Map<number, string> };
  let gen = 0;
  let title: string = info.dataset.title ?? '';
  // the view on screen, and the one asked for (it replaces the shown one when its first page comes)
  let shown: { gen: number; query: Query; total: number; unfiltered: number; columns: Col[] } | null = null;
  let pending: { gen: number; query: Query; keepScroll: boolean; reload: boolean } | null = null;
  let pages = new Map<number, unknown[][]>();
  const inFlight = new Set<number>();
  const pool: any[] = [];
  let widths: string[] = []; // per column, the first being the row number
  let headH = 0; // the header's height, measured once per view (reading it in a frame forces a layout)
  let drawQueued = false;

  function send(g: number, q: Query, offset: number, extra: object = {}): void {
    vscode.postMessage({ type: 'need', gen: g, offset, limit: pageSize, ...(q.sort ? { sort: q.sort } : {}), ...(q.filter ? { filter: q.filter } : {}), ...extra });
  }

  function ask(query: Query, keepScroll: boolean, reload = false): void {
    pending = { gen: ++gen, query, keepScroll, reload };
    const top = keepScroll && shown ? currentViewport().first : 0;
    send(pending.gen, query, Math.floor(top / pageSize) * pageSize, { profile: true, ...(reload ? { reload: true } : {}) });
    info.textContent = `${title}: ${shown ? 'updating' : 'loading'}…`;
  }

  function viewH(): number {
    return Math.max(rowH, scroller.clientHeight - headH);
  }
  function currentViewport() {
    return h.viewportAt(scroller.scrollTop, viewH(), shown ? shown.total : 0, rowH, cfg.maxScrollPx);
  }

  function requestVisible(first: number, last: number): void {
    if (!shown) return;
    const lo = Math.max(0, first - pageSize / 2);
    const hi = Math.min(shown.total, last + pageSize / 2);
    const missing = h.pagesToRequest(lo, hi, pageSize, new Set([...pages.keys(), ...inFlight]), first);
    for (const p of missing) {
      if (inFlight.size >= cfg.maxInFlight) break;
      inFlight.add(p);
      send(shown.gen, shown.query, p * pageSize);
    }
    // forget pages far from the view
    if (pages.size > cfg.maxPages) {
      const keepLo = Math.floor(lo / pageSize);
      const keepHi = Math.floor(hi / pageSize);
      for (const p of pages.keys()) {
        if (pages.size <= cfg.maxPages) break;
        if (p < keepLo || p > keepHi) pages.delete(p);
      }
    }
  }

  /** A cell: fixed width and height, contained, so that its text never lays out anything else. */
  function cell(cls: string, j: number): any {
    const d = doc.createElement('div');
    d.className = cls;
    d.style.width = widths[j];
    return d;
  }

  function buildHeader(cols: Col[], q: Query): void {
    namesRow.textContent = '';
    profRow.textContent = '';
    const wch: number[] = [String(shown ? shown.total : 0).length + 3];
    const firstPage = pages.values().next().value as unknown[][] | undefined;
    cols.forEach((c, j) => {
      let w = Math.max(c.name.length + 2, 14);
      for (const r of (firstPage ?? []).slice(0, 50)) w = Math.max(w, h.formatCell(r[j], c.type === 'numeric').text.length);
      wch.push(Math.min(40, w) + 2);
    });
    // in px of the grid's (monospace) font, so that header cells in another font line up
    const probe = doc.createElement('span');
    probe.textContent = '0000000000';
    view.appendChild(probe);
    const chPx = probe.getBoundingClientRect().width / 10 || 8;
    probe.remove();
    widths = wch.map((w) => `${Math.ceil(w * chPx)}px`);
    namesRow.appendChild(cell('cell rowno', 0)).textContent = '#';
    profRow.appendChild(cell('cell rowno', 0));
    cols.forEach((c, k) => {
      const th = cell('cell name' + (c.type === 'numeric' ? ' num' : ''), k + 1);
      th.setAttribute('role', 'columnheader');
      th.tabIndex = 0;
      const sorted = q.sort && q.sort.column === c.name;
      th.setAttribute('aria-sort', sorted ? (q.sort!.descending ? 'descending' : 'ascending') : 'none');
      th.textContent = c.name + (sorted ? (q.sort!.descending ? ' ▼' : ' ▲') : '');
      th.title = `${c.label ? c.label + '\n' : ''}Click to sort by ${c.name}`;
      const cycle = () => {
        const s = q.sort && q.sort.column === c.name ? (q.sort.descending ? null : { column: c.name, descending: true }) : { column: c.name, descending: false };
        ask({ sort: s, filter: q.filter }, false);
      };
      th.addEventListener('click', cycle);
      th.addEventListener('keydown', (e: any) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          cycle();
        }
      });
      namesRow.appendChild(th);
      const pv = h.profileView(c.profile);
      const pc = cell('cell profile', k + 1);
      if (pv) {
        pc.title = pv.tip;
        for (const t of pv.lines) {
          const d = doc.createElement('div');
          d.textContent = t;
          pc.appendChild(d);
        }
        const svg = doc.createElementNS('http://www.w3.org/2000/svg', 'svg');
        svg.setAttribute('viewBox', `0 0 ${Math.max(1, pv.bars.length)} 1`);
        svg.setAttribute('preserveAspectRatio', 'none');
        svg.setAttribute('class', 'bars');
        pv.bars.forEach((b: number, k2: number) => {
          const r = doc.createElementNS('http://www.w3.org/2000/svg', 'rect');
          r.setAttribute('x', String(k2 + 0.08));
          r.setAttribute('width', '0.84');
          r.setAttribute('y', String(1 - b));
          r.setAttribute('height', String(b));
          svg.appendChild(r);
        });
        pc.appendChild(svg);
      }
      profRow.appendChild(pc);
    });
    pool.length = 0;
    body.textContent = '';
    headH = head.offsetHeight;
  }

  function rowEl(): any {
    const tr = doc.createElement('div');
    tr.setAttribute('role', 'row');
    const cells = [];
    for (let j = 0; j <= (shown ? shown.columns.length : 0); j++) cells.push(tr.appendChild(cell(j === 0 ? 'cell rowno' : 'cell', j)));
    body.appendChild(tr);
    return { tr, cells, key: -2 };
  }

  function draw(): void {
    drawQueued = false;
    if (!shown) return;
    // all reads before any write: a read after a write forces the browser to lay out mid-frame
    const vh = scroller.clientHeight;
    const vp = currentViewport();
    const count = Math.ceil(viewH() / rowH) + 1;
    view.style.height = `${vh}px`;
    spacer.style.height = `${Math.max(0, headH + vp.rowsPx - vh)}px`;
    while (pool.length < count) pool.push(rowEl());
    body.style.transform = `translateY(${-vp.shift}px)`;
    const cols = shown.columns;
    for (const c of cols) if (c.valueLabels && !c.labels) c.labels = new Map(c.valueLabels);
    for (let r = 0; r < pool.length; r++) {
      const i = vp.first + r;
      const el = pool[r];
      if (r >= count || i >= shown.total) {
        el.tr.hidden = true;
        el.key = -2;
        continue;
      }
      el.tr.hidden = false;
      const row = pages.get(Math.floor(i / pageSize))?.[i % pageSize];
      const key = row ? i : -1 - i; // redraw a row when it arrives
      if (el.key === key) continue;
      el.key = key;
      // only what changed is written: each write to the DOM costs style and layout work in the frame
      const odd = i % 2 ? 'row odd' : 'row';
      if (el.tr.className !== odd) el.tr.className = odd;
      el.cells[0].textContent = String(i + 1);
      for (let j = 0; j < cols.length; j++) {
        const numeric = cols[j].type === 'numeric';
        const f = h.formatCell(row ? row[j] : undefined, numeric, cols[j].labels);
        const td = el.cells[j + 1];
        if (td.textContent !== f.text) td.textContent = f.text;
        const cls = 'cell' + (numeric && !f.labelled ? ' num' : '') + (f.missing ? ' missing' : '') + (f.labelled ? ' labelled' : '');
        if (td.className !== cls) td.className = cls;
      }
    }
    requestVisible(vp.first, vp.first + count);
  }
  const queueDraw = () => {
    if (!drawQueued) {
      drawQueued = true;
      w.requestAnimationFrame(draw);
    }
  };

  function describe(): void {
    if (!shown) return;
    const n = (x: number) => x.toLocaleString('en-US');
    const rows = shown.query.filter ? `${n(shown.total)} of ${n(shown.unfiltered)} rows match the filter` : `${n(shown.total)} rows`;
    const sort = shown.query.sort ? ` · sorted by ${shown.query.sort.column}${shown.query.sort.descending ? ' (descending)' : ''}` : '';
    info.textContent = `${title}: ${rows} · ${shown.columns.length} columns${sort} · read-only`;
  }

  w.addEventListener('message', (e: any) => {
    const m = e.data;
    if (!m) return;
    if (m.type === 'refresh') {
      if (shown) ask(shown.query, true);
      return;
    }
    if (m.type === 'error') {
      if (pending && m.gen === pending.gen) {
        pending = null;
        describe();
        if (!shown) info.textContent = `${title || 'Data'}: no data`;
      }
      inFlight.clear();
      status.textContent = m.message;
      filterBox.classList.toggle('invalid', /filter:/.test(m.message));
      return;
    }
    if (m.type !== 'page') return;
    title = m.title;
    const p = m.page;
    const idx = Math.floor(p.offset / pageSize);
    if (pending && m.gen === pending.gen) {
      const keep = pending.keepScroll;
      const top = keep ? scroller.scrollTop : 0;
      shown = { gen: pending.gen, query: pending.query, total: p.total, unfiltered: p.unfiltered, columns: p.columns };
      pending = null;
      pages = new Map([[idx, p.rows]]);
      inFlight.clear();
      status.textContent = '';
      filterBox.classList.remove('invalid');
      buildHeader(shown.columns, shown.query);
      describe();
      draw(); // sizes the spacer before the scroll position is restored
      scroller.scrollTop = keep ? top : 0;
      draw();
      return;
    }
    if (!shown || m.gen !== shown.gen) return; // a page of a view no longer shown
    inFlight.delete(idx);
    pages.set(idx, p.rows);
    queueDraw();
  });

  scroller.addEventListener('scroll', queueDraw);
  w.addEventListener('resize', queueDraw);
  // Scaled scroll range: move by the wheel's distance in rows, not in scaled pixels.
  scroller.addEventListener(
    'wheel',
    (e: any) => {
      const vp = currentViewport();
      if (vp.scale <= 1 || e.ctrlKey) return;
      e.preventDefault();
      const unit = e.deltaMode === 1 ? rowH : e.deltaMode === 2 ? viewH() : 1;
      scroller.scrollTop += (e.deltaY * unit) / vp.scale;
      scroller.scrollLeft += e.deltaX * unit;
    },
    { passive: false },
  );
  scroller.addEventListener('keydown', (e: any) => {
    if (!shown || e.target !== scroller) return;
    const vp = currentViewport();
    const page = Math.max(1, Math.floor(viewH() / rowH) - 1);
    const to: Record<string, number> = { ArrowDown: vp.first + 1, ArrowUp: vp.first - 1, PageDown: vp.first + page, PageUp: vp.first - page, Home: 0, End: shown.total };
    if (!(e.key in to) || (vp.scale <= 1 && e.key.startsWith('Arrow'))) return;
    e.preventDefault();
    scroller.scrollTop = h.scrollTopFor(Math.min(shown.total, Math.max(0, to[e.key])), viewH(), shown.total, rowH, cfg.maxScrollPx);
  });
  filterBox.addEventListener('keydown', (e: any) => {
    if (e.key === 'Enter') ask({ sort: shown ? shown.query.sort : null, filter: filterBox.value.trim() }, false);
    else if (e.key === 'Escape' && filterBox.value) {
      filterBox.value = '';
      if (shown && shown.query.filter) ask({ sort: shown.query.sort, filter: '' }, false);
    }
  });
  $('ps-clear').addEventListener('click', () => {
    filterBox.value = '';
    if (shown && shown.query.filter) ask({ sort: shown.query.sort, filter: '' }, false);
  });
  $('ps-reload').addEventListener('click', () => ask(shown ? shown.query : { sort: null, filter: '' }, true, true));
  ask({ sort: null, filter: '' }, false);
}
