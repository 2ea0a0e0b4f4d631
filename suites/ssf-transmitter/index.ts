/**
 * The `ssf-transmitter` plan: the harness plays an SSF receiver and grades a transmitter — its metadata,
 * stream management (happy path and refusals), status, subjects, verification over push and poll, every
 * SET it sends (the protocol core's validator), the shape of its pushes and how it retries them.
 * @module
 */
import { definePlan } from '../core/index.ts';
import { errorsModule } from './errors.ts';
import { eventsModule } from './events.ts';
import { inactivityModule } from './inactivity.ts';
import { metadataModule } from './metadata.ts';
import { SSF_TRANSMITTER_OPTIONS_SCHEMA, type SsfTransmitterOptions } from './options.ts';
import { retryModule } from './retry.ts';
import { statusModule } from './status.ts';
import { streamsModule } from './streams.ts';
import { subjectsModule } from './subjects.ts';
import { verificationPollModule } from './verification-poll.ts';
import { verificationPushModule } from './verification-push.ts';

export type {
  DeliveryChoice,
  EventTrigger,
  RetryOptions,
  SsfTransmitterOptions,
  TriggerResolve,
} from './options.ts';

export const ssfTransmitterPlan = definePlan<SsfTransmitterOptions>({
  name: 'ssf-transmitter',
  title: 'SSF 1.0 transmitter conformance',
  role: 'The harness acts as an SSF receiver: it creates streams, asks for verification events, receives them by push and poll, and grades what the transmitter does.',
  optionsSchema: SSF_TRANSMITTER_OPTIONS_SCHEMA,
  modules: [
    metadataModule,
    streamsModule,
    errorsModule,
    statusModule,
    subjectsModule,
    verificationPushModule,
    verificationPollModule,
    retryModule,
    inactivityModule,
    eventsModule,
  ],
});
