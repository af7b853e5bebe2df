// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createMemoryNoticeStore, portalOf } from '../../../../src/server/notices/memory-store.ts';
import { notice, testNoticeStore } from '../../../support/notice-store-conformance.ts';

testNoticeStore({ name: 'memory', create: createMemoryNoticeStore });

describe('portalOf', () => {
  it('files a notice under its member id, else its domain, never mixing the two', () => {
    expect(portalOf(notice('E', 'm1', 'a.bitrix24.de'))).toBe('member:m1');
    expect(portalOf(notice('E', null, 'a.bitrix24.de'))).toBe('domain:a.bitrix24.de');
    expect(portalOf(notice('E'))).toBe('unknown');
  });
});
