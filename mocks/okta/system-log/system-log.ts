/**
 * The org's System Log: a bounded, ordered store of `LogEvent`s and the query semantics of `GET
 * /api/v1/logs` (developer.okta.com/docs/reference/system-log-query). Events carry Okta's full shape with
 * `null` where a value is absent — as in the `ListLogs` example of management-minimal.yaml — so SIEM-style
 * consumers parse them. Event types are registered with their display message, legacy type and severity
 * before use; part B of the Okta mock (risk, policy, Universal Logout) registers its own the same way.
 *
 * Polling vs bounded (vendor-apis.md §1.7): without `until` and in ASCENDING order a request is a poll —
 * events by persistence order after a cursor, and a `next` link on every page, even an empty one, so a
 * client can keep polling; with `until` (or DESCENDING) it is bounded — events with `since <= published <
 * until` ordered by `published`, and the last page has no `next`.
 */

import type { IdSource } from '../../../harness/kernel/index.ts';
import { type FilterExpr, matchesFilter, valuesAt } from '../core/filter.ts';
import { uuidFrom } from '../core/ids.ts';

export type LogSeverity = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
export type LogOutcomeResult =
  | 'SUCCESS'
  | 'FAILURE'
  | 'SKIPPED'
  | 'ALLOW'
  | 'DENY'
  | 'CHALLENGE'
  | 'UNKNOWN'
  | 'RATE_LIMIT'
  | 'DEFERRED'
  | 'SCHEDULED'
  | 'ABANDONED'
  | 'UNANSWERED';

export interface LogActor {
  readonly id: string;
  readonly type: string;
  readonly alternateId: string | null;
  readonly displayName: string | null;
  readonly detailEntry: Readonly<Record<string, unknown>> | null;
}

export interface LogTarget extends LogActor {
  readonly changeDetails?: Readonly<Record<string, unknown>> | null;
}

interface GeographicalContext {
  readonly city: string | null;
  readonly state: string | null;
  readonly country: string | null;
  readonly postalCode: string | null;
  readonly geolocation: { readonly lat: number; readonly lon: number } | null;
}

export interface LogEvent {
  readonly uuid: string;
  readonly published: string;
  readonly eventType: string;
  readonly version: '0';
  readonly severity: LogSeverity;
  readonly legacyEventType: string | null;
  readonly displayMessage: string | null;
  readonly actor: LogActor;
  readonly client: {
    readonly userAgent: {
      readonly rawUserAgent: string | null;
      readonly os: string | null;
      readonly browser: string | null;
    } | null;
    readonly zone: string | null;
    readonly device: string | null;
    readonly id: string | null;
    readonly ipAddress: string | null;
    readonly geographicalContext: GeographicalContext | null;
  };
  readonly device: null;
  readonly authenticationContext: {
    readonly authenticationProvider: string | null;
    readonly credentialProvider: string | null;
    readonly credentialType: string | null;
    readonly issuer: { readonly id: string | null; readonly type: string | null } | null;
    readonly interface: string | null;
    readonly authenticationStep: number;
    readonly rootSessionId: string | null;
    readonly externalSessionId: string | null;
  };
  readonly outcome: { readonly result: LogOutcomeResult; readonly reason: string | null };
  readonly securityContext: {
    readonly asNumber: number | null;
    readonly asOrg: string | null;
    readonly isp: string | null;
    readonly domain: string | null;
    readonly isProxy: boolean | null;
  };
  readonly debugContext: { readonly debugData: Readonly<Record<string, unknown>> };
  readonly transaction: {
    readonly type: 'WEB' | 'JOB';
    readonly id: string;
    readonly detail: Readonly<Record<string, unknown>>;
  };
  readonly request: {
    readonly ipChain: readonly {
      readonly ip: string;
      readonly geographicalContext: GeographicalContext | null;
      readonly version: 'V4' | 'V6';
      readonly source: string | null;
    }[];
  };
  readonly target: readonly LogTarget[];
}

/** Where an event came from: the HTTP request that caused it (absent for the org's own jobs). */
export interface RequestOrigin {
  readonly ip: string;
  readonly userAgent?: string;
  /** The `X-Okta-Request-Id` of the request (also the transaction id unless one is given). */
  readonly requestId: string;
  /** Path and query of the request. */
  readonly url: string;
}

export interface LogEventInput {
  readonly eventType: string;
  /** Default: Okta's system principal. */
  readonly actor?: LogActor;
  readonly target?: readonly LogTarget[];
  /** Default: SUCCESS with no reason. */
  readonly outcome?: { readonly result: LogOutcomeResult; readonly reason?: string | null };
  /** Default: the event type's registered message. */
  readonly displayMessage?: string;
  readonly severity?: LogSeverity;
  readonly legacyEventType?: string | null;
  readonly origin?: RequestOrigin;
  /** Merged over the request's `requestId`/`requestUri`/`url` entries. */
  readonly debugData?: Readonly<Record<string, unknown>>;
  /** Default: the request id (WEB) or a new id (JOB); events of one operation share it. */
  readonly transaction?: {
    readonly type?: 'WEB' | 'JOB';
    readonly id?: string;
    readonly detail?: Readonly<Record<string, unknown>>;
  };
  readonly authenticationContext?: Partial<LogEvent['authenticationContext']>;
  readonly securityContext?: Partial<LogEvent['securityContext']>;
  /** Epoch ms; default now. */
  readonly published?: number;
}

export interface LogEventType {
  readonly displayMessage: string;
  readonly legacyEventType?: string | null;
  readonly severity?: LogSeverity;
}

/** Okta's actor for what the org does by itself (vendor-apis.md §1.7: "system principal"). */
export const SYSTEM_PRINCIPAL: LogActor = {
  id: '0oa1systemprincipal0',
  type: 'SystemPrincipal',
  alternateId: 'system@okta.com',
  displayName: 'Okta System',
  detailEntry: null,
};

const NO_GEO: GeographicalContext = {
  city: null,
  state: null,
  country: null,
  postalCode: null,
  geolocation: null,
};

/** The event types part A emits; part B registers more with `define`. */
export const PART_A_EVENT_TYPES: Readonly<Record<string, LogEventType>> = {
  'user.session.start': {
    displayMessage: 'User login to Okta',
    legacyEventType: 'core.user_auth.login_success',
  },
  'user.authentication.sso': {
    displayMessage: 'User single sign on to app',
    legacyEventType: 'app.auth.sso',
  },
  'user.session.clear': { displayMessage: 'Clear user session', legacyEventType: null },
  'user.session.end': {
    displayMessage: 'User logout from Okta',
    legacyEventType: 'core.user_auth.logout_success',
  },
  'application.lifecycle.create': {
    displayMessage: 'Create application',
    legacyEventType: 'app.generic.config.app_created',
  },
  'application.lifecycle.update': {
    displayMessage: 'Update application',
    legacyEventType: 'app.generic.config.app_updated',
  },
  'application.lifecycle.activate': {
    displayMessage: 'Activate application',
    legacyEventType: 'app.generic.config.app_activated',
  },
  'application.lifecycle.deactivate': {
    displayMessage: 'Deactivate application',
    legacyEventType: 'app.generic.config.app_deactivated',
  },
  'application.user_membership.add': {
    displayMessage: 'Add user to application membership',
    legacyEventType: 'app.generic.provision.assign_user_to_app',
  },
  'application.user_membership.remove': {
    displayMessage: 'Remove user from application membership',
    legacyEventType: 'app.generic.provision.unassign_user_from_app',
  },
  'group.application_assignment.add': {
    displayMessage: 'Add assigned application to group',
    legacyEventType: 'app.generic.config.app_group_assigned',
  },
  'group.application_assignment.remove': {
    displayMessage: 'Remove assigned application from group',
    legacyEventType: 'app.generic.config.app_group_unassigned',
  },
  'app.oauth2.as.consent.grant': {
    displayMessage: 'A consent is granted',
    legacyEventType: null,
  },
};

export interface StoredLogEvent {
  readonly seq: number;
  /** Persistence time (epoch ms): what polling queries select on. */
  readonly persistedAt: number;
  readonly publishedAt: number;
  readonly event: LogEvent;
}

export interface LogQuery {
  readonly since?: number;
  readonly until?: number;
  readonly after?: string;
  readonly filter?: FilterExpr;
  /** Lower-case keywords, all of which must occur. */
  readonly keywords?: readonly string[];
  readonly limit: number;
  readonly order: 'ASCENDING' | 'DESCENDING';
}

export interface LogPage {
  readonly events: readonly LogEvent[];
  readonly polling: boolean;
  /** The `after` of the next link; always set when polling. */
  readonly next?: string;
}

/** Thrown for an `after` the store did not issue. */
export class LogCursorError extends Error {}

const SEVEN_DAYS = 7 * 86_400_000;
/** Okta keeps System Log events for 90 days. */
export const RETENTION_MS = 90 * 86_400_000;
/** The lab keeps at most this many events (oldest dropped first); `systemLogCap` changes it. */
export const DEFAULT_SYSTEM_LOG_CAP = 10_000;

export class SystemLog {
  readonly #now: () => number;
  readonly #ids: IdSource;
  readonly #cap: number;
  readonly #types = new Map<string, LogEventType>(Object.entries(PART_A_EVENT_TYPES));
  readonly #events: StoredLogEvent[] = [];
  readonly #text = new WeakMap<StoredLogEvent, string>();
  readonly #listeners = new Set<(event: LogEvent) => void>();
  #seq = 0;
  #dropped = 0;
  /** The last `published` time the log stamped itself (epoch ms). */
  #lastStamped = Number.NEGATIVE_INFINITY;

  constructor(now: () => number, ids: IdSource, cap = DEFAULT_SYSTEM_LOG_CAP) {
    if (!Number.isSafeInteger(cap) || cap < 1)
      throw new RangeError(`systemLogCap must be a positive integer`);
    this.#now = now;
    this.#ids = ids;
    this.#cap = cap;
  }

  /** Registers an event type (part B: `security.events.provider.receive_event`, `user.risk.detect`, …). */
  define(eventType: string, definition: LogEventType): void {
    this.#types.set(eventType, definition);
  }

  isDefined(eventType: string): boolean {
    return this.#types.has(eventType);
  }

  /** Calls `listener` with every event appended from now on; returns the unsubscribe function. */
  subscribe(listener: (event: LogEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Appends one event; every absent field is Okta's null. Throws for an event type never defined. */
  append(input: LogEventInput): LogEvent {
    const type = this.#types.get(input.eventType);
    if (!type)
      throw new TypeError(`System Log event type "${input.eventType}" is not defined: call define() first`);
    const now = this.#now();
    // Each event gets its own `published` time: at least a millisecond after the last one the org stamped,
    // so a burst logged within one millisecond (or at one instant of a virtual clock) still reads as a
    // sequence, as Okta's events do. It runs ahead of the clock only by the size of such a burst.
    const publishedAt = input.published ?? Math.max(now, this.#lastStamped + 1);
    if (input.published === undefined) this.#lastStamped = publishedAt;
    const origin = input.origin;
    const ipVersion = origin?.ip.includes(':') ? 'V6' : 'V4';
    const event: LogEvent = {
      uuid: uuidFrom(this.#ids()),
      published: new Date(publishedAt).toISOString(),
      eventType: input.eventType,
      version: '0',
      severity: input.severity ?? type.severity ?? 'INFO',
      legacyEventType:
        input.legacyEventType !== undefined ? input.legacyEventType : (type.legacyEventType ?? null),
      displayMessage: input.displayMessage ?? type.displayMessage,
      actor: input.actor ?? SYSTEM_PRINCIPAL,
      client: origin
        ? {
            userAgent: { rawUserAgent: origin.userAgent ?? null, os: 'Unknown', browser: 'UNKNOWN' },
            zone: null,
            device: 'Unknown',
            id: null,
            ipAddress: origin.ip,
            geographicalContext: NO_GEO,
          }
        : { userAgent: null, zone: null, device: null, id: null, ipAddress: null, geographicalContext: null },
      device: null,
      authenticationContext: {
        authenticationProvider: null,
        credentialProvider: null,
        credentialType: null,
        issuer: null,
        interface: null,
        authenticationStep: 0,
        rootSessionId: null,
        externalSessionId: null,
        ...input.authenticationContext,
      },
      outcome: { result: input.outcome?.result ?? 'SUCCESS', reason: input.outcome?.reason ?? null },
      securityContext: {
        asNumber: null,
        asOrg: null,
        isp: null,
        domain: null,
        isProxy: null,
        ...input.securityContext,
      },
      debugContext: {
        debugData: {
          ...(origin
            ? { requestId: origin.requestId, requestUri: origin.url.split('?')[0], url: origin.url }
            : {}),
          ...input.debugData,
        },
      },
      transaction: {
        type: input.transaction?.type ?? (origin ? 'WEB' : 'JOB'),
        id: input.transaction?.id ?? origin?.requestId ?? uuidFrom(this.#ids()),
        detail: input.transaction?.detail ?? {},
      },
      request: {
        ipChain: origin
          ? [{ ip: origin.ip, geographicalContext: NO_GEO, version: ipVersion, source: null }]
          : [],
      },
      target: input.target ?? [],
    };
    this.#seq += 1;
    this.#events.push({ seq: this.#seq, persistedAt: now, publishedAt, event });
    while (this.#events.length > this.#cap || this.#expired(this.#events[0], now)) {
      this.#events.shift();
      this.#dropped += 1;
    }
    for (const listener of this.#listeners) listener(event);
    return event;
  }

  #expired(stored: StoredLogEvent | undefined, now: number): boolean {
    return stored !== undefined && stored.persistedAt < now - RETENTION_MS;
  }

  /** Every event kept, oldest first. */
  events(): readonly LogEvent[] {
    return this.#events.map((s) => s.event);
  }

  /** Events appended so far and events dropped by the cap or the retention period. */
  totals(): { readonly appended: number; readonly dropped: number; readonly kept: number } {
    return { appended: this.#seq, dropped: this.#dropped, kept: this.#events.length };
  }

  #matches(stored: StoredLogEvent, query: LogQuery): boolean {
    if (
      query.filter &&
      !matchesFilter(query.filter, (path) => valuesAt(stored.event, path), { ignoreCase: true })
    )
      return false;
    if (query.keywords && query.keywords.length > 0) {
      let text = this.#text.get(stored);
      if (text === undefined) {
        text = collectText(stored.event).join(' ').toLowerCase();
        this.#text.set(stored, text);
      }
      const haystack = text;
      if (!query.keywords.every((k) => haystack.includes(k))) return false;
    }
    return true;
  }

  /** One page of `GET /api/v1/logs`. Throws LogCursorError for a cursor it did not issue. */
  query(query: LogQuery): LogPage {
    const now = this.#now();
    const oldest = now - RETENTION_MS;
    const polling = query.until === undefined && query.order === 'ASCENDING';
    if (polling) {
      let afterSeq: number | undefined;
      if (query.after !== undefined) {
        const m = /^(\d+)_(\d+)$/.exec(query.after);
        if (!m) throw new LogCursorError('after: the cursor is not one this org issued for a polling query');
        afterSeq = Number(m[2]);
      }
      const since = query.since ?? now - SEVEN_DAYS;
      const page: StoredLogEvent[] = [];
      let scanned: StoredLogEvent | undefined;
      for (const stored of this.#events) {
        if (page.length >= query.limit) break;
        if (afterSeq !== undefined ? stored.seq <= afterSeq : stored.persistedAt < since) continue;
        if (stored.persistedAt < oldest) continue;
        scanned = stored;
        if (this.#matches(stored, query)) page.push(stored);
      }
      const last = page.length >= query.limit ? page.at(-1) : (scanned ?? page.at(-1));
      const cursorSeq = last?.seq ?? afterSeq ?? this.#headBefore(since);
      const cursorAt = last?.persistedAt ?? now;
      return { events: page.map((s) => s.event), polling, next: `${cursorAt}_${cursorSeq}` };
    }

    // "Now" includes events stamped a few milliseconds ahead of the clock (append above).
    const until = query.until ?? Math.max(now, this.#lastStamped + 1);
    let since = query.since ?? until - SEVEN_DAYS;
    let position: { at: number; seq: number } | undefined;
    if (query.after !== undefined) {
      const m = /^(\d+)_(\d+)_(\d+)$/.exec(query.after);
      if (!m) throw new LogCursorError('after: the cursor is not one this org issued for a bounded query');
      position = { at: Number(m[1]), seq: Number(m[2]) };
      since = Number(m[3]);
    }
    const sign = query.order === 'ASCENDING' ? 1 : -1;
    const selected = this.#events
      .filter((s) => s.publishedAt >= since && s.publishedAt < until && s.persistedAt >= oldest)
      .filter((s) => this.#matches(s, query))
      .sort((a, b) => sign * (a.publishedAt - b.publishedAt || a.seq - b.seq));
    const start =
      position === undefined
        ? 0
        : (() => {
            const p = position;
            const i = selected.findIndex((s) => sign * (s.publishedAt - p.at || s.seq - p.seq) > 0);
            return i < 0 ? selected.length : i;
          })();
    const page = selected.slice(start, start + query.limit);
    const last = page.at(-1);
    const more = start + query.limit < selected.length && last !== undefined;
    return {
      events: page.map((s) => s.event),
      polling,
      ...(more && last ? { next: `${last.publishedAt}_${last.seq}_${since}` } : {}),
    };
  }

  /** The sequence number just before the first event persisted at or after `since`. */
  #headBefore(since: number): number {
    const first = this.#events.find((s) => s.persistedAt >= since);
    return first ? first.seq - 1 : this.#seq;
  }
}

function collectText(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
  else if (Array.isArray(value)) for (const v of value) collectText(v, out);
  else if (typeof value === 'object' && value !== null)
    for (const v of Object.values(value)) collectText(v, out);
  return out;
}
