import './monitor.css';
import type { HoldEvent } from '../hold/types.ts';
import { MONITOR_CHANNEL } from './channel.ts';
import { isRecord } from '../lib/is-record.ts';

/**
 * Lists the events the worker broadcasts in this browser, newest first (same origin as the worker).
 * It imports no runtime code from the worker, so the two builds share no chunk and the worker
 * stays one request.
 */
const MAX_ROWS = 200;
const channelName = new URLSearchParams(location.search).get('channel') ?? MONITOR_CHANNEL;
const table = document.querySelector('table') as HTMLTableElement;
const body = table.tBodies[0] as HTMLTableSectionElement;
const empty = document.getElementById('empty') as HTMLElement;

function seconds(ms: unknown): string {
  return typeof ms === 'number' ? `${(ms / 1000).toFixed(1)} s` : '';
}

function isHoldEvent(value: unknown): value is HoldEvent {
  return isRecord(value) && typeof value.type === 'string' && typeof value.id === 'string' && isRecord(value.data);
}

function cell(row: HTMLTableRowElement, text: string): void {
  row.insertCell().textContent = text;
}

new BroadcastChannel(channelName).addEventListener('message', ({ data }: MessageEvent<unknown>) => {
  if (!isHoldEvent(data)) return;
  const row = body.insertRow(0);
  row.dataset.type = data.type;
  cell(row, new Date(data.timestamp).toLocaleTimeString());
  cell(row, data.type);
  cell(row, data.data.callId ?? '—');
  cell(
    row,
    data.data.holdSeq === undefined
      ? data.type === 'call.summary'
        ? `${data.data.holdCount ?? 0} holds`
        : ''
      : `#${data.data.holdSeq}`,
  );
  cell(row, seconds(data.data.heldMs));
  cell(row, seconds(data.data.totalHeldMs));
  cell(row, data.id);
  while (body.rows.length > MAX_ROWS) body.deleteRow(-1);
  table.hidden = false;
  empty.hidden = true;
});
