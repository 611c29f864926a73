// Pure (no vscode import), so the tests can call it.

/** The line a viewer shows the data at, after edits: lines added or removed above it move it. */
export function shiftLine(line: number, changes: readonly { range: { start: { line: number }; end: { line: number } }; text: string }[]): number {
  let out = line;
  for (const c of changes) {
    if (c.range.start.line >= line) continue;
    const removed = Math.min(c.range.end.line, line) - c.range.start.line;
    const added = (c.text.match(/\n/g) ?? []).length;
    out += added - removed;
  }
  return Math.max(0, out);
}
