import { h } from './dom.ts';
import type { TestResult } from './test-event.ts';
import { fill, type Texts } from './texts.ts';

/** What "Send test event" came to, one row per output. */
export function testResults(results: TestResult[], t: Texts): HTMLElement {
  if (results.length === 0) return h('p', { class: 'notice' }, t.testNothing);
  return h('table', { class: 'grid' },
    h('caption', {}, t.testCaption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t.colOutput), h('th', { scope: 'col' }, t.colResult))),
    h('tbody', {}, results.map((result) =>
      h('tr', { 'data-outcome': result.outcome, 'data-type': result.type },
        h('th', { scope: 'row' }, result.label, result.type ? h('span', { class: 'hint block' }, t.typeNames[result.type] ?? result.type) : null),
        h('td', {},
          h('span', { class: `badge ${result.outcome}` }, t.outcomes[result.outcome]),
          ' ',
          fill(t.testNotes[result.note] ?? result.note, result.values),
        ),
      ),
    )),
  );
}
