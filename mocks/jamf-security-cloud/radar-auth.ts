/**
 * Radar API authentication: `POST /v1/login` with `Basic base64(appId:appSecret)` answers `{token}`, a JWT
 * valid 15 minutes carrying the tenant's `customer_id` (vendor-apis.md §3.1); every other call sends it as
 * a Bearer token. The mock signs with its own HMAC key; clients only read the claims.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { type Clock, rememberIssuedSecret } from '../../harness/kernel/index.ts';
import { JscError } from './errors.ts';

export interface AppCredential {
  readonly appId: string;
  readonly appSecret: string;
}

export const TOKEN_LIFETIME_SECONDS = 15 * 60;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class RadarAuth {
  readonly #apps: readonly AppCredential[];
  readonly #customerId: string;
  readonly #clock: Clock;
  readonly #secret = new Uint8Array(randomBytes(32));

  constructor(apps: readonly AppCredential[], customerId: string, clock: Clock) {
    this.#apps = apps;
    this.#customerId = customerId;
    this.#clock = clock;
  }

  async login(authorization: string | undefined): Promise<{ token: string }> {
    const basic = authorization && /^Basic\s+(.+)$/i.exec(authorization)?.[1];
    if (!basic)
      throw new JscError(
        401,
        'UNAUTHORIZED',
        'login needs Basic authentication with the application id and secret',
      );
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const appId = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    const app = this.#apps.find((a) => a.appId === appId);
    if (colon < 0 || !app || !same(app.appSecret, secret)) {
      throw new JscError(401, 'UNAUTHORIZED', 'unknown application id or wrong secret');
    }
    const now = Math.floor(this.#clock.now() / 1000);
    const token = await new SignJWT({ customer_id: this.#customerId, app_id: appId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(now)
      .setExpirationTime(now + TOKEN_LIFETIME_SECONDS)
      .setSubject(appId)
      .sign(this.#secret);
    // Remembered as issued so recorders redact it by value (harness/kernel/issued-secrets.ts).
    return { token: rememberIssuedSecret(token) };
  }

  /** Checks the Bearer token of a request; throws 401 when it is missing, forged or expired. */
  async verify(authorization: string | undefined): Promise<{ appId: string }> {
    const token = authorization && /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (!token) throw new JscError(401, 'UNAUTHORIZED', 'a Bearer token from POST /v1/login is required');
    try {
      const { payload } = await jwtVerify(token, this.#secret, {
        algorithms: ['HS256'],
        currentDate: new Date(this.#clock.now()),
      });
      if (payload.customer_id !== this.#customerId) throw new Error('wrong tenant');
      return { appId: String(payload.app_id) };
    } catch {
      throw new JscError(401, 'UNAUTHORIZED', 'the token is invalid or expired; log in again');
    }
  }
}
