// The ingest statement's typed input, on every database driver: the field lists the server writes are
// the database's declared types, text of any kind comes back exactly, and a field of the wrong type
// fails the statement. Registered inside the storage conformance suite, on its database.
import { expect, it } from 'vitest';
import type { Driver } from '../../src/server/db/index.ts';
import { arrayLiteral, rowLiteral } from '../../src/server/db/row-literal.ts';
import { HOLD_ROW_FIELDS, INCOMING_EVENT_FIELDS, ingestEvents } from '../../src/server/holds/ingest.ts';
import { listHolds } from '../../src/server/holds/holds-list.ts';
import { holdEvents } from './hold-events.ts';

const PORTAL = 'typed.bitrix24.com';
const NOVEMBER = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z'), tz: 'UTC' };

export function testTypedIngest(dbOf: () => Driver): void {
  it('writes the fields of hold_relay_incoming_event and hold_relay_hold_row in the order the database declares them', async () => {
    const fieldsOf = async (type: string) =>
      (
        await dbOf().query<{ attname: string }>(
          'SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum',
          [type],
        )
      ).map((row) => row.attname);
    expect(await fieldsOf('hold_relay_incoming_event')).toEqual([...INCOMING_EVENT_FIELDS]);
    expect(await fieldsOf('hold_relay_hold_row')).toEqual([...HOLD_ROW_FIELDS]);
  });

  it('stores text with quotes, backslashes, commas, brackets, braces, new lines and non-Latin letters exactly, and an empty text as empty', async () => {
    const db = dbOf();
    const callId = "c\"1\\,(x){y}\n'z'";
    const [started, ended] = holdEvents({ callId, start: '2026-11-20T09:00:00.000Z', heldMs: 2500, userId: 5 });
    const phoneNumber = '+7 (495) «Звонок», \\"ext" {2}';
    const sender = { portal: PORTAL, userId: 5 };
    await ingestEvents(db, sender, [
      { ...started, data: { ...started.data, phoneNumber, crmEntityType: '' } },
      ended,
    ] as (typeof started)[]);
    const holds = await listHolds(db, PORTAL, { period: NOVEMBER, sort: 'recent', limit: 10, userId: 5 });
    expect(holds).toMatchObject([{ callId, phoneNumber, heldMs: 2500, endedBy: 'resume' }]);
    const [stored] = await db.query<{ data: { callId: string; crmEntityType: string } }>(
      'SELECT data FROM events WHERE portal = $1 AND event_id = $2',
      [PORTAL, started.id],
    );
    expect(stored?.data).toMatchObject({ callId, crmEntityType: '' });
  });

  it('fails the statement on a field of the wrong type instead of reading it loosely', async () => {
    const hold = rowLiteral(HOLD_ROW_FIELDS.map(() => null));
    const event = (userId: string) =>
      rowLiteral([PORTAL, 'evt_typed', 'hold.started', userId, 'k', '2026-11-20T09:00:00Z', '{}', hold, 1, 1, '{}']);
    const ingest = (userId: string) =>
      dbOf().query('SELECT hold_relay_ingest($1::hold_relay_incoming_event[], $2, $3::text[], $4::date)', [
        arrayLiteral([event(userId)]),
        'typed_ingest_test',
        arrayLiteral([]),
        '2026-11-20',
      ]);
    await expect(ingest('seven')).rejects.toThrow(/invalid input syntax for type integer/);
    expect(
      await dbOf().query('SELECT 1 FROM events WHERE portal = $1 AND event_id = $2', [PORTAL, 'evt_typed']),
    ).toEqual([]);
  });
}
