/**
 * Text without what no output format can hold: C0 control characters but tab and newline (a NUL or
 * ESC in a label made SVG invalid XML), U+FFFE/U+FFFF and unpaired surrogates. Every renderer
 * passes user text (labels, titles, notes) through it.
 */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

/** Escapes text for HTML/XML element content and attribute values (both quote kinds). */
export function escapeHtml(s: string): string {
  return cleanText(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
