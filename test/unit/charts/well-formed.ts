/**
 * A small well-formedness check for the XML-like markup the charts produce: every element is
 * closed in order, attribute values are quoted, and no raw "<" or "&" appears in text.
 */
const VOID = new Set(['br', 'hr', 'img', 'input', 'meta', 'link']);

export function assertWellFormed(markup: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(markup)) !== null) {
    checkText(markup.slice(last, m.index));
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open ?? 'nothing'}> at ${m.index}`);
    } else if (!selfClosing && !VOID.has(name)) {
      stack.push(name);
    }
  }
  checkText(markup.slice(last));
  if (stack.length > 0) throw new Error(`unclosed elements: ${stack.join(', ')}`);
}

function checkText(text: string): void {
  if (text.includes('<') || text.includes('>')) throw new Error(`raw angle bracket or malformed tag in: ${text.slice(0, 80)}`);
  if (/&(?!amp;|lt;|gt;|quot;|#39;)/.test(text)) throw new Error(`unescaped & in: ${text.slice(0, 80)}`);
}
