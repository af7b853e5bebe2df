// Webhook delivery with third-party storage allowed; the cases are in delivery-cases.ts.
import { describeDelivery } from './delivery-cases.ts';

describeDelivery('allowed');
