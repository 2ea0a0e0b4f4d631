import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  BODY_CAPS,
  BodyTooLargeError,
  discardBody,
  readBodyBytes,
  readBodyHead,
  readBodyHeadText,
  readBodyText,
} from './bounded-body.ts';

const CHUNK = 1024;

/** A lazily generated body of `chunks` × 1 KiB that counts what was pulled and whether it was cancelled. */
function counted(chunks: number): {
  stream: ReadableStream<Uint8Array>;
  pulled: () => number;
  cancelled: () => boolean;
} {
  let pulled = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled === chunks) {
          controller.close();
          return;
        }
        pulled++;
        controller.enqueue(new Uint8Array(CHUNK).fill(0x61));
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled, cancelled: () => cancelled };
}

describe('readBodyBytes', () => {
  it('refuses a declared Content-Length over the cap without reading a byte', async () => {
    const body = counted(1000);
    const response = new Response(body.stream, { headers: { 'content-length': String(1000 * CHUNK) } });
    const error = await readBodyBytes(response, 10 * CHUNK).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(error).toMatchObject({ limit: 10 * CHUNK, declared: 1000 * CHUNK });
    expect((error as Error).message).toBe(
      `the body declares ${1000 * CHUNK} bytes; at most ${10 * CHUNK} are read`,
    );
    expect(body.pulled()).toBe(0);
    expect(body.cancelled()).toBe(true);
  });

  it('cancels an undeclared stream as soon as it passes the cap (cap + one chunk read)', async () => {
    const body = counted(100_000); // 100 MB if it were read to the end
    const error = await readBodyBytes(new Response(body.stream), 10 * CHUNK).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(error).toMatchObject({ limit: 10 * CHUNK, declared: undefined });
    expect(body.pulled()).toBe(11);
    expect(body.cancelled()).toBe(true);
  });

  it('passes a body of exactly the cap, whole', async () => {
    const body = counted(10);
    const bytes = await readBodyBytes(new Response(body.stream), 10 * CHUNK);
    expect(bytes.byteLength).toBe(10 * CHUNK);
    expect(body.cancelled()).toBe(false);
  });

  it('passes a declared length equal to the cap, and an empty body', async () => {
    const exact = new Response('x'.repeat(100), { headers: { 'content-length': '100' } });
    expect(await readBodyText(exact, 100)).toBe('x'.repeat(100));
    expect((await readBodyBytes(new Response(null), 100)).byteLength).toBe(0);
  });

  it('stops at the deadline: the stalled stream is cancelled and the signal’s reason thrown', async () => {
    let cancelled = false;
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(10)); // then nothing more, ever
      },
      cancel() {
        cancelled = true;
      },
    });
    const started = Date.now();
    const error = await readBodyBytes(stalled, 1024, { signal: AbortSignal.timeout(50) }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(cancelled).toBe(true);
  });

  it('reads a Node stream (IncomingMessage) and destroys it past the cap', async () => {
    let produced = 0;
    const node = Readable.from(
      (function* () {
        for (;;) {
          produced++;
          yield Buffer.alloc(CHUNK);
        }
      })(),
    );
    await expect(readBodyBytes(node, 4 * CHUNK)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(node.destroyed).toBe(true);
    expect(produced).toBeLessThan(40);
    expect(await readBodyText(Readable.from([Buffer.from('{"ok":'), Buffer.from('true}')]), 64)).toBe(
      '{"ok":true}',
    );
  });
});

describe('readBodyHead', () => {
  it('keeps the first cap bytes of a long body, says it was cut, and cancels the rest', async () => {
    const body = counted(100_000);
    const head = await readBodyHead(new Response(body.stream), 5 * CHUNK + 10);
    expect(head.bytes.byteLength).toBe(5 * CHUNK + 10);
    expect(head.cut).toBe(true);
    expect(body.pulled()).toBe(6);
    expect(body.cancelled()).toBe(true);
  });

  it('keeps a body of exactly the cap whole and not cut, with its declared length', async () => {
    const head = await readBodyHeadText(new Response('abc', { headers: { 'content-length': '3' } }), 3);
    expect(head).toEqual({ text: 'abc', cut: false, declared: 3 });
  });
});

describe('discardBody', () => {
  it('drains a small body to its end (the connection can be reused) and cancels a large one', async () => {
    const small = counted(3);
    await discardBody(new Response(small.stream), 4 * CHUNK);
    expect(small.pulled()).toBe(3);
    expect(small.cancelled()).toBe(false);
    const large = counted(100_000);
    await discardBody(new Response(large.stream), 4 * CHUNK);
    expect(large.pulled()).toBe(5);
    expect(large.cancelled()).toBe(true);
  });
});

describe('BODY_CAPS', () => {
  it('keeps the caps the engines already had', () => {
    expect(BODY_CAPS.jwks).toBe(256 * 1024);
    expect(BODY_CAPS.set).toBe(64 * 1024);
    expect(BODY_CAPS.record).toBe(16 * 1024);
  });
});
