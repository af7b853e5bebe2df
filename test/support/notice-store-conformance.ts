// One suite every placement-error notice store passes: the memory one and the database one on each
// driver keep, bound and list notices alike. A shared store (the database) also shows every
// instance what the others keep, within the same bounds.
import { beforeEach, describe, expect, it } from 'vitest';
import type { NoticeBounds, NoticeStore } from '../../src/server/notices/memory-store.ts';
import type { PlacementErrorNotice } from '../../src/server/notices/placement-errors.ts';

export interface NoticeStoreSuite {
  name: string;
  /** A store over what the suite keeps; every store made between two resets starts empty. */
  create: (bounds: NoticeBounds) => NoticeStore;
  /** Empties what the stores keep (run before each test). */
  reset?: () => Promise<void>;
  /** A store as another server would have it, on the same database; omitted for stores that share nothing. */
  another?: (bounds: NoticeBounds) => NoticeStore;
}

let clock = Date.parse('2026-11-24T10:00:00.000Z');

/** A notice as parsePlacementNotice makes it, each received a second after the one before. */
export function notice(
  error: string,
  memberId: string | null = null,
  domain: string | null = null,
): PlacementErrorNotice {
  clock += 1000;
  return {
    receivedAt: new Date(clock).toISOString(),
    error,
    description: null,
    domain,
    memberId,
    placement: null,
    fields: { error },
    droppedFields: 0,
    verified: false,
  };
}

const errors = (notices: PlacementErrorNotice[]) => notices.map((n) => n.error);

export function testNoticeStore(suite: NoticeStoreSuite): void {
  describe(`notice store conformance: ${suite.name}`, () => {
    if (suite.reset) beforeEach(suite.reset);

    it("keeps each portal's newest notices, newest first, up to its per-portal size", async () => {
      const store = suite.create({ perPortal: 2, total: 100 });
      for (const e of ['A', 'B', 'C']) await store.add('p1', notice(e));
      await store.add('p2', notice('D'));
      expect(errors(await store.list('p1'))).toEqual(['C', 'B']);
      expect(errors(await store.list('p2'))).toEqual(['D']);
      expect(await store.list('p3')).toEqual([]);
    });

    it("never lets one portal's flood evict another portal's notices", async () => {
      const store = suite.create({ perPortal: 10, total: 12 });
      await store.add('real', notice('REAL'));
      for (let i = 0; i < 60; i += 1) await store.add('flooded', notice(`F${i}`));
      expect(errors(await store.list('real'))).toEqual(['REAL']);
      expect(errors(await store.list('flooded'))).toEqual(Array.from({ length: 10 }, (_, i) => `F${59 - i}`));
    });

    it('stays within its total by evicting from the portal that holds the most, oldest first', async () => {
      const store = suite.create({ perPortal: 5, total: 6 });
      for (const e of ['A1', 'A2', 'A3', 'A4']) await store.add('a', notice(e));
      for (const e of ['B1', 'B2']) await store.add('b', notice(e));
      await store.add('c', notice('C1'));
      expect(errors(await store.listAll())).toEqual(['C1', 'B2', 'B1', 'A4', 'A3', 'A2']);
      // a and b now hold 3 and 2; then two of three each: the tie goes to the portal with the older oldest.
      await store.add('b', notice('B3'));
      expect(errors(await store.listAll())).toEqual(['B3', 'C1', 'B2', 'B1', 'A4', 'A3']);
    });

    it('keeps nothing when its total is 0', async () => {
      const store = suite.create({ perPortal: 10, total: 0 });
      await store.add('p', notice('A'));
      expect(await store.listAll()).toEqual([]);
      expect(await store.list('p')).toEqual([]);
    });

    it("lists a member id's notices only, never one filed under the same portal's domain", async () => {
      const store = suite.create({ perPortal: 10, total: 100 });
      await store.add('domain:acme.bitrix24.com', notice('PLANTED', null, 'acme.bitrix24.com'));
      await store.add('member:m1', notice('REAL', 'm1', 'acme.bitrix24.com'));
      expect(errors(await store.list('member:m1'))).toEqual(['REAL']);
      expect(errors(await store.list('domain:acme.bitrix24.com'))).toEqual(['PLANTED']);
    });

    it('gives a notice back exactly as it was kept: every field, in order, as the list shows it', async () => {
      const store = suite.create({ perPortal: 10, total: 100 });
      const kept: PlacementErrorNotice = {
        receivedAt: '2026-11-24T10:00:00.123Z',
        error: 'ERROR_PLACEMENT_LOADING_OVERTIME',
        description: 'Загрузка дольше 5 с',
        domain: 'acme.bitrix24.com',
        memberId: 'm1',
        placement: 'PAGE_BACKGROUND_WORKER',
        fields: {
          z: 'last first',
          error: 'ERROR_PLACEMENT_LOADING_OVERTIME',
          'data[a]': '{"x":[1]}',
          é: 'ü 😀',
          empty: '',
        },
        droppedFields: 3,
        verified: false,
      };
      await store.add('member:m1', kept);
      const [listed] = await store.list('member:m1');
      expect(JSON.stringify(listed)).toBe(JSON.stringify(kept));
      expect(JSON.stringify(await store.listAll())).toBe(JSON.stringify([kept]));
    });

    if (suite.another) {
      const another = suite.another;

      it('shows every store on the database what another kept', async () => {
        const bounds = { perPortal: 10, total: 100 };
        const [a, b] = [suite.create(bounds), another(bounds)];
        await a.add('member:m1', notice('FROM_A', 'm1'));
        await b.add('member:m1', notice('FROM_B', 'm1'));
        await b.add('member:m2', notice('FROM_B2', 'm2'));
        expect(errors(await b.list('member:m1'))).toEqual(['FROM_B', 'FROM_A']);
        expect(errors(await a.listAll())).toEqual(['FROM_B2', 'FROM_B', 'FROM_A']);
      });

      it('keeps both bounds while two stores add at once', async () => {
        const bounds = { perPortal: 4, total: 10 };
        const [a, b] = [suite.create(bounds), another(bounds)];
        const portals = ['member:m1', 'member:m2', 'member:m3', 'domain:x.bitrix24.com'];
        await Promise.all(
          Array.from({ length: 80 }, (_, i) => (i % 2 ? b : a).add(portals[i % 4] as string, notice(`E${i}`))),
        );
        const all = await a.listAll();
        expect(all).toHaveLength(10);
        // Nothing beyond the bounds is kept either, only not listed.
        for (const portal of portals) expect((await b.list(portal)).length).toBeLessThanOrEqual(4);
        const bigger = suite.create({ perPortal: 100, total: 1000 });
        expect(await bigger.listAll()).toHaveLength(10);
        for (const portal of portals) expect((await bigger.list(portal)).length).toBeLessThanOrEqual(4);
      });
    }
  });
}
