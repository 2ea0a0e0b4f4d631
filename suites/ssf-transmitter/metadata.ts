/**
 * Module `metadata`: the transmitter configuration metadata at the path-inserted well-known URL (SSF 1.0
 * §7.2.1), and the JWKS it points to.
 */
import { isJsonObject, parseJwks } from '../../harness/protocol/index.ts';
import {
  blocked,
  defineCheck,
  defineModule,
  expectThat,
  HOLDS,
  type Problem,
  problem,
  skip,
} from '../core/index.ts';
import { type ResolvedOptions, resolveOptions, type SsfTransmitterOptions } from './options.ts';
import { type Captured, call, wellKnownUrl } from './wire.ts';

export interface MetadataCapture {
  readonly issuer: string;
  readonly allowHttp: boolean;
  readonly response: Captured;
  readonly jwks?: Captured;
}

const ENDPOINTS = [
  'jwks_uri',
  'configuration_endpoint',
  'status_endpoint',
  'add_subject_endpoint',
  'remove_subject_endpoint',
  'verification_endpoint',
] as const;

function doc(c: MetadataCapture): Record<string, unknown> | undefined {
  return c.response.status === 200 && isJsonObject(c.response.body) ? c.response.body : undefined;
}

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';', 1)[0]?.trim().toLowerCase();
}

/** Paths of empty arrays anywhere in a JSON value. */
function emptyArrays(value: unknown, path = ''): string[] {
  if (Array.isArray(value))
    return value.length === 0 ? [path || '/'] : value.flatMap((v, i) => emptyArrays(v, `${path}/${i}`));
  if (isJsonObject(value)) return Object.entries(value).flatMap(([k, v]) => emptyArrays(v, `${path}/${k}`));
  return [];
}

// Not read: transmitter-metadata-answers-200-json says why, once; the checks of its content are blocked by it.
const noDoc = blocked('transmitter-metadata-answers-200-json', 'the metadata could not be read');

export const metadataChecks = [
  defineCheck<MetadataCapture>({
    id: 'transmitter-metadata-answers-200-json',
    title: 'The metadata is served at the path-inserted well-known URL with 200 and application/json.',
    requirement: 'SSF-7.2',
    evaluate: (c) => {
      const r = c.response;
      if (r.status !== 200)
        return [problem(`GET ${r.url} answered ${r.status === 0 ? r.error : `HTTP ${r.status}`}, not 200`)];
      return [
        ...expectThat(
          mediaType(r.contentType) === 'application/json',
          `the metadata has Content-Type ${r.contentType ?? '(none)'}, not application/json`,
        ),
        ...expectThat(isJsonObject(r.body), 'the metadata is not a JSON object'),
      ];
    },
  }),
  defineCheck<MetadataCapture>({
    id: 'transmitter-metadata-issuer-is-identical',
    title: 'The metadata "issuer" is identical to the Issuer it was fetched for.',
    requirement: 'SSF-7.2.4',
    evaluate: (c) => {
      const d = doc(c);
      if (!d) return noDoc;
      return expectThat(d.issuer === c.issuer, `"issuer" is ${JSON.stringify(d.issuer)}, not "${c.issuer}"`, {
        issuer: d.issuer,
      });
    },
  }),
  defineCheck<MetadataCapture>({
    id: 'transmitter-metadata-has-no-empty-arrays',
    title: 'The metadata omits members with no values instead of sending empty arrays.',
    requirement: 'SSF-7.1.1',
    evaluate: (c) => {
      const d = doc(c);
      if (!d) return noDoc;
      return emptyArrays(d).map((p) => problem(`${p} is an empty array; omit the member instead`));
    },
  }),
  defineCheck<MetadataCapture>({
    id: 'transmitter-metadata-default-subjects-is-all-or-none',
    title: 'The metadata "default_subjects", when present, is "ALL" or "NONE".',
    requirement: 'SSF-7.1-DEFAULT-SUBJECTS',
    evaluate: (c) => {
      const d = doc(c);
      if (!d) return noDoc;
      if (d.default_subjects === undefined) return skip('the metadata has no default_subjects');
      return expectThat(
        d.default_subjects === 'ALL' || d.default_subjects === 'NONE',
        `"default_subjects" is ${JSON.stringify(d.default_subjects)}, not "ALL" or "NONE"`,
      );
    },
  }),
  defineCheck<MetadataCapture>({
    id: 'transmitter-metadata-publishes-a-jwks',
    title: 'The metadata has a "jwks_uri" serving a JWK Set of the signing keys.',
    requirement: 'SSF-7.1-JWKS',
    evaluate: (c) => {
      const d = doc(c);
      if (!d) return noDoc;
      if (typeof d.jwks_uri !== 'string') return [problem('the metadata has no "jwks_uri"')];
      const j = c.jwks;
      if (j?.status !== 200)
        return [
          problem(`GET ${d.jwks_uri} answered ${j?.status ? `HTTP ${j.status}` : (j?.error ?? 'nothing')}`),
        ];
      const parsed = parseJwks(j.body);
      if (!parsed.ok) return [problem(parsed.message)];
      return expectThat(parsed.jwks.keys.length > 0, 'the JWKS has no keys');
    },
  }),
  defineCheck<MetadataCapture>({
    id: 'transmitter-metadata-lists-delivery-methods',
    title: 'The metadata lists "delivery_methods_supported".',
    requirement: 'SSF-7.1-DELIVERY',
    evaluate: (c) => {
      const d = doc(c);
      if (!d) return noDoc;
      const m = d.delivery_methods_supported;
      if (!Array.isArray(m)) return [problem('the metadata has no "delivery_methods_supported" array')];
      return m.every((x) => typeof x === 'string' && x.includes(':'))
        ? HOLDS
        : [problem('"delivery_methods_supported" holds something that is not a URI', m)];
    },
  }),
  defineCheck<MetadataCapture>({
    id: 'transmitter-metadata-publishes-management-endpoints',
    title: 'The metadata publishes the configuration, status and verification endpoints.',
    requirement: 'SSF-8-API',
    evaluate: (c) => {
      const d = doc(c);
      if (!d) return noDoc;
      return ['configuration_endpoint', 'status_endpoint', 'verification_endpoint']
        .filter((n) => typeof d[n] !== 'string')
        .map((n) => problem(`the metadata has no "${n}"`));
    },
  }),
  defineCheck<MetadataCapture>({
    id: 'transmitter-metadata-endpoints-are-https',
    title: 'Every endpoint the metadata publishes is an https URL.',
    requirement: 'SSF-7.1-ENDPOINTS',
    evaluate: (c) => {
      const d = doc(c);
      if (!d) return noDoc;
      if (c.allowHttp) return skip('allowHttp is set (a lab on loopback): plain http is accepted');
      const out: Problem[] = [];
      for (const name of ENDPOINTS) {
        const v = d[name];
        if (v === undefined) continue;
        let ok = false;
        try {
          ok = typeof v === 'string' && new URL(v).protocol === 'https:';
        } catch {
          ok = false;
        }
        if (!ok) out.push(problem(`"${name}" is not an https URL`, v));
      }
      return out;
    },
  }),
];

export const metadataModule = defineModule<SsfTransmitterOptions, MetadataCapture>({
  id: 'metadata',
  title: 'Transmitter configuration metadata and JWKS',
  run: async (ctx, options) => {
    const o: ResolvedOptions = resolveOptions(options);
    const response = await call(ctx, { method: 'GET', url: wellKnownUrl(o.issuer), token: null });
    const jwksUri = isJsonObject(response.body) ? response.body.jwks_uri : undefined;
    const jwks =
      typeof jwksUri === 'string' ? await call(ctx, { method: 'GET', url: jwksUri, token: null }) : undefined;
    return { issuer: o.issuer, allowHttp: o.allowHttp, response, ...(jwks ? { jwks } : {}) };
  },
  checks: metadataChecks,
});
