// The worker relaying hold changes with third-party storage allowed; the cases are in hold-relay-cases.ts.
import { describeHoldRelay } from './hold-relay-cases.ts';

describeHoldRelay('allowed');
