/**
 * TypeScript shapes of subject identifiers (RFC 9493 §3.2, SSF 1.0 §3.3 and §3.5). They are hand-written
 * and tested against the JSON Schemas in ../schemas/subject-identifiers.ts (same members, same required set).
 */

export interface AccountSubject {
  readonly format: 'account';
  readonly uri: string;
}
export interface EmailSubject {
  readonly format: 'email';
  readonly email: string;
}
export interface IssSubSubject {
  readonly format: 'iss_sub';
  readonly iss: string;
  readonly sub: string;
}
export interface OpaqueSubject {
  readonly format: 'opaque';
  readonly id: string;
}
export interface PhoneNumberSubject {
  readonly format: 'phone_number';
  readonly phone_number: string;
}
export interface DidSubject {
  readonly format: 'did';
  readonly url: string;
}
export interface UriSubject {
  readonly format: 'uri';
  readonly uri: string;
}
export interface JwtIdSubject {
  readonly format: 'jwt_id';
  readonly iss: string;
  readonly jti: string;
}
export interface SamlAssertionIdSubject {
  readonly format: 'saml_assertion_id';
  readonly issuer: string;
  readonly assertion_id: string;
}
export interface IpAddressesSubject {
  readonly format: 'ip-addresses';
  readonly 'ip-addresses': readonly string[];
}
export interface AliasesSubject {
  readonly format: 'aliases';
  readonly identifiers: readonly Exclude<SimpleSubject, AliasesSubject>[];
}

/** A format agreed between the parties (SSF 1.0 §3.4): only `format` is known. */
export interface ProprietarySubject {
  readonly format: string;
  readonly [member: string]: unknown;
}

export type RegisteredSubject =
  | AccountSubject
  | EmailSubject
  | IssSubSubject
  | OpaqueSubject
  | PhoneNumberSubject
  | DidSubject
  | UriSubject
  | AliasesSubject
  | JwtIdSubject
  | SamlAssertionIdSubject
  | IpAddressesSubject;

export type SimpleSubject = RegisteredSubject;

export interface ComplexSubject {
  readonly format: 'complex';
  readonly user?: SimpleSubject;
  readonly device?: SimpleSubject;
  readonly session?: SimpleSubject;
  readonly application?: SimpleSubject;
  readonly tenant?: SimpleSubject;
  readonly org_unit?: SimpleSubject;
  readonly group?: SimpleSubject;
  readonly [member: string]: SimpleSubject | ProprietarySubject | string | undefined;
}

/** Any subject member value: simple, complex, or a proprietary format. */
export type SubjectIdentifier = SimpleSubject | ComplexSubject | ProprietarySubject;
