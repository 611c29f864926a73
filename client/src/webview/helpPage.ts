// A command's help page (PanelSpec: Help on Command, or `help COMMAND` in a spec): generated from
// the command table (syntax, description, options with their arguments and abbreviations) and
// commandHelp.ts (an example on the sample data, the Stata and R commands it matches). Static HTML
// with the theme's colours; no script.
import type { CommandSpec } from '../../../grammar/src/commands';
import { COMMAND_HELP, argText } from '../../../grammar/src/commandHelp';
import { escapeHtml } from '../../../server/src/results/render/escape';


/** Inline code spans of the table's docs (`x`) as <code>. */
function md(s: string): string {
  return escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

const CSS = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-editor-foreground); background: var(--vscode-editor-background); padding: 8px 20px 32px; max-width: 60em; line-height: 1.45; }
h1 { font-size: 1.5em; margin: 0.4em 0; } h1 .abbrev { font-weight: normal; color: var(--vscode-descriptionForeground); font-size: 0.7em; margin-left: 8px; }
h2 { font-size: 1.1em; margin: 1.4em 0 0.4em; border-bottom: 1px solid var(--vscode-panel-border, var(--vscode-descriptionForeground)); padding-bottom: 2px; }
pre, code { font-family: var(--vscode-editor-font-family); }
pre { background: var(--vscode-textCodeBlock-background); padding: 8px 10px; border-radius: 3px; overflow-x: auto; white-space: pre-wrap; }
table { border-collapse: collapse; } th, td { text-align: left; vertical-align: top; padding: 3px 14px 3px 0; } th { font-weight: 600; }
td.opt { white-space: nowrap; font-family: var(--vscode-editor-font-family); } .req { color: var(--vscode-editorWarning-foreground); font-size: 0.85em; margin-left: 4px; }
dl.match dt { font-weight: 600; float: left; width: 4em; } dl.match dd { margin: 0 0 4px 4.5em; }
`;

export function buildHelpPage(spec: CommandSpec, opts: { cspSource: string; nonce: string }): string {
  const help = COMMAND_HELP[spec.name];
  const abbrev = spec.abbrev !== spec.name ? `abbreviation ${spec.abbrev}` : '';
  const aliases = spec.aliases?.length ? `also ${spec.aliases.join(', ')}` : '';
  const rows = spec.options.map((o) => {
    const short = o.abbrev !== o.name ? ` <span class="abbrev">(${escapeHtml(o.abbrev)})</span>` : '';
    return `<tr><td class="opt">${escapeHtml(o.name + argText(o.arg))}${short}${o.required ? '<span class="req">required</span>' : ''}</td><td>${md(o.doc)}</td></tr>`;
  });
  const body = [
    `<h1>${escapeHtml(spec.name)}<span class="abbrev">${escapeHtml([abbrev, aliases].filter(Boolean).join(' · '))}</span></h1>`,
    `<p>${md(spec.doc)}</p>`,
    '<h2>Syntax</h2>',
    `<pre>${escapeHtml(spec.syntax)}</pre>`,
    spec.subcommands?.length ? `<p>Subcommands: ${spec.subcommands.map((s) => `<code>${escapeHtml(s.name)}</code> ${md(s.doc)}`).join('; ')}</p>` : '',
    spec.allowIf || spec.weights.length ? `<p>${[spec.allowIf ? '<code>if EXPR</code> selects rows' : '', spec.weights.length ? `weights: <code>[${spec.weights.join('|')}=VAR]</code>` : ''].filter(Boolean).join('; ')}.</p>` : '',
    '<h2>Options</h2>',
    rows.length ? `<table><tbody>${rows.join('')}</tbody></table>` : '<p>None.</p>',
    '<h2>Example</h2>',
    `<pre>${escapeHtml(help?.example ?? spec.syntax)}</pre>`,
    help?.stata || help?.r ? `<h2>Matches</h2><dl class="match">${help.stata ? `<dt>Stata</dt><dd><code>${escapeHtml(help.stata)}</code></dd>` : ''}${help.r ? `<dt>R</dt><dd><code>${escapeHtml(help.r)}</code></dd>` : ''}</dl>` : '',
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${escapeHtml(opts.cspSource)} 'nonce-${opts.nonce}'">`,
    `<title>help ${escapeHtml(spec.name)}</title>`,
    `<style nonce="${opts.nonce}">${CSS}</style>`,
    '</head><body>',
    ...body.filter(Boolean),
    '</body></html>',
    '',
  ].join('\n');
}
