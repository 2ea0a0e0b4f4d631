/**
 * TLS for a loopback lab: the CA it trusts, the server certificate every service presents, and how a
 * service's fastify app is served over https without the mock knowing.
 *
 * The mocks build their own fastify apps (and may not import the lab), so their node servers are plain
 * http servers. Rather than thread an `https` option through every `build…Mock`, the lab listens with
 * an https server of its own and hands each request to the app's server as a `request` event — the
 * same listeners (fastify's router, the lab's readiness probe, controls and admin gate) answer it.
 */
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { isIP } from 'node:net';
import {
  type CertificateAuthority,
  createCertificateAuthority,
  issueServerCertificate,
  loadCertificateAuthority,
  type ServerCertificate,
  type ServerNames,
} from './certificates.ts';

/** What `startLab({ tls })` takes: `true` for a CA of its own, or the CA to sign with (PEM). */
export type LabTlsOption = true | { readonly ca: string; readonly key: string } | CertificateAuthority;

/** A lab's TLS material. */
export interface LabTls {
  /** The CA certificate (PEM) a client trusts to reach the lab: never the key. */
  readonly caCert: string;
  /** @internal what every service presents. */
  readonly server: ServerCertificate;
}

/** The CA an option stands for (`true`: a fresh one). */
export function labCertificateAuthority(option: LabTlsOption): CertificateAuthority {
  if (option === true) return createCertificateAuthority();
  if ('certificate' in option) return option;
  return loadCertificateAuthority(option.ca, option.key);
}

/**
 * The names a lab's server certificate covers: localhost and the loopback addresses (the lab's own
 * clients dial them), the public host, and the bind address when it is a specific one (not 0.0.0.0/::).
 */
export function labServerNames(bind: string, publicHost: string): ServerNames {
  const dnsNames = new Set<string>(['localhost']);
  const ipAddresses = new Set<string>(['127.0.0.1', '::1']);
  for (const given of [publicHost, bind]) {
    const bare = given.startsWith('[') ? given.slice(1, -1) : given;
    if (bare === '0.0.0.0' || bare === '::') continue;
    if (isIP(bare) === 0) dnsNames.add(bare.toLowerCase());
    else ipAddresses.add(bare.toLowerCase());
  }
  return { dnsNames: [...dnsNames], ipAddresses: [...ipAddresses] };
}

/** The CA and a server certificate for the lab's names. */
export function labTls(option: LabTlsOption, names: ServerNames): LabTls {
  const ca = labCertificateAuthority(option);
  return { caCert: ca.certPem, server: issueServerCertificate(ca, names) };
}

/**
 * An https server that hands every request to `app`'s own node server, so whatever listens there
 * answers it. `clientError` (a malformed request) goes to the app's handler too when it has one (fastify
 * answers it with its 400), else node's default applies. A client that opens a connection and never
 * finishes the TLS handshake is cut after `handshakeTimeoutMs` (node's default is 120 s, which would let
 * stalled handshakes pile up where the listen limits cut stalled headers after 10 s).
 */
export function httpsFront(
  app: HttpServer,
  certificate: ServerCertificate,
  handshakeTimeoutMs = 10_000,
): HttpsServer {
  const front = createServer({
    cert: certificate.cert,
    key: certificate.key,
    minVersion: 'TLSv1.2',
    handshakeTimeout: handshakeTimeoutMs,
  });
  front.on('request', (request: IncomingMessage, response: ServerResponse) => {
    app.emit('request', request, response);
  });
  if (app.listenerCount('clientError') > 0)
    front.on('clientError', (error: Error, socket: Socket) => {
      app.emit('clientError', error, socket);
    });
  return front;
}
