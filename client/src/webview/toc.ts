// The table of contents of a long run: a link to each model, table and plot of the panel, above
// the results. Short runs (fewer than TOC_MIN sections with a table or a plot) get none.

import { escapeHtml } from '../../../server/src/results/render/escape';
import type { PanelItem } from '../panelModel';

export const TOC_MIN = 5;

/** The id of a result's section (its position in the run: stable for one page). */
export function itemAnchor(item: PanelItem): string {
  return `ps-item-${item.index}`;
}

const link = (target: string, text: string) => `<a class="ps-link" href="#${escapeHtml(target)}" data-action="goto" data-target="${escapeHtml(target)}">${escapeHtml(text)}</a>`;

export function tocHtml(items: PanelItem[]): string {
  const shown = items.filter((i) => i.tables.length || i.plots.length);
  if (shown.length < TOC_MIN) return '';
  const entries = shown.map((i) => {
    // an item with several parts (an event study's plot and its two tables) lists them below its link
    const parts = [...i.plots.map((p) => ({ id: p.id, title: p.title })), ...i.tables.map((t) => ({ id: t.id, title: t.title }))];
    const sub = parts.length > 1 ? `<ul>${parts.map((p) => `<li>${link(p.id, p.title)}</li>`).join('')}</ul>` : '';
    return `<li>${link(itemAnchor(i), i.heading)}${sub}</li>`;
  });
  return `<nav class="ps-toc" aria-label="Contents"><details open><summary>Contents (${shown.length})</summary><ol>${entries.join('')}</ol></details></nav>`;
}
