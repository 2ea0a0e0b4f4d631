/**
 * The seam inside Identity Threat Protection between the receiving half (Security Events Providers, the SET
 * receiver, the risk engine, the User Risk API) and the acting half (the ENTITY_RISK policy, its actions,
 * Universal Logout). The risk engine publishes every change of a user's entity risk here; the policy
 * evaluates each one; after a policy action the policy asks the risk engine to reset the user's risk
 * (the seed's last step). One signal keeps one `traceId` from the SET's receipt to the last log event, so
 * the System Log chain can be followed as in Okta (`debugContext.debugData.traceId`).
 */

/** Okta's entity risk levels as the User Risk API and the System Log spell them. */
export type UserRiskLevel = 'HIGH' | 'MEDIUM' | 'LOW' | 'NONE';

/** Detection types an ENTITY_RISK rule can include or exclude (Okta's names). */
export type DetectionType =
  | 'SECURITY_EVENTS_PROVIDER_REPORTED_RISK'
  | 'ADMIN_REPORTED_USER_RISK'
  | (string & {});

export interface RiskChange {
  readonly userId: string;
  readonly previous: UserRiskLevel;
  readonly current: UserRiskLevel;
  readonly detection: DetectionType;
  /** Shared by every System Log event of this signal. */
  readonly traceId: string;
  /** Scheduler time (ms) of the change. */
  readonly at: number;
  /** What reported it: the provider for a SET, absent for an admin. */
  readonly provider?: { readonly id: string; readonly name: string; readonly issuer: string };
  /** Human reason (the SET's `reason_admin.en`, or the admin's). */
  readonly reason?: string;
}

export type RiskChangeListener = (change: RiskChange) => void | Promise<void>;

/** What the risk engine lets the policy do once an action ran. */
export interface RiskResetter {
  reset(userId: string, traceId: string): void | Promise<void>;
}

export class ItpHub {
  readonly #listeners = new Set<RiskChangeListener>();
  #resetter: RiskResetter | undefined;
  readonly #pending = new Set<Promise<unknown>>();

  /** The policy subscribes; returns the unsubscribe function. */
  onRiskChange(listener: RiskChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The risk engine publishes; listeners run in order and are awaited, so one signal's chain finishes
   * before the next change of the same call starts. A listener that throws does not stop the others.
   */
  async publish(change: RiskChange): Promise<void> {
    const run = (async () => {
      for (const listener of this.#listeners) {
        try {
          await listener(change);
        } catch {
          // A policy failure is the policy's to log; the receiver has already answered.
        }
      }
    })();
    this.#pending.add(run);
    try {
      await run;
    } finally {
      this.#pending.delete(run);
    }
  }

  /** The risk engine registers how a reset is done. */
  setResetter(resetter: RiskResetter): void {
    this.#resetter = resetter;
  }

  async resetRisk(userId: string, traceId: string): Promise<void> {
    await this.#resetter?.reset(userId, traceId);
  }

  /** Resolves when every published change has been handled (tests and the scenario runner wait on it). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
