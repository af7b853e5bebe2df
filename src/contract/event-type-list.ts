// The `on` list of an output or a server-side webhook: which event types it takes, at least one.
import * as v from 'valibot';
import { HOLD_EVENT_TYPES } from './event-types.ts';

export const EventTypeList = v.pipe(
  v.array(
    v.picklist(HOLD_EVENT_TYPES, `must list event types from: ${HOLD_EVENT_TYPES.join(', ')}`),
    'must be an array',
  ),
  v.minLength(1, 'must list at least one event type'),
);
