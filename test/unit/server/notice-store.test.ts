// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createMemoryNoticeStore, portalOf } from '../../../src/server/notice-store.ts';
import type { PlacementErrorNotice } from '../../../src/server/placement-errors.ts';

const notice = (error: string, memberId: string | null = null, domain: string | null = null) =>
  ({ error, memberId, domain }) as PlacementErrorNotice;
const errors = (notices: PlacementErrorNotice[]) => notices.map((n) => n.error);

describe('createMemoryNoticeStore', () => {
  it('keeps each portal\'s newest notices, newest first, up to its per-portal size', () => {
    const store = createMemoryNoticeStore({ perPortal: 2, total: 100 });
    for (const e of ['A', 'B', 'C']) store.add('p1', notice(e));
    store.add('p2', notice('D'));
    expect(errors(store.list('p1'))).toEqual(['C', 'B']);
    expect(errors(store.list('p2'))).toEqual(['D']);
    expect(store.list('p3')).toEqual([]);
  });

  it('never lets one portal\'s flood evict another portal\'s notices', () => {
    const store = createMemoryNoticeStore({ perPortal: 10, total: 12 });
    store.add('real', notice('REAL'));
    for (let i = 0; i < 1000; i += 1) store.add('flooded', notice(`F${i}`));
    expect(errors(store.list('real'))).toEqual(['REAL']);
    expect(store.list('flooded')).toHaveLength(10);
  });

  it('stays within its total by evicting from the portal that holds the most, oldest first', () => {
    const store = createMemoryNoticeStore({ perPortal: 5, total: 6 });
    for (const e of ['A1', 'A2', 'A3', 'A4']) store.add('a', notice(e));
    for (const e of ['B1', 'B2']) store.add('b', notice(e));
    store.add('c', notice('C1'));
    expect(errors(store.listAll())).toEqual(['C1', 'B2', 'B1', 'A4', 'A3', 'A2']);
  });

  it('keeps nothing when its total is 0', () => {
    const store = createMemoryNoticeStore({ perPortal: 10, total: 0 });
    store.add('p', notice('A'));
    expect(store.listAll()).toEqual([]);
  });
});

describe('portalOf', () => {
  it('files a notice under its member id, else its domain, never mixing the two', () => {
    expect(portalOf(notice('E', 'm1', 'a.bitrix24.de'))).toBe('member:m1');
    expect(portalOf(notice('E', null, 'a.bitrix24.de'))).toBe('domain:a.bitrix24.de');
    expect(portalOf(notice('E'))).toBe('unknown');
  });
});
