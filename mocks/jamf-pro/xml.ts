/**
 * A tiny, safe XML reader and writer for the Classic API (`/JSSResource`), which speaks XML by default.
 * Written here rather than added as a dependency because the Classic API needs only a sliver of XML:
 * elements, text, the five predefined entities and numeric character references, CDATA and comments.
 * Attributes are read past and ignored (the Classic API does not use them). Safety comes from what is
 * refused: a DOCTYPE with an internal subset (so no entity definitions and no expansion bombs), any
 * entity that is not predefined or numeric, unbalanced or mismatched tags, nesting deeper than a bound,
 * and more elements than a bound. Every refusal is an `XmlSyntaxError` naming the line and column.
 */

export interface XmlElement {
  readonly name: string;
  readonly children: readonly XmlElement[];
  /** The element's own text (text nodes and CDATA directly inside it), entities resolved. */
  readonly text: string;
}

export class XmlSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(`${message} (line ${line}, column ${column})`);
    this.name = 'XmlSyntaxError';
    this.line = line;
    this.column = column;
  }
}

export interface XmlLimits {
  /** Deepest element nesting accepted (default 64). */
  readonly maxDepth?: number;
  /** Most elements accepted in one document (default 100,000). */
  readonly maxElements?: number;
}

const NAME_START = /[A-Za-z_:\u00C0-\uFFFF]/;
const NAME_CHAR = /[A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]/;
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

interface Building {
  name: string;
  children: XmlElement[];
  text: string;
}

class Reader {
  readonly #src: string;
  readonly #maxDepth: number;
  readonly #maxElements: number;
  #pos = 0;
  #elements = 0;

  constructor(src: string, limits: XmlLimits) {
    this.#src = src;
    this.#maxDepth = limits.maxDepth ?? 64;
    this.#maxElements = limits.maxElements ?? 100_000;
  }

  #fail(message: string, at = this.#pos): never {
    let line = 1;
    let column = 1;
    for (let i = 0; i < at && i < this.#src.length; i++) {
      if (this.#src[i] === '\n') {
        line++;
        column = 1;
      } else column++;
    }
    throw new XmlSyntaxError(message, line, column);
  }

  #startsWith(text: string): boolean {
    return this.#src.startsWith(text, this.#pos);
  }

  #skipSpace(): void {
    while (/\s/.test(this.#src[this.#pos] ?? '')) this.#pos++;
  }

  /** Skips comments, processing instructions and whitespace between markup in the prolog and epilog. */
  #skipMisc(allowDoctype: boolean): void {
    for (;;) {
      this.#skipSpace();
      if (this.#startsWith('<!--')) this.#comment();
      else if (this.#startsWith('<?')) this.#processingInstruction();
      else if (this.#startsWith('<!DOCTYPE')) {
        if (!allowDoctype) this.#fail('a DOCTYPE is only allowed before the root element');
        this.#doctype();
        allowDoctype = false;
      } else return;
    }
  }

  #comment(): void {
    const end = this.#src.indexOf('-->', this.#pos + 4);
    if (end < 0) this.#fail('unterminated comment');
    this.#pos = end + 3;
  }

  #processingInstruction(): void {
    const end = this.#src.indexOf('?>', this.#pos + 2);
    if (end < 0) this.#fail('unterminated processing instruction');
    this.#pos = end + 2;
  }

  #doctype(): void {
    const start = this.#pos;
    let quote: string | undefined;
    for (let i = this.#pos + 9; i < this.#src.length; i++) {
      const ch = this.#src[i];
      if (quote) {
        if (ch === quote) quote = undefined;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '[') this.#fail('a DOCTYPE with an internal subset is not accepted', i);
      else if (ch === '>') {
        this.#pos = i + 1;
        return;
      }
    }
    this.#fail('unterminated DOCTYPE', start);
  }

  #name(): string {
    const start = this.#pos;
    if (!NAME_START.test(this.#src[this.#pos] ?? '')) this.#fail('expected an element name');
    this.#pos++;
    while (NAME_CHAR.test(this.#src[this.#pos] ?? '')) this.#pos++;
    return this.#src.slice(start, this.#pos);
  }

  #reference(): string {
    const start = this.#pos;
    const end = this.#src.indexOf(';', start);
    if (end < 0 || end - start > 12) this.#fail("an '&' must start an entity reference like &amp;", start);
    const body = this.#src.slice(start + 1, end);
    this.#pos = end + 1;
    const predefined = PREDEFINED[body];
    if (predefined !== undefined) return predefined;
    const numeric = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(body);
    if (!numeric) this.#fail(`unknown entity &${body};`, start);
    const code = numeric[1] !== undefined ? Number.parseInt(numeric[1], 16) : Number(numeric[2]);
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) this.#fail(`character reference &${body}; is not a legal XML character`, start);
    return String.fromCodePoint(code);
  }

  #attributes(): boolean {
    for (;;) {
      this.#skipSpace();
      if (this.#startsWith('/>')) {
        this.#pos += 2;
        return true;
      }
      if (this.#startsWith('>')) {
        this.#pos += 1;
        return false;
      }
      this.#name();
      this.#skipSpace();
      if (this.#src[this.#pos] !== '=') this.#fail('expected = after an attribute name');
      this.#pos++;
      this.#skipSpace();
      const quote = this.#src[this.#pos];
      if (quote !== '"' && quote !== "'") this.#fail('attribute values must be quoted');
      this.#pos++;
      for (;;) {
        const ch = this.#src[this.#pos];
        if (ch === undefined) this.#fail('unterminated attribute value');
        if (ch === quote) {
          this.#pos++;
          break;
        }
        if (ch === '<') this.#fail("'<' is not allowed in an attribute value");
        if (ch === '&') this.#reference();
        else this.#pos++;
      }
    }
  }

  element(depth: number): XmlElement {
    if (depth > this.#maxDepth) this.#fail(`elements are nested deeper than ${this.#maxDepth}`);
    if (++this.#elements > this.#maxElements) this.#fail(`more than ${this.#maxElements} elements`);
    const open = this.#pos;
    this.#pos++; // '<'
    const el: Building = { name: this.#name(), children: [], text: '' };
    if (this.#attributes()) return el;
    for (;;) {
      const ch = this.#src[this.#pos];
      if (ch === undefined) this.#fail(`element <${el.name}> is never closed`, open);
      if (ch === '<') {
        if (this.#startsWith('</')) {
          this.#pos += 2;
          const at = this.#pos;
          const name = this.#name();
          if (name !== el.name) this.#fail(`expected </${el.name}> but found </${name}>`, at);
          this.#skipSpace();
          if (this.#src[this.#pos] !== '>') this.#fail(`expected '>' to close </${name}>`);
          this.#pos++;
          return el;
        }
        if (this.#startsWith('<!--')) this.#comment();
        else if (this.#startsWith('<![CDATA[')) {
          const end = this.#src.indexOf(']]>', this.#pos + 9);
          if (end < 0) this.#fail('unterminated CDATA section');
          el.text += this.#src.slice(this.#pos + 9, end);
          this.#pos = end + 3;
        } else if (this.#startsWith('<?')) this.#processingInstruction();
        else if (this.#startsWith('<!')) this.#fail('markup declarations are not allowed inside elements');
        else el.children.push(this.element(depth + 1));
      } else if (ch === '&') {
        el.text += this.#reference();
      } else {
        const next = this.#src.slice(this.#pos).search(/[<&]/);
        const end = next < 0 ? this.#src.length : this.#pos + next;
        el.text += this.#src.slice(this.#pos, end);
        this.#pos = end;
      }
    }
  }

  document(): XmlElement {
    if (this.#src.charCodeAt(0) === 0xfeff) this.#pos = 1;
    this.#skipMisc(true);
    if (this.#pos >= this.#src.length) this.#fail('the document is empty');
    if (this.#src[this.#pos] !== '<') this.#fail('expected the root element');
    const root = this.element(1);
    this.#skipMisc(false);
    if (this.#pos < this.#src.length) this.#fail('content after the root element');
    return root;
  }
}

/** Parses a whole document and returns its root element. */
export function parseXml(source: string, limits: XmlLimits = {}): XmlElement {
  return new Reader(source, limits).document();
}

/** The first child element called `name`. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** Every child element called `name`. */
export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** The trimmed text of the first child called `name`, or `undefined` when there is no such child. */
export function childText(el: XmlElement | undefined, name: string): string | undefined {
  const c = child(el, name);
  return c ? c.text.trim() : undefined;
}

// Characters XML 1.0 cannot carry at all; they are replaced rather than written out as malformed XML.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these control characters are exactly the target.
const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for element content or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text
    .replace(ILLEGAL, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
