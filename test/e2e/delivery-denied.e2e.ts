// Webhook delivery with third-party storage denied; the cases are in delivery-cases.ts.
import { describeDelivery } from './delivery-cases.ts';

describeDelivery('denied');
