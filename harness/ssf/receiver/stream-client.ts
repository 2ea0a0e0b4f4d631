/**
 * The Receiver's side of the SSF stream management API (SSF 1.0 §8.1): create, read, update, replace and
 * delete a stream, read and update its status, add and remove subjects, and request verification, each
 * at the endpoint the Transmitter's metadata publishes (SSF-7.1; the spec's example paths are not
 * normative). `stream_id` goes where the spec puts it — in the query for DELETE and both GETs, in the JSON
 * body for PATCH, PUT, status POST, verify, add and remove (SSF-8.1.1.2, SSF-8.1.1.5, SSF-8.1.2.1) — and
 * every response is held to its success status and schema, with the `iss` of a returned configuration
 * checked against the Transmitter's Issuer where the Receiver MUST (SSF-8.1.1.1 create, SSF-8.1.1.2 read,
 * SSF-8.1.1.3 update). Failures throw `SsfHttpError` (status 0 when nothing came back), `SsfResponseError`
 * or `SsfUnsupportedError`. Requests carry `Authorization: Bearer` (RFC 6750 §2.1), with a static token or
 * one from the client credentials grant, renewed once when the Transmitter answers 401.
 */
import { randomBytes } from 'node:crypto';
import { BODY_CAPS, type Scheduler, systemScheduler } from '../../kernel/index.ts';
import {
  STREAM_CONFIGURATION_SCHEMA_ID,
  STREAM_STATUS_SCHEMA_ID,
  type StreamConfiguration,
  type StreamCreateRequest,
  type StreamReplaceRequest,
  type StreamStatus,
  type StreamStatusValue,
  type StreamUpdateRequest,
  type SubjectIdentifier,
  type TransmitterMetadata,
  validateWithSchema,
} from '../../protocol/index.ts';
import { SsfHttpError, SsfResponseError, SsfUnsupportedError, shorten } from './http-errors.ts';
import { exchange, type HttpRequest, type HttpResponse } from './http-exchange.ts';
import { type ClientCredentials, ClientCredentialsToken } from './oauth-token.ts';
import type { VerificationStates } from './verification-states.ts';

export type StreamClientAuth = { readonly bearer: string } | ClientCredentials;

export interface SsfStreamClientOptions {
  readonly metadata: TransmitterMetadata;
  readonly auth: StreamClientAuth;
  readonly fetch?: typeof fetch;
  /** Per request (default 10 000 ms). */
  readonly timeoutMs?: number;
  /** Where `requestVerification` records the states it asks for, for the intake to judge. */
  readonly verification?: VerificationStates;
  readonly scheduler?: Scheduler;
  /** Refuse a response body larger than this (default 1 MiB). */
  readonly maxResponseBytes?: number;
}

/** SSF-8.1.1.3 / SSF-8.1.2.2: 202, the Transmitter accepted the change but has not applied it yet. */
export interface Pending {
  readonly pending: true;
}

type Endpoint =
  | 'configuration_endpoint'
  | 'status_endpoint'
  | 'add_subject_endpoint'
  | 'remove_subject_endpoint'
  | 'verification_endpoint';

interface Call {
  readonly operation: string;
  readonly method: HttpRequest['method'];
  readonly endpoint: Endpoint;
  /** `stream_id` as a query parameter. */
  readonly streamId?: string;
  readonly body?: object;
  /** Success statuses; anything else is an error. */
  readonly expect: readonly number[];
}

/** A fresh verification state: 128 random bits, base64url. */
function newState(): string {
  return randomBytes(16).toString('base64url');
}

export class SsfStreamClient {
  readonly #metadata: TransmitterMetadata;
  readonly #options: SsfStreamClientOptions;
  readonly #scheduler: Scheduler;
  readonly #token: ClientCredentialsToken | undefined;

  constructor(options: SsfStreamClientOptions) {
    this.#metadata = options.metadata;
    this.#options = options;
    this.#scheduler = options.scheduler ?? systemScheduler;
    const auth = options.auth;
    this.#token =
      'bearer' in auth
        ? undefined
        : new ClientCredentialsToken(auth, {
            scheduler: this.#scheduler,
            ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
            ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
          });
  }

  /** SSF-8.1.1.1: POST the Receiver-supplied members; 201 with the full configuration. */
  async createStream(body: StreamCreateRequest): Promise<StreamConfiguration> {
    const operation = 'createStream';
    const response = await this.#call({
      operation,
      method: 'POST',
      endpoint: 'configuration_endpoint',
      body,
      expect: [201],
    });
    return this.#configuration(operation, response, response.body);
  }

  /** SSF-8.1.1.2: GET with `stream_id` in the query; 200 with one configuration object. */
  async getStream(streamId: string): Promise<StreamConfiguration> {
    const operation = 'getStream';
    const response = await this.#call({
      operation,
      method: 'GET',
      endpoint: 'configuration_endpoint',
      streamId,
      expect: [200],
    });
    return this.#configuration(operation, response, response.body, streamId);
  }

  /** SSF-8.1.1.2: GET without `stream_id`; 200 with an array, `[]` when there are none. */
  async listStreams(): Promise<StreamConfiguration[]> {
    const operation = 'listStreams';
    const response = await this.#call({
      operation,
      method: 'GET',
      endpoint: 'configuration_endpoint',
      expect: [200],
    });
    if (!Array.isArray(response.body)) {
      throw new SsfResponseError(
        this.#details(operation, response),
        'is not a JSON array; a read without stream_id returns an array (SSF 1.0 §8.1.1.2)',
      );
    }
    return response.body.map((item: unknown) => this.#configuration(operation, response, item));
  }

  /** SSF-8.1.1.3: PATCH with `stream_id` in the body; 200 with the whole configuration, or 202 pending. */
  async updateStream(patch: StreamUpdateRequest): Promise<StreamConfiguration | Pending> {
    return this.#change('updateStream', 'PATCH', patch);
  }

  /** SSF-8.1.1.4: PUT every Receiver-supplied member (an omitted one is deleted); 200, or 202 pending. */
  async replaceStream(full: StreamReplaceRequest): Promise<StreamConfiguration | Pending> {
    return this.#change('replaceStream', 'PUT', full);
  }

  /** SSF-8.1.1.5: DELETE with `stream_id` in the query; 204. */
  async deleteStream(streamId: string): Promise<void> {
    await this.#call({
      operation: 'deleteStream',
      method: 'DELETE',
      endpoint: 'configuration_endpoint',
      streamId,
      expect: [204],
    });
    this.#options.verification?.forget(streamId);
  }

  /** SSF-8.1.2.1: GET with `stream_id` in the query; 200 with the status. */
  async getStatus(streamId: string): Promise<StreamStatus> {
    const operation = 'getStatus';
    const response = await this.#call({
      operation,
      method: 'GET',
      endpoint: 'status_endpoint',
      streamId,
      expect: [200],
    });
    return this.#status(operation, response, streamId);
  }

  /** SSF-8.1.2.2: POST `{stream_id, status, reason?}`; 200 with the resulting status, or 202 pending. */
  async updateStatus(
    streamId: string,
    status: StreamStatusValue,
    reason?: string,
  ): Promise<StreamStatus | Pending> {
    const operation = 'updateStatus';
    const response = await this.#call({
      operation,
      method: 'POST',
      endpoint: 'status_endpoint',
      body: { stream_id: streamId, status, ...(reason === undefined ? {} : { reason }) },
      expect: [200, 202],
    });
    if (response.status === 202) return { pending: true };
    return this.#status(operation, response, streamId);
  }

  /**
   * SSF-8.1.3.2: POST `{stream_id, subject, verified?}`; 200. A 204 is tolerated: SSF 1.0 §9.1 (subject
   * probing) mentions it for an add although §8.1.3.2 says 200. Neither promises that events will follow.
   */
  async addSubject(streamId: string, subject: SubjectIdentifier, verified?: boolean): Promise<void> {
    await this.#call({
      operation: 'addSubject',
      method: 'POST',
      endpoint: 'add_subject_endpoint',
      body: { stream_id: streamId, subject, ...(verified === undefined ? {} : { verified }) },
      expect: [200, 204],
    });
  }

  /** SSF-8.1.3.3: POST `{stream_id, subject}`; 204. */
  async removeSubject(streamId: string, subject: SubjectIdentifier): Promise<void> {
    await this.#call({
      operation: 'removeSubject',
      method: 'POST',
      endpoint: 'remove_subject_endpoint',
      body: { stream_id: streamId, subject },
      expect: [204],
    });
  }

  /**
   * SSF-8.1.4.2: POST `{stream_id, state}`; 204. Without a `state` a random one is made. The state is
   * recorded in `verification` before the request goes out, because the event may arrive before the
   * answer does (delivery is asynchronous). Returns the state sent.
   */
  async requestVerification(streamId: string, state?: string): Promise<string> {
    const sent = state ?? newState();
    this.#options.verification?.expect(streamId, sent);
    await this.#call({
      operation: 'requestVerification',
      method: 'POST',
      endpoint: 'verification_endpoint',
      body: { stream_id: streamId, state: sent },
      expect: [204],
    });
    return sent;
  }

  async #change(
    operation: string,
    method: 'PATCH' | 'PUT',
    body: StreamUpdateRequest | StreamReplaceRequest,
  ): Promise<StreamConfiguration | Pending> {
    const response = await this.#call({
      operation,
      method,
      endpoint: 'configuration_endpoint',
      body,
      expect: [200, 202],
    });
    if (response.status === 202) return { pending: true };
    return this.#configuration(operation, response, response.body, body.stream_id);
  }

  #details(operation: string, response: HttpResponse) {
    return { operation, status: response.status, body: response.body };
  }

  /** A returned configuration: schema-valid, the stream asked about, and `iss` the Transmitter's Issuer. */
  #configuration(
    operation: string,
    response: HttpResponse,
    value: unknown,
    streamId?: string,
  ): StreamConfiguration {
    const details = this.#details(operation, response);
    if (response.notJson !== undefined) throw new SsfResponseError(details, `body ${response.notJson}`);
    const schema = validateWithSchema(STREAM_CONFIGURATION_SCHEMA_ID, value, 'the stream configuration');
    if (!schema.valid) {
      throw new SsfResponseError(
        details,
        `is not a valid stream configuration (SSF 1.0 §8.1.1): ${schema.errors
          .slice(0, 5)
          .map((e) => e.message)
          .join('; ')}`,
      );
    }
    const config = value as StreamConfiguration;
    if (streamId !== undefined && config.stream_id !== streamId) {
      throw new SsfResponseError(
        details,
        `describes stream "${shorten(config.stream_id)}", not the stream "${shorten(streamId)}" asked about`,
      );
    }
    // SSF-8.1.1.1 / 8.1.1.2 / 8.1.1.3: the Receiver MUST check that "iss" is the Transmitter's Issuer.
    if (config.iss !== this.#metadata.issuer) {
      throw new SsfResponseError(
        details,
        `has "iss" "${shorten(config.iss)}", not the Transmitter's Issuer "${this.#metadata.issuer}" (SSF 1.0 §8.1.1)`,
      );
    }
    return config;
  }

  #status(operation: string, response: HttpResponse, streamId: string): StreamStatus {
    const details = this.#details(operation, response);
    if (response.notJson !== undefined) throw new SsfResponseError(details, `body ${response.notJson}`);
    const schema = validateWithSchema(STREAM_STATUS_SCHEMA_ID, response.body, 'the stream status');
    if (!schema.valid) {
      throw new SsfResponseError(
        details,
        `is not a valid stream status (SSF 1.0 §8.1.2): ${schema.errors.map((e) => e.message).join('; ')}`,
      );
    }
    const status = response.body as StreamStatus;
    if (status.stream_id !== streamId) {
      throw new SsfResponseError(
        details,
        `describes stream "${shorten(status.stream_id)}", not the stream "${shorten(streamId)}" asked about`,
      );
    }
    return status;
  }

  async #authorization(): Promise<string> {
    const auth = this.#options.auth;
    if ('bearer' in auth) return `Bearer ${auth.bearer}`;
    return `Bearer ${await (this.#token as ClientCredentialsToken).get()}`;
  }

  async #call(call: Call): Promise<HttpResponse> {
    const endpoint = this.#metadata[call.endpoint];
    if (endpoint === undefined) throw new SsfUnsupportedError(call.operation, call.endpoint);
    let url: string;
    try {
      const target = new URL(endpoint);
      if (call.streamId !== undefined) target.searchParams.set('stream_id', call.streamId);
      url = target.toString();
    } catch {
      throw new SsfUnsupportedError(call.operation, call.endpoint, `"${shorten(endpoint)}" is not a URL`);
    }
    const send = async (): Promise<HttpResponse> =>
      exchange(
        {
          url,
          method: call.method,
          headers: {
            authorization: await this.#authorization(),
            accept: 'application/json',
            ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        },
        {
          operation: call.operation,
          timeoutMs: this.#options.timeoutMs ?? 10_000,
          maxBytes: this.#options.maxResponseBytes ?? BODY_CAPS.streamAnswer,
          scheduler: this.#scheduler,
          ...(this.#options.fetch === undefined ? {} : { fetch: this.#options.fetch }),
        },
      );
    let response = await send();
    if (response.status === 401 && this.#token !== undefined) {
      // The token may have been revoked or expired early: get a new one and try once more.
      this.#token.invalidate();
      response = await send();
    }
    if (call.expect.includes(response.status)) return response;
    const details = this.#details(call.operation, response);
    if (response.status >= 200 && response.status < 300) {
      throw new SsfResponseError(
        details,
        `has the wrong success status; SSF 1.0 §8.1 answers ${call.operation} with ${call.expect.join(' or ')}`,
      );
    }
    throw new SsfHttpError(details);
  }
}
