// A tiny well-formedness check for the SVG/HTML our renderers emit (no DOM in Node): tags
// balanced and properly nested, attributes quoted, no raw `<` or stray `&` in text.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export function parseXml(src: string): XmlElement {
  const root: XmlElement = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let i = 0;
  const checkText = (t: string, at: number): void => {
    const bad = /&(?!(amp|lt|gt|quot|#39|#\d+|#x[0-9a-f]+);)/i.exec(t);
    if (bad) throw new Error(`stray & at ${at + bad.index}`);
    if (t.includes('>')) throw new Error(`raw > in text at ${at}`);
  };
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const chunk = lt < 0 ? src.slice(i) : src.slice(i, lt);
    checkText(chunk, i);
    stack[stack.length - 1].text += chunk;
    if (lt < 0) break;
    if (src.startsWith('<!--', lt)) {
      i = src.indexOf('-->', lt) + 3;
      continue;
    }
    const gt = src.indexOf('>', lt);
    if (gt < 0) throw new Error(`unclosed tag at ${lt}`);
    const tag = src.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const top = stack.pop();
      if (!top || top.name !== name) throw new Error(`</${name}> closes <${top?.name}> at ${lt}`);
    } else {
      const selfClose = tag.endsWith('/');
      const body = selfClose ? tag.slice(0, -1) : tag;
      const m = /^([A-Za-z][\w:-]*)/.exec(body);
      if (!m) throw new Error(`bad tag name at ${lt}: ${tag.slice(0, 20)}`);
      const el: XmlElement = { name: m[1], attrs: {}, children: [], text: '' };
      let rest = body.slice(m[1].length);
      const attrRe = /^\s+([\w:-]+)="([^"<]*)"/;
      for (let a = attrRe.exec(rest); a; a = attrRe.exec(rest)) {
        if (a[1] in el.attrs) throw new Error(`duplicate attribute ${a[1]}`);
        checkText(a[2], lt);
        el.attrs[a[1]] = a[2];
        rest = rest.slice(a[0].length);
      }
      if (rest.trim()) throw new Error(`bad attributes in <${el.name}>: ${rest.slice(0, 30)}`);
      stack[stack.length - 1].children.push(el);
      if (!selfClose) stack.push(el);
    }
    i = gt + 1;
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  return root;
}

export function findAll(el: XmlElement, pred: (e: XmlElement) => boolean, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (pred(c)) out.push(c);
    findAll(c, pred, out);
  }
  return out;
}

export const hasClass = (cls: string) => (e: XmlElement): boolean => (e.attrs.class ?? '').split(/\s+/).includes(cls);

export function allText(el: XmlElement): string {
  return el.text + el.children.map(allText).join('');
}
