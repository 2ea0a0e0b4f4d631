/**
 * Responses whose body is already whole in memory: what the lab's in-process transport builds from the
 * buffer fastify's `inject()` hands back. Such a Response is an ordinary one for every reader, but it
 * makes no web stream until a reader asks for one — and the readers of this repository never need to:
 * the bounded body reader, `text()` and `json()` take the bytes as they are, the timeline's recorder
 * reads its excerpt from them instead of teeing the body with `clone()`, and the lab's outbound-call
 * tracking has nothing left open to wrap. Those streams (one to build the Response, two more for the
 * tee, one for the tracking wrapper) cost more per call than `inject()` itself (issue 17).
 *
 * Whoever asks for `body` (a user's code, msw relaying the answer) gets a real stream over the same bytes
 * from then on, and every other member answers from that stream, as on any Response. The bytes are never
 * changed by any reader here.
 */

const utf8 = new TextDecoder();

type State = 'whole' | 'read' | 'streamed';

class WholeResponse extends Response {
  readonly #bytes: Uint8Array;
  #state: State = 'whole';
  /** The ordinary Response this one became when a reader asked for its stream (or read it, then did). */
  #ordinary: Response | undefined;

  constructor(bytes: Uint8Array, init: ResponseInit) {
    // No body for the base Response: its members that read one are all replaced below.
    super(null, init);
    this.#bytes = bytes;
  }

  /** The whole body, or undefined once it was read or handed out as a stream. */
  static peek(response: Response): Uint8Array | undefined {
    return response instanceof WholeResponse && response.#state === 'whole' ? response.#bytes : undefined;
  }

  /** The whole body, marking it read (as reading its stream to the end would); undefined as for peek. */
  static take(response: Response): Uint8Array | undefined {
    const bytes = WholeResponse.peek(response);
    if (bytes !== undefined && response instanceof WholeResponse) response.#state = 'read';
    return bytes;
  }

  /** From now on, a Response with a real stream: over the bytes, or already used when they were read. */
  static #ordinaryOf(response: WholeResponse): Response {
    if (response.#ordinary !== undefined) return response.#ordinary;
    const used = response.#state === 'read';
    const ordinary = new Response(used ? new Uint8Array(0) : response.#bytes, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    // Cancelling disturbs the stream at once: the body reads as used, as this one's already was.
    if (used) void ordinary.body?.cancel();
    response.#state = 'streamed';
    response.#ordinary = ordinary;
    return ordinary;
  }

  static {
    // The members a body is read through. Defined on the prototype rather than declared in the class:
    // the DOM types declare them as read-only properties, which a subclass may not redeclare.
    const ordinaryOf = (r: WholeResponse): Response => WholeResponse.#ordinaryOf(r);
    const bytesRead = (r: WholeResponse): Uint8Array | undefined => WholeResponse.take(r);
    // Writable and configurable like any class member (a test may stub one on an instance).
    const member = { writable: true, configurable: true } as const;
    const accessor = { configurable: true } as const;
    Object.defineProperties(WholeResponse.prototype, {
      body: {
        ...accessor,
        get(this: WholeResponse) {
          return ordinaryOf(this).body;
        },
      },
      bodyUsed: {
        ...accessor,
        get(this: WholeResponse) {
          return this.#state === 'read' || (this.#ordinary?.bodyUsed ?? false);
        },
      },
      text: {
        ...member,
        async value(this: WholeResponse) {
          const bytes = bytesRead(this);
          return bytes === undefined ? ordinaryOf(this).text() : utf8.decode(bytes);
        },
      },
      json: {
        ...member,
        async value(this: WholeResponse) {
          const bytes = bytesRead(this);
          return bytes === undefined ? ordinaryOf(this).json() : JSON.parse(utf8.decode(bytes));
        },
      },
      arrayBuffer: {
        ...member,
        async value(this: WholeResponse) {
          const bytes = bytesRead(this);
          if (bytes === undefined) return ordinaryOf(this).arrayBuffer();
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        },
      },
      bytes: {
        ...member,
        async value(this: WholeResponse) {
          const bytes = bytesRead(this);
          if (bytes === undefined) return new Uint8Array(await ordinaryOf(this).arrayBuffer()); // Node 20 has no bytes()
          return bytes.slice();
        },
      },
      blob: {
        ...member,
        async value(this: WholeResponse) {
          return ordinaryOf(this).blob();
        },
      },
      formData: {
        ...member,
        async value(this: WholeResponse) {
          return ordinaryOf(this).formData();
        },
      },
      clone: {
        ...member,
        value(this: WholeResponse): Response {
          if (this.#state === 'read') throw new TypeError('Response.clone: Body has already been consumed.');
          if (this.#state === 'streamed') return ordinaryOf(this).clone();
          // The bytes are never changed, so a clone can share them: no tee.
          return new WholeResponse(this.#bytes, {
            status: this.status,
            statusText: this.statusText,
            headers: this.headers,
          });
        },
      },
    });
  }
}

/** A Response over `bytes`, known to be all of its body (see wholeBodyOf, takeWholeBody). */
export function wholeResponse(bytes: Uint8Array, init: ResponseInit): Response {
  return new WholeResponse(bytes, init);
}

/**
 * The whole body of a Response made by wholeResponse while it is unread, without reading it (a recorder
 * looking on); undefined for any other Response, or once the body was read or streamed.
 */
export function wholeBodyOf(response: Response): Uint8Array | undefined {
  return WholeResponse.peek(response);
}

/** As wholeBodyOf, but reads the body: the Response's body is used from then on. */
export function takeWholeBody(response: Response): Uint8Array | undefined {
  return WholeResponse.take(response);
}
