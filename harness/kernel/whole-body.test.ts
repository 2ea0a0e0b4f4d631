/**
 * Whole-body responses: ordinary Responses to every reader, read without a stream by those that know them.
 */
import { expect, test } from 'vitest';
import { readBodyBytes, readBodyHeadText } from './bounded-body.ts';
import { takeWholeBody, wholeBodyOf, wholeResponse } from './whole-body.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const init = { status: 201, headers: { 'content-type': 'application/json', 'x-a': '1' } };

test('status, headers and every body reader answer as an ordinary Response does', async () => {
  const response = wholeResponse(bytes('{"a":1}'), init);
  expect(response).toBeInstanceOf(Response);
  expect([response.status, response.ok, response.headers.get('x-a')]).toEqual([201, true, '1']);
  expect(response.bodyUsed).toBe(false);
  expect(await response.json()).toEqual({ a: 1 });
  expect(response.bodyUsed).toBe(true);
  await expect(response.text()).rejects.toThrow(TypeError);
  expect(() => response.clone()).toThrow(TypeError);

  expect(await wholeResponse(bytes('hé'), init).text()).toBe('hé');
  expect(new TextDecoder().decode(await wholeResponse(bytes('xyz'), init).arrayBuffer())).toBe('xyz');
  expect(await (await wholeResponse(bytes('blob'), init).blob()).text()).toBe('blob');
  const form = await wholeResponse(bytes('a=b'), {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  }).formData();
  expect(form.get('a')).toBe('b');
  await expect(wholeResponse(bytes('{'), init).json()).rejects.toThrow(SyntaxError);
});

test('asking for the stream gives a real one over the same bytes; the body is then read through it', async () => {
  const response = wholeResponse(bytes('streamed'), init);
  const body = response.body;
  expect(body).toBeInstanceOf(ReadableStream);
  expect(response.body).toBe(body); // the same stream each time, as on any Response
  expect(wholeBodyOf(response)).toBeUndefined(); // no reader may take the bytes past the stream now
  expect(await response.text()).toBe('streamed');
  expect(response.bodyUsed).toBe(true);
});

test('a body read without a stream is used for a reader that asks for the stream afterwards', async () => {
  const response = wholeResponse(bytes('once'), init);
  expect(await response.text()).toBe('once');
  expect(response.body).not.toBeNull();
  expect(response.bodyUsed).toBe(true);
  expect(() => new Response(response.body)).toThrow(TypeError); // as for any used body
});

test('a clone shares the bytes (no tee) and reads on its own; a streamed one clones as fetch does', async () => {
  const response = wholeResponse(bytes('twice'), init);
  const copy = response.clone();
  expect(wholeBodyOf(copy)).toBe(wholeBodyOf(response));
  expect([await copy.text(), await response.text()]).toEqual(['twice', 'twice']);
  expect(copy.status).toBe(201);
  const streamed = wholeResponse(bytes('tee'), init);
  void streamed.body;
  const tee = streamed.clone();
  expect([await tee.text(), await streamed.text()]).toEqual(['tee', 'tee']);
});

test('the lab layers peek at the bytes without reading them; the bounded reader takes them, under its cap', async () => {
  const response = wholeResponse(bytes('peek'), init);
  expect(new TextDecoder().decode(wholeBodyOf(response))).toBe('peek');
  expect(response.bodyUsed).toBe(false);
  expect(new TextDecoder().decode(await readBodyBytes(response, 100))).toBe('peek');
  expect(response.bodyUsed).toBe(true);
  expect(takeWholeBody(response)).toBeUndefined();
  expect(wholeBodyOf(new Response('plain'))).toBeUndefined();

  await expect(readBodyBytes(wholeResponse(bytes('x'.repeat(50)), init), 10)).rejects.toMatchObject({
    name: 'BodyTooLargeError',
  });
  const declared = wholeResponse(bytes('small'), { headers: { 'content-length': '999' } });
  await expect(readBodyBytes(declared, 100)).rejects.toMatchObject({ declared: 999 });
  expect(await readBodyHeadText(wholeResponse(bytes('abcdef'), init), 3)).toMatchObject({
    text: 'abc',
    cut: true,
  });
});
