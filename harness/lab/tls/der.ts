/**
 * Just enough DER (ITU-T X.690) to write X.509 certificates and to read the few fields of a given one
 * the lab needs. node:crypto signs, verifies and parses certificates but cannot build one, and a
 * certificate library would be a dependency for ~150 lines of encoding.
 *
 * Every writer returns the complete TLV (tag, definite length, value) as bytes.
 */

/** Universal and context tags used by X.509. */
export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

function lengthBytes(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** A TLV with `tag` around `content`. */
export function tlv(tag: number, ...content: readonly Uint8Array[]): Uint8Array {
  const value = Buffer.concat(content);
  return Buffer.concat([Uint8Array.of(tag), lengthBytes(value.length), value]);
}

export const sequence = (...items: readonly Uint8Array[]): Uint8Array => tlv(TAG.sequence, ...items);

/** A SET OF, its members sorted by their encodings as DER requires. */
export const setOf = (...items: readonly Uint8Array[]): Uint8Array =>
  tlv(TAG.set, ...[...items].sort((a, b) => Buffer.compare(a, b)));

/** `[n] EXPLICIT`: a constructed context tag around the whole inner TLV. */
export const explicit = (n: number, inner: Uint8Array): Uint8Array => tlv(0xa0 | n, inner);

/** `[n] IMPLICIT` over a primitive type: the context tag replaces the type's tag. */
export const implicitPrimitive = (n: number, value: Uint8Array): Uint8Array => tlv(0x80 | n, value);

export const boolean = (value: boolean): Uint8Array => tlv(TAG.boolean, Uint8Array.of(value ? 0xff : 0));

export const nullValue = (): Uint8Array => tlv(TAG.null);

/**
 * An INTEGER from its unsigned big-endian magnitude (a serial number) or a small non-negative number:
 * leading zero bytes dropped, one added back when the top bit would make it negative.
 */
export function integer(value: number | Uint8Array): Uint8Array {
  let bytes: Uint8Array;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`integer: ${value} is not a non-negative integer`);
    const out: number[] = [];
    for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) out.unshift(rest % 256);
    bytes = Uint8Array.from(out);
  } else bytes = value;
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.length === 0 ? Uint8Array.of(0) : bytes.subarray(start);
  return tlv(TAG.integer, (trimmed[0] ?? 0) & 0x80 ? Uint8Array.of(0, ...trimmed) : trimmed);
}

/** An OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((arc) => {
    if (!/^\d+$/.test(arc)) throw new RangeError(`oid: "${dotted}" is not a dotted object identifier`);
    return Number(arc);
  });
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined || first > 2 || (first < 2 && second > 39))
    throw new RangeError(`oid: "${dotted}" is not a valid object identifier`);
  const out: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const base128: number[] = [arc % 128];
    for (let high = Math.floor(arc / 128); high > 0; high = Math.floor(high / 128))
      base128.unshift((high % 128) | 0x80);
    out.push(...base128);
  }
  return tlv(TAG.oid, Uint8Array.from(out));
}

export const octetString = (value: Uint8Array): Uint8Array => tlv(TAG.octetString, value);

/** A BIT STRING of whole bytes (a public key, a signature): no unused bits. */
export const bitString = (value: Uint8Array): Uint8Array => tlv(TAG.bitString, Uint8Array.of(0), value);

/**
 * A named-bit BIT STRING (keyUsage) from the numbers of the bits set, bit 0 first — DER drops trailing
 * zero bits and says how many bits of the last byte are unused.
 */
export function namedBits(bits: readonly number[]): Uint8Array {
  if (bits.length === 0) return tlv(TAG.bitString, Uint8Array.of(0));
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const bit of bits)
    bytes[Math.floor(bit / 8)] = (bytes[Math.floor(bit / 8)] ?? 0) | (0x80 >> (bit % 8));
  return tlv(TAG.bitString, Uint8Array.of(7 - (highest % 8)), bytes);
}

export const utf8String = (value: string): Uint8Array => tlv(TAG.utf8String, Buffer.from(value, 'utf8'));

export const ia5String = (value: string): Uint8Array => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: IA5 is 7-bit ASCII, controls included
  if (!/^[\x00-\x7f]*$/.test(value)) throw new RangeError('ia5String: not 7-bit ASCII');
  return tlv(TAG.ia5String, Buffer.from(value, 'ascii'));
};

/**
 * An X.509 Time (RFC 5280 §4.1.2.5): UTCTime through 2049, GeneralizedTime from 2050, in whole seconds,
 * always in Z.
 */
export function time(at: Date): Uint8Array {
  const iso = at.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = at.getUTCFullYear();
  if (year < 1950 || year > 9999) throw new RangeError(`time: year ${year} is outside 1950-9999`);
  return year < 2050
    ? tlv(TAG.utcTime, Buffer.from(digits.slice(2), 'ascii'))
    : tlv(TAG.generalizedTime, Buffer.from(digits, 'ascii'));
}

/** One element read back: its tag, its value, and the whole TLV as it was encoded. */
export interface DerElement {
  readonly tag: number;
  readonly value: Uint8Array;
  readonly whole: Uint8Array;
}

/** The element at `offset` of `bytes`; throws a RangeError on anything that is not definite-length DER. */
export function readElement(bytes: Uint8Array, offset = 0): DerElement {
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  if (tag === undefined || length === undefined) throw new RangeError('DER: truncated element');
  if ((tag & 0x1f) === 0x1f) throw new RangeError('DER: multi-byte tags are not supported');
  let head = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new RangeError('DER: indefinite or oversized length');
    length = 0;
    for (let i = 0; i < count; i++) {
      const byte = bytes[offset + 2 + i];
      if (byte === undefined) throw new RangeError('DER: truncated length');
      length = length * 256 + byte;
    }
    head += count;
  }
  const end = offset + head + length;
  if (end > bytes.length) throw new RangeError('DER: element runs past the end');
  return { tag, value: bytes.subarray(offset + head, end), whole: bytes.subarray(offset, end) };
}

/** The elements inside a constructed element's value, in order. */
export function readChildren(value: Uint8Array): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = 0; offset < value.length; ) {
    const child = readElement(value, offset);
    children.push(child);
    offset += child.whole.length;
  }
  return children;
}

/** The dotted form of an OBJECT IDENTIFIER's value bytes. */
export function readOid(value: Uint8Array): string {
  const arcs: number[] = [];
  let arc = 0;
  for (const byte of value) {
    arc = arc * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (arcs.length === 0) arcs.push(arc < 80 ? Math.floor(arc / 40) : 2, arc < 80 ? arc % 40 : arc - 80);
      else arcs.push(arc);
      arc = 0;
    }
  }
  return arcs.join('.');
}
