/**
 * The `state` values a Receiver asked for in its verification requests, per stream, so that the
 * Verification events that come back can be judged (SSF 1.0 §8.1.4). A Transmitter MUST echo the `state`
 * of the request that triggered the event (SSF-8.1.4.2), and on a mismatch the Receiver SHOULD answer
 * `invalid_state` (SSF-8.1.4.1). An unsolicited Verification event carries no `state`, and a Receiver that
 * gets a stateless event cannot tell it from a requested one whose echo was lost, so it accepts it
 * (SSF-8.1.4.1). Only the last 8 states per stream are kept: requests are rate-limited by
 * `min_verification_interval` anyway, and an answer to a much older request is not worth remembering.
 * A state that matched is consumed, so a replayed event with a fresh `jti` cannot reuse it.
 */

/** How many outstanding states are kept per stream. */
export const STATES_KEPT_PER_STREAM = 8;

export type StateJudgment = 'ok' | 'mismatch';

export class VerificationStates {
  // stream id → states asked for, oldest first. An entry stays (possibly empty) once the Receiver has asked
  // on a stream, because from then on a state we do not know is a mismatch rather than "never asked".
  readonly #byStream = new Map<string, string[]>();

  /** Records that the Receiver requested verification of `streamId` with `state`. */
  expect(streamId: string, state: string): void {
    let states = this.#byStream.get(streamId);
    if (states === undefined) {
      states = [];
      this.#byStream.set(streamId, states);
    }
    states.push(state);
    if (states.length > STATES_KEPT_PER_STREAM) states.splice(0, states.length - STATES_KEPT_PER_STREAM);
  }

  /**
   * Judges the `state` of a Verification event for `streamId` (its `sub_id.id`, SSF-8.1.4.1):
   * - no `state` (undefined): ok, the event may be unsolicited and the Receiver cannot tell;
   * - a `state` on a stream we never asked to verify: ok, there is nothing to compare it with;
   * - a `state` we asked for on that stream: ok, and the state is consumed;
   * - any other `state`: mismatch, which the Receiver answers with `invalid_state`.
   */
  judge(streamId: string, state: unknown): StateJudgment {
    if (state === undefined) return 'ok';
    const states = this.#byStream.get(streamId);
    if (states === undefined) return 'ok';
    const index = typeof state === 'string' ? states.indexOf(state) : -1;
    if (index < 0) return 'mismatch';
    states.splice(index, 1);
    return 'ok';
  }

  /** The states still outstanding for `streamId`, oldest first. */
  outstanding(streamId: string): readonly string[] {
    return [...(this.#byStream.get(streamId) ?? [])];
  }

  /** Forgets a stream entirely (after it was deleted): its events are then judged as never asked. */
  forget(streamId: string): void {
    this.#byStream.delete(streamId);
  }
}
