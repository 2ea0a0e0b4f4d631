/** The seed's scenarios, in-process (inject + msw, no sockets). */
import { testEveryScenario } from './scenarios.testing.ts';

testEveryScenario('in-process');
