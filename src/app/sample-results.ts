import { h } from './dom.ts';
import type { SampleResult } from './sample-send.ts';
import type { OutputCatalog } from './catalog.ts';
import { typeName } from './output-texts.ts';
import { interpolate, type Texts } from './i18n/index.ts';

/** What "Send test event" came to, one row per output. */
export function sampleResults(results: SampleResult[], t: Texts, catalog: OutputCatalog): HTMLElement {
  if (results.length === 0) return h('p', { class: 'notice' }, t.testNothing);
  return h(
    'table',
    { class: 'grid' },
    h('caption', {}, t.testCaption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t.colOutput), h('th', { scope: 'col' }, t.colResult))),
    h(
      'tbody',
      {},
      results.map((result) =>
        h(
          'tr',
          { 'data-outcome': result.outcome, 'data-type': result.type },
          h(
            'th',
            { scope: 'row' },
            result.label,
            result.type ? h('span', { class: 'hint block' }, typeName(t, result.type, catalog)) : null,
          ),
          h(
            'td',
            {},
            h('span', { class: `badge ${result.outcome}` }, t.outcomes[result.outcome]),
            ' ',
            interpolate(t.testNotes[result.note] ?? t.testNotes.sent ?? '', result.values),
          ),
        ),
      ),
    ),
  );
}
