// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openDatabase } from '../../../../src/server/db/index.ts';
import { freshPgliteDir } from '../../../support/pglite-template.ts';
import { testStorage } from '../../../support/storage-conformance.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'relay-pglite-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

testStorage({
  name: 'pglite',
  async open() {
    await freshPgliteDir(dataDir);
    return openDatabase({ databaseUrl: null, dataDir });
  },
});
