// The results page's stylesheet: VS Code theme variables only, so it follows light, dark and
// high-contrast themes; SVG plots draw with currentColor and pick accents from these classes.

export const PAGE_CSS = `
:root { color-scheme: light dark; }
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-editor-foreground); background: var(--vscode-editor-background); padding: 0 16px 32px; }
header.ps-top { position: sticky; top: 0; z-index: 2; display: flex; align-items: center; gap: 12px; padding: 8px 0; background: var(--vscode-editor-background); border-bottom: 1px solid var(--vscode-panel-border, var(--vscode-editorWidget-border, transparent)); }
header.ps-top h1 { font-size: 1.1em; margin: 0; font-weight: 600; flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.ps-meta { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
section.ps-item { margin: 18px 0; }
section.ps-item > h2 { font-size: 1em; font-weight: 600; margin: 0 0 6px; color: var(--vscode-foreground); }
.ps-line { color: var(--vscode-descriptionForeground); margin: 4px 0; }
.ps-badge { margin-left: 8px; padding: 0 6px; border-radius: 8px; font-size: 0.85em; font-weight: normal; border: 1px solid var(--vscode-editorWarning-foreground, currentColor); color: var(--vscode-editor-foreground); }
.ps-badge-previous { border-color: var(--vscode-descriptionForeground); }
section.ps-stale > :not(h2), section.ps-previous > :not(h2) { opacity: 0.6; }
.ps-stopped { margin: 4px 0 0; }
.ps-table-wrap { overflow-x: auto; margin: 6px 0; }
.ps-table { border-collapse: collapse; border-top: 2px solid var(--vscode-editor-foreground); font-variant-numeric: tabular-nums; }
.ps-table tbody:last-of-type tr:last-child > * { border-bottom: 2px solid var(--vscode-editor-foreground); }
.ps-table caption { text-align: left; font-weight: 600; padding: 4px 0; caption-side: top; }
.ps-table th, .ps-table td { padding: 2px 12px; text-align: center; font-weight: normal; white-space: nowrap; }
.ps-table .ps-stub { text-align: left; }
.ps-table thead tr:last-child th { border-bottom: 1px solid var(--vscode-editor-foreground); }
.ps-table tbody + tbody tr:first-child > * { border-top: 1px solid var(--vscode-editor-foreground); }
.ps-table tfoot td { text-align: left; font-size: 0.85em; color: var(--vscode-descriptionForeground); padding-top: 4px; }
.ps-table .ps-se { color: var(--vscode-descriptionForeground); }
/* Stars in the text colour, bold: chart colours can be translucent (charts.orange is rgba(234,92,0,0.33)
   in some themes) and fade into the background. */
.ps-table .ps-stars { color: var(--vscode-editor-foreground); font-weight: 700; }
.ps-actions { display: flex; flex-wrap: wrap; gap: 4px; margin: 4px 0 10px; align-items: center; }
.ps-actions.ps-all { margin: 0; }
.ps-actions .ps-sep { color: var(--vscode-descriptionForeground); margin: 0 4px; }
button { font-family: inherit; font-size: 0.9em; color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); border: 1px solid var(--vscode-button-border, transparent); border-radius: 2px; padding: 2px 8px; cursor: pointer; }
button:hover { background: var(--vscode-button-secondaryHoverBackground); }
button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
a.ps-link { color: var(--vscode-textLink-foreground); cursor: pointer; text-decoration: underline; }
.ps-figure { margin: 6px 0; color: var(--vscode-editor-foreground); }
.ps-figure svg { max-width: 100%; height: auto; }
.ps-plot { font-family: var(--vscode-font-family); }
.ps-plot .ps-point, .ps-plot .ps-ci { color: var(--vscode-charts-blue); }
.ps-plot .ps-ref { fill: var(--vscode-editor-background); }
.ps-plot .ps-bar { color: var(--vscode-charts-blue); }
.ps-plot .ps-actual, .ps-plot .ps-actual-label { color: var(--vscode-charts-red); }
.ps-plot .ps-zero, .ps-plot .ps-adoption, .ps-plot .ps-ref-label { color: var(--vscode-descriptionForeground); }
.ps-coefplot .ps-series-0 { color: var(--vscode-charts-blue); }
.ps-coefplot .ps-series-1 { color: var(--vscode-charts-red); }
.ps-coefplot .ps-series-2 { color: var(--vscode-charts-green); }
.ps-coefplot .ps-series-3 { color: var(--vscode-charts-orange); }
.ps-coefplot .ps-series-4 { color: var(--vscode-charts-purple); }
.ps-coefplot .ps-series-5 { color: var(--vscode-charts-yellow); }
button:disabled { opacity: 0.5; cursor: default; }
.ps-note { color: var(--vscode-descriptionForeground); margin: 8px 0; }
.ps-note code { font-family: var(--vscode-editor-font-family); }
.ps-toc { margin: 10px 0 4px; }
.ps-toc summary { cursor: pointer; font-weight: 600; }
.ps-toc ol { margin: 4px 0; padding-left: 22px; columns: 2 22em; }
.ps-toc ul { margin: 0; padding-left: 16px; font-size: 0.9em; }
.ps-table.ps-history td, .ps-table.ps-history th { vertical-align: top; }
.ps-table .ps-left { text-align: left; white-space: normal; max-width: 26em; }
.ps-table tr.ps-picked > * { background: var(--vscode-list-inactiveSelectionBackground, transparent); }
.ps-hash { font-family: var(--vscode-editor-font-family); font-size: 0.9em; }
.ps-compare { margin-top: 20px; border-top: 1px solid var(--vscode-panel-border, var(--vscode-editorWidget-border, transparent)); }
.ps-compare h2 { font-size: 1em; font-weight: 600; }
.ps-cmp-model { font-size: 0.95em; font-weight: 600; margin: 14px 0 4px; }
.ps-table.ps-cmp thead tr:first-child th { border-bottom: 1px solid var(--vscode-editor-foreground); }
.ps-table .ps-diff { font-weight: 600; }
.ps-table .ps-missing { color: var(--vscode-descriptionForeground); }
.ps-past { border-left: 3px solid var(--vscode-editorWarning-foreground, var(--vscode-focusBorder)); background: var(--vscode-textBlockQuote-background, transparent); padding: 8px 12px; margin: 12px 0; }
.ps-provenance { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0 12px; color: var(--vscode-descriptionForeground); }
.ps-provenance dt { font-weight: 600; }
.ps-provenance dd { margin: 0; overflow-wrap: anywhere; }
.ps-error { border-left: 3px solid var(--vscode-inputValidation-errorBorder, var(--vscode-errorForeground)); background: var(--vscode-inputValidation-errorBackground, transparent); padding: 8px 12px; margin: 12px 0; white-space: pre-wrap; }
.ps-empty { color: var(--vscode-descriptionForeground); margin-top: 24px; }
.ps-spinner { display: none; align-items: center; gap: 8px; color: var(--vscode-descriptionForeground); }
body.ps-running .ps-spinner { display: inline-flex; }
.ps-stop { display: none; }
body.ps-running .ps-stop { display: inline-block; }
body.ps-running main { opacity: 0.55; }
.ps-spinner::before { content: ""; width: 12px; height: 12px; border: 2px solid var(--vscode-progressBar-background); border-right-color: transparent; border-radius: 50%; animation: ps-spin 0.8s linear infinite; }
@keyframes ps-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .ps-spinner::before { animation: none; } }
`;
