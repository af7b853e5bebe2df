// The worker relaying hold changes with third-party storage denied; the cases are in hold-relay-cases.ts.
import { describeHoldRelay } from './hold-relay-cases.ts';

describeHoldRelay('denied');
