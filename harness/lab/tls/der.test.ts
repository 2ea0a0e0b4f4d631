import { describe, expect, it } from 'vitest';
import { integer, namedBits, oid, readChildren, readElement, readOid, sequence, time, tlv } from './der.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('DER', () => {
  it('encodes short and long definite lengths', () => {
    expect(hex(tlv(0x04, Buffer.alloc(3)))).toBe('0403000000');
    expect(hex(tlv(0x04, Buffer.alloc(200))).slice(0, 6)).toBe('0481c8');
    expect(hex(tlv(0x04, Buffer.alloc(300))).slice(0, 8)).toBe('0482012c');
  });

  it('encodes integers minimally and positive', () => {
    expect(hex(integer(0))).toBe('020100');
    expect(hex(integer(2))).toBe('020102');
    expect(hex(integer(128))).toBe('02020080');
    expect(hex(integer(Uint8Array.of(0, 0, 0x7f)))).toBe('02017f');
    expect(hex(integer(Uint8Array.of(0xff, 1)))).toBe('020300ff01');
  });

  it('encodes object identifiers (X.690 §8.19) and reads them back', () => {
    // ecdsa-with-SHA256, a well-known encoding.
    expect(hex(oid('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
    expect(readOid(readElement(oid('2.5.29.17')).value)).toBe('2.5.29.17');
    expect(() => oid('1.40')).toThrow(RangeError);
  });

  it('encodes named bits without trailing zero bits', () => {
    // keyCertSign (5) + cRLSign (6): 0000 0110, one unused bit — as openssl writes it.
    expect(hex(namedBits([5, 6]))).toBe('03020106');
    // digitalSignature (0) alone: 1000 0000, seven unused bits.
    expect(hex(namedBits([0]))).toBe('03020780');
  });

  it('writes UTCTime before 2050 and GeneralizedTime from 2050', () => {
    expect(Buffer.from(readElement(time(new Date('2026-12-08T01:02:03.456Z'))).value).toString()).toBe(
      '261208010203Z',
    );
    expect(readElement(time(new Date('2050-01-01T00:00:00Z'))).tag).toBe(0x18);
  });

  it('reads back nested elements and refuses truncated input', () => {
    const encoded = sequence(integer(1), oid('2.5.4.3'));
    const children = readChildren(readElement(encoded).value);
    expect(children.map((child) => child.tag)).toEqual([0x02, 0x06]);
    expect(() => readElement(encoded.subarray(0, encoded.length - 1))).toThrow(RangeError);
  });
});
