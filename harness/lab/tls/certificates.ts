/**
 * The lab's certificate authority and the server certificates it issues, built with node:crypto and
 * the DER writer beside this file: a self-signed CA (basicConstraints CA:true, keyUsage keyCertSign and
 * cRLSign) and a leaf for the lab's host names and addresses (subjectAltName, serverAuth), ECDSA P-256
 * keys, SHA-256 signatures, random 128-bit serials.
 *
 * A CA somebody gives the lab (`ssf-lab serve --ca-cert FILE --ca-key FILE`) may be ECDSA P-256/P-384
 * or RSA; it is checked (a CA, its key, in date) before it signs anything.
 *
 * Certificates are dated by the wall clock, never the lab's (possibly virtual) scheduler: the TLS
 * clients that check them read the wall clock.
 */
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import { isIP } from 'node:net';
import { HarnessError } from '../../kernel/index.ts';
import {
  bitString,
  boolean,
  explicit,
  ia5String,
  implicitPrimitive,
  integer,
  namedBits,
  nullValue,
  octetString,
  oid,
  readChildren,
  readElement,
  readOid,
  sequence,
  setOf,
  TAG,
  time,
  utf8String,
} from './der.ts';

const DAY_MS = 86_400_000;
/** Certificates start an hour back, so a client whose clock lags a little still accepts them. */
const BACKDATE_MS = 3_600_000;
export const CA_VALID_DAYS = 365;
export const SERVER_VALID_DAYS = 30;

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

/** keyUsage bit numbers (RFC 5280 §4.2.1.3). */
const KEY_USAGE = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 } as const;

/** A CA the lab signs its server certificates with. Holds the private key: never logged, never written by the lab. */
export interface CertificateAuthority {
  /** The CA certificate, PEM: what a client trusts (`NODE_EXTRA_CA_CERTS`, `curl --cacert`). */
  readonly certPem: string;
  readonly certificate: X509Certificate;
  /** @internal the signing key. */
  readonly key: KeyObject;
  /** @internal the CA's subject Name as encoded, to be the leaf's issuer byte for byte. */
  readonly subject: Uint8Array;
  /** @internal the CA's subjectKeyIdentifier, when it has one (for the leaf's authorityKeyIdentifier). */
  readonly keyId: Uint8Array | undefined;
}

/** A server certificate with its key, as node:tls takes them (`cert` holds the leaf, then the CA). */
export interface ServerCertificate {
  readonly cert: string;
  readonly key: string;
}

/** The names a server certificate is for. */
export interface ServerNames {
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
}

function pem(label: string, der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${base64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

function name(commonName: string): Uint8Array {
  return sequence(
    setOf(sequence(oid(OID.organization), utf8String('ssf-lab'))),
    setOf(sequence(oid(OID.commonName), utf8String(commonName))),
  );
}

/** A positive 128-bit serial (RFC 5280 allows up to 20 octets; the top bit cleared keeps it positive). */
function serialNumber(): Uint8Array {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return integer(bytes);
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(spki: Uint8Array): Uint8Array {
  const [, publicKey] = readChildren(readElement(spki).value);
  if (publicKey?.tag !== TAG.bitString) throw new RangeError('SubjectPublicKeyInfo without a public key');
  return createHash('sha1').update(publicKey.value.subarray(1)).digest();
}

/** How `key` signs: the algorithm identifier and node's digest name. */
function signatureAlgorithm(key: KeyObject): { identifier: Uint8Array; digest: string } {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return { identifier: sequence(oid(OID.sha256WithRsa), nullValue()), digest: 'sha256' };
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return { identifier: sequence(oid(OID.ecdsaWithSha256)), digest: 'sha256' };
    if (curve === 'secp384r1') return { identifier: sequence(oid(OID.ecdsaWithSha384)), digest: 'sha384' };
  }
  throw new HarnessError(
    'ERR_USAGE',
    `the CA key is ${type === 'ec' ? `an EC key on ${key.asymmetricKeyDetails?.namedCurve ?? 'an unknown curve'}` : `a ${type ?? 'unknown'} key`}; the lab signs with RSA or ECDSA P-256/P-384 CA keys`,
  );
}

interface CertificateFields {
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: KeyObject;
  readonly extensions: readonly Uint8Array[];
  readonly signingKey: KeyObject;
}

function certificate(fields: CertificateFields): Uint8Array {
  const { identifier, digest } = signatureAlgorithm(fields.signingKey);
  const tbs = sequence(
    explicit(0, integer(2)), // v3
    serialNumber(),
    identifier,
    fields.issuer,
    sequence(time(fields.notBefore), time(fields.notAfter)),
    fields.subject,
    fields.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...fields.extensions)),
  );
  // ECDSA signatures come out DER-encoded (node's default dsaEncoding), as X.509 wants them.
  const signature = sign(digest, tbs, fields.signingKey);
  return sequence(tbs, identifier, bitString(signature));
}

export interface CreateCaOptions {
  /** Default `ssf-lab CA <random>`: distinct per CA, so two labs' CAs never pass for each other by name. */
  readonly commonName?: string;
  readonly validDays?: number;
  /** Default the wall clock. */
  readonly now?: Date;
}

/** A fresh self-signed CA with an ECDSA P-256 key that exists only in this process. */
export function createCertificateAuthority(options: CreateCaOptions = {}): CertificateAuthority {
  const now = options.now ?? new Date();
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const subject = name(options.commonName ?? `ssf-lab CA ${randomBytes(4).toString('hex')}`);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = keyIdentifier(spki);
  const der = certificate({
    issuer: subject,
    subject,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + (options.validDays ?? CA_VALID_DAYS) * DAY_MS),
    publicKey,
    signingKey: privateKey,
    extensions: [
      // pathLen 0: it signs server certificates, never another CA.
      extension(OID.basicConstraints, true, sequence(boolean(true), integer(0))),
      extension(OID.keyUsage, true, namedBits([KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign])),
      extension(OID.subjectKeyIdentifier, false, octetString(keyId)),
    ],
  });
  const certPem = pem('CERTIFICATE', der);
  return { certPem, certificate: new X509Certificate(certPem), key: privateKey, subject, keyId };
}

/** The subject Name and subjectKeyIdentifier of a certificate, read from its DER. */
function subjectAndKeyId(der: Uint8Array): { subject: Uint8Array; keyId: Uint8Array | undefined } {
  const [tbs] = readChildren(readElement(der).value);
  if (tbs === undefined) throw new RangeError('certificate without a body');
  const fields = readChildren(tbs.value);
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0;
  const subject = fields[offset + 4];
  if (subject?.tag !== TAG.sequence) throw new RangeError('certificate without a subject');
  let keyId: Uint8Array | undefined;
  const extensions = fields.find((field) => field.tag === 0xa3);
  if (extensions !== undefined)
    for (const ext of readChildren(readElement(extensions.value).value)) {
      const [id, ...rest] = readChildren(ext.value);
      const value = rest.at(-1);
      if (id?.tag === TAG.oid && readOid(id.value) === OID.subjectKeyIdentifier && value !== undefined)
        keyId = readElement(value.value).value;
    }
  return { subject: subject.whole, keyId };
}

/**
 * A CA somebody gave the lab, from its certificate and private key (PEM). Refused, with the reason and
 * never the key, unless the certificate is a CA's, the key is its own, and it is in date.
 */
export function loadCertificateAuthority(
  certPem: string,
  keyPem: string,
  now: Date = new Date(),
): CertificateAuthority {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certPem);
  } catch {
    throw new HarnessError('ERR_USAGE', 'the CA certificate is not a PEM X.509 certificate');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    throw new HarnessError('ERR_USAGE', 'the CA key is not an unencrypted PEM private key');
  }
  if (!certificate.ca)
    throw new HarnessError(
      'ERR_USAGE',
      `the CA certificate (${certificate.subject.replace(/\n/g, ', ')}) is not a CA's (basicConstraints CA:false)`,
    );
  if (!certificate.checkPrivateKey(key))
    throw new HarnessError('ERR_USAGE', 'the CA key does not belong to the CA certificate');
  if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo))
    throw new HarnessError(
      'ERR_USAGE',
      `the CA certificate is not valid now (valid ${certificate.validFrom} to ${certificate.validTo})`,
    );
  signatureAlgorithm(key);
  const { subject, keyId } = subjectAndKeyId(certificate.raw);
  return { certPem: certificate.toString(), certificate, key, subject, keyId };
}

/** The 4 or 16 bytes of an IP address literal. */
export function ipBytes(address: string): Uint8Array {
  const version = isIP(address);
  if (version === 4) return Uint8Array.from(address.split('.').map(Number));
  if (version !== 6) throw new RangeError(`"${address}" is not an IP address`);
  let text = address.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = Number.parseInt(group, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  return bytes;
}

export interface IssueOptions {
  readonly validDays?: number;
  readonly now?: Date;
}

/**
 * A server certificate for `names`, signed by `ca`, with a fresh ECDSA P-256 key: valid for
 * SERVER_VALID_DAYS (never past the CA's own end), serverAuth only.
 */
export function issueServerCertificate(
  ca: CertificateAuthority,
  names: ServerNames,
  options: IssueOptions = {},
): ServerCertificate {
  if (names.dnsNames.length + names.ipAddresses.length === 0)
    throw new RangeError('issueServerCertificate: a server certificate needs at least one name');
  const now = options.now ?? new Date();
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const caEnd = new Date(ca.certificate.validTo);
  const wanted = new Date(now.getTime() + (options.validDays ?? SERVER_VALID_DAYS) * DAY_MS);
  const altNames = [
    // dNSName and iPAddress are [2] and [7] IMPLICIT: the context tag replaces IA5String's and OCTET STRING's.
    ...names.dnsNames.map((dns) => implicitPrimitive(2, readElement(ia5String(dns)).value)),
    ...names.ipAddresses.map((ip) => implicitPrimitive(7, ipBytes(ip))),
  ];
  const der = certificate({
    issuer: ca.subject,
    subject: name(names.dnsNames[0] ?? names.ipAddresses[0] ?? 'ssf-lab'),
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: wanted < caEnd ? wanted : caEnd,
    publicKey,
    signingKey: ca.key,
    extensions: [
      extension(OID.basicConstraints, true, sequence()),
      extension(OID.keyUsage, true, namedBits([KEY_USAGE.digitalSignature])),
      extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))),
      extension(OID.subjectAltName, false, sequence(...altNames)),
      extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(spki))),
      ...(ca.keyId === undefined
        ? []
        : [extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, ca.keyId)))]),
    ],
  });
  return {
    cert: `${pem('CERTIFICATE', der)}${ca.certPem}`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}
