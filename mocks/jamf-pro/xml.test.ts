/**
 * The XML reader and writer on their own, and the Classic renderer built on the writer: what is read,
 * what is refused (with a position), and that what is written reads back.
 */
import { expect, test } from 'vitest';
import { ClassicList, negotiateClassic, renderClassic } from './classic-format.ts';
import { child, childrenNamed, childText, escapeXml, parseXml, XmlSyntaxError } from './xml.ts';

test('elements, text and nesting are read, with the declaration, comments and whitespace skipped', () => {
  const root = parseXml(`<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<computer>
  <extension_attributes>
    <extension_attribute><id>5</id><value>High</value></extension_attribute>
    <extension_attribute><id>6</id><value/></extension_attribute>
  </extension_attributes>
</computer>`);
  expect(root.name).toBe('computer');
  const eas = childrenNamed(child(root, 'extension_attributes'), 'extension_attribute');
  expect(eas.map((e) => [childText(e, 'id'), childText(e, 'value')])).toEqual([
    ['5', 'High'],
    ['6', ''],
  ]);
  expect(childText(root, 'missing')).toBeUndefined();
});

test('the predefined entities and decimal and hex character references are resolved', () => {
  const root = parseXml('<v>&amp;&lt;&gt;&quot;&apos; &#65;&#x42;&#x1F600;</v>');
  expect(root.text).toBe(`&<>"' AB\u{1F600}`);
});

test('CDATA is taken literally and joins the surrounding text', () => {
  expect(parseXml('<v>a<![CDATA[<b>&amp;</b>]]>c</v>').text).toBe('a<b>&amp;</b>c');
});

test('attributes are read past and ignored, even with > inside a quoted value', () => {
  const root = parseXml(`<a x="1 > 0" y='&amp;'><b z="q"/></a>`);
  expect(root.children.map((c) => c.name)).toEqual(['b']);
});

test('a DOCTYPE without an internal subset is allowed, as Apple plists carry one', () => {
  const plist = parseXml(
    '<?xml version="1.0"?><!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd"><plist version="1.0"><dict/></plist>',
  );
  expect(plist.name).toBe('plist');
});

test.each([
  ['', /the document is empty/],
  ['just text', /expected the root element/],
  ['<a><b></a>', /expected <\/b> but found <\/a>/],
  ['<a>', /element <a> is never closed/],
  ['<a></a><b/>', /content after the root element/],
  ['<a>&nbsp;</a>', /unknown entity &nbsp;/],
  ['<a>AT&T</a>', /an '&' must start an entity reference/],
  ['<a>&#0;</a>', /not a legal XML character/],
  ['<a x=1/>', /attribute values must be quoted/],
  ['<a><!-- open</a>', /unterminated comment/],
  ['<a><![CDATA[x</a>', /unterminated CDATA/],
  ['<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', /internal subset is not accepted/],
  ['<a><!ENTITY e "x"></a>', /markup declarations are not allowed/],
  ['<1a/>', /expected an element name/],
])('the malformed document %s is refused with a clear message', (source, message) => {
  expect(() => parseXml(source)).toThrow(XmlSyntaxError);
  expect(() => parseXml(source)).toThrow(message);
});

test('errors name the line and column', () => {
  try {
    parseXml('<a>\n  <b>\n</a>');
    expect.unreachable();
  } catch (error) {
    expect(error).toBeInstanceOf(XmlSyntaxError);
    expect((error as XmlSyntaxError).line).toBe(3);
    expect((error as XmlSyntaxError).message).toMatch(/line 3, column 3/);
  }
});

test('nesting depth and element count are bounded', () => {
  const deep = `${'<a>'.repeat(70)}${'</a>'.repeat(70)}`;
  expect(() => parseXml(deep)).toThrow(/nested deeper than 64/);
  expect(parseXml(deep, { maxDepth: 100 }).name).toBe('a');
  const wide = `<a>${'<b/>'.repeat(50)}</a>`;
  expect(() => parseXml(wide, { maxElements: 10 })).toThrow(/more than 10 elements/);
});

test('escaping covers markup characters and replaces characters XML cannot carry', () => {
  expect(escapeXml('<a href="x">&</a>\u0001')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;\uFFFD');
});

test('a Classic document renders to XML with sizes and reads back', () => {
  const { body, contentType } = renderClassic(
    'computer_group',
    {
      id: 3,
      name: 'High risk & <quarantine>',
      is_smart: true,
      site: { id: -1, name: 'None' },
      computers: new ClassicList('computer', [{ id: 1, name: 'Mac' }]),
      description: null,
    },
    'xml',
  );
  expect(contentType).toBe('text/xml;charset=UTF-8');
  expect(body.startsWith('<?xml version="1.0" encoding="UTF-8"?><computer_group><id>3</id>')).toBe(true);
  expect(body).toContain('<computers><size>1</size><computer><id>1</id>');
  expect(body).toContain('<description/>');
  const root = parseXml(body);
  expect(childText(root, 'name')).toBe('High risk & <quarantine>');
  expect(childText(root, 'is_smart')).toBe('true');
});

test('the same Classic document renders to JSON with arrays, typed scalars and empty strings', () => {
  const { body, contentType } = renderClassic(
    'computer_group',
    { id: 3, is_smart: false, computers: new ClassicList('computer', [{ id: 1 }]), description: null },
    'json',
  );
  expect(contentType).toBe('application/json;charset=UTF-8');
  expect(JSON.parse(body)).toEqual({
    computer_group: { id: 3, is_smart: false, computers: [{ id: 1 }], description: '' },
  });
});

test('JSON is chosen only when the client asks for it before XML', () => {
  expect(negotiateClassic(undefined)).toBe('xml');
  expect(negotiateClassic('*/*')).toBe('xml');
  expect(negotiateClassic('application/json')).toBe('json');
  expect(negotiateClassic('application/json, text/xml')).toBe('json');
  expect(negotiateClassic('application/xml, application/json')).toBe('xml');
});
