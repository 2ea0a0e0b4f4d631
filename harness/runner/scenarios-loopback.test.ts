/** The seed's scenarios, with every service listening on 127.0.0.1. */
import { testEveryScenario } from './scenarios.testing.ts';

testEveryScenario('loopback');
