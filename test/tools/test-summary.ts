// Prints "N passed, N failed" (and skipped) over vitest JSON reports, for CI logs.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.log(`summary: ${file} is missing (that suite did not run)`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number | boolean | undefined>;
  const count = (key: string): number => Number(report[key] ?? 0);
  passed += count('numPassedTests');
  // A suite that failed to load has no failed test but is a failure all the same.
  failed += count('numFailedTests') || (report.success === false ? 1 : 0);
  skipped += count('numPendingTests') + count('numTodoTests');
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
