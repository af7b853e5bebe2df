import { issueText, topField, type ConfigIssue } from '../config/issues.ts';
import { hasOption, OPTION_NAME } from '../config/option-value.ts';
import type { Logger } from '../log/logger.ts';
import { OUTPUT_ROLES } from '../outputs/index.ts';
import type { OutputCatalog } from './catalog.ts';
import { setChildren, h } from './dom.ts';
import { canAddOutput, jsonProblems, newOutput, readOption, writeOption, type OptionDraft } from './option-form.ts';
import { fieldId, outputsForm, showFieldIssues } from './outputs-form.ts';
import { typeName } from './output-texts.ts';
import type { AppPortal } from './app-connection.ts';
import { describe } from './registration.ts';
import { sampleResults } from './sample-results.ts';
import { sendSampleEvent } from './sample-send.ts';
import { interpolate, type Texts } from './i18n/index.ts';
import { validateOption } from './validate.ts';

/**
 * The configuration editor: a form (or the raw JSON), checked with the worker's own validators as
 * the admin types, and refused with a message per invalid field on Save; saved with app.option.set.
 */
export function outputsPanel(
  portal: AppPortal,
  catalog: OutputCatalog,
  t: Texts,
  log: Logger,
  onSaved: (option: unknown) => void,
): HTMLElement {
  const readOnly = !portal.session.isAdmin;
  const raw = portal.session.appOptions[OPTION_NAME];
  const first = readOption(raw, catalog);
  let mode: 'form' | 'json' = first.ok ? 'form' : 'json';
  let draft: OptionDraft = first.ok ? first.draft : { outputs: [], extra: {} };
  if (first.ok && !hasOption(raw)) draft.outputs.push(newOutput(OUTPUT_ROLES.unset));
  let jsonText = typeof raw === 'string' ? pretty(raw) : JSON.stringify(raw ?? {}, null, 2);
  let summaryShown = false;

  const body = h('div', { class: 'editor-body' });
  const summary = h('div', {
    class: 'summary',
    role: 'alert',
    tabindex: '-1',
    hidden: true,
    'data-testid': 'issue-summary',
  });
  const status = h('p', { class: 'status', role: 'status', 'data-testid': 'save-status' });
  const results = h('div', { class: 'test-results', 'data-testid': 'test-results' });
  const viewButtons = (['form', 'json'] as const).map((view) =>
    h(
      'button',
      { type: 'button', class: 'seg', 'data-view': view, 'data-testid': `view-${view}`, onclick: () => switchTo(view) },
      view === 'form' ? t.viewForm : t.viewJson,
    ),
  );

  const current = (): { option: unknown; issues: ConfigIssue[] } => {
    if (mode === 'form') {
      const option = writeOption(draft, catalog);
      const broken: ConfigIssue[] = jsonProblems(draft, catalog).map(([index, field, why]) => ({
        index,
        type: draft.outputs[index]?.type ?? '?',
        field,
        message: interpolate(t.notJson, { why }),
      }));
      const rest = validateOption(option, catalog).filter(
        (i) => !broken.some((b) => b.index === i.index && b.field === topField(i)),
      );
      return { option, issues: [...broken, ...rest] };
    }
    try {
      const option: unknown = JSON.parse(jsonText);
      return { option, issues: validateOption(option, catalog) };
    } catch (error) {
      const message = `option "${OPTION_NAME}" is not valid JSON (${(error as Error).message})`;
      return { option: null, issues: [{ index: null, type: null, field: '', message }] };
    }
  };

  const showSummary = (issues: ConfigIssue[]) => {
    summaryShown = issues.length > 0;
    summary.hidden = !summaryShown;
    setChildren(
      summary,
      h('h3', {}, interpolate(t.issuesTitle, { n: String(issues.length) })),
      h(
        'ul',
        {},
        issues.map((issue) => h('li', {}, issueLink(issue))),
      ),
    );
  };
  const issueLink = (issue: ConfigIssue) => {
    if (mode !== 'form' || issue.index === null) return issueText(issue);
    const field = topField(issue);
    const target =
      field === '' || field === 'type' || field === 'enabled' ? `o${issue.index}-title` : fieldId(issue.index, field);
    return h(
      'a',
      { href: `#${target}`, onclick: (event: Event) => (event.preventDefault(), focusById(target)) },
      issueText(issue),
    );
  };
  const check = () => {
    const { issues } = current();
    if (mode === 'form') showFieldIssues(body, issues);
    if (summaryShown) showSummary(issues);
    return issues;
  };

  const render = (focus?: string) => {
    for (const button of viewButtons) button.setAttribute('aria-pressed', String(button.dataset.view === mode));
    if (mode === 'json') {
      const id = 'option-json';
      const area = h('textarea', {
        id,
        class: 'mono json',
        rows: 18,
        spellcheck: 'false',
        readonly: readOnly,
        value: jsonText,
        'data-testid': 'option-json',
      });
      area.addEventListener('input', () => (jsonText = area.value));
      area.addEventListener('change', () => void check());
      setChildren(
        body,
        h('label', { for: id, class: 'visually-hidden' }, t.jsonLabel),
        area,
        h('p', { class: 'hint' }, t.jsonHint),
      );
    } else {
      const form = outputsForm(
        draft,
        t,
        readOnly,
        { changed: () => void check(), restructure: (id) => render(id) },
        catalog,
      );
      setChildren(body, form, readOnly ? null : addRow());
      check();
    }
    if (focus) focusById(focus);
  };

  const addRow = () => {
    const select = h(
      'select',
      { id: 'add-type', 'data-testid': 'add-type' },
      catalog.types.map((type) => h('option', { value: type }, typeName(t, type, catalog))),
    );
    select.value = OUTPUT_ROLES.offeredFirst;
    const add = () => {
      draft.outputs.push(newOutput(select.value));
      render(fieldId(draft.outputs.length - 1, 'enabled'));
    };
    return h(
      'div',
      { class: 'add-row' },
      h('label', { for: 'add-type' }, t.addLabel),
      select,
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-light',
          disabled: !canAddOutput(draft),
          'data-testid': 'add-output',
          onclick: add,
        },
        t.addButton,
      ),
    );
  };

  const switchTo = (view: 'form' | 'json') => {
    if (view === mode) return;
    if (view === 'json') jsonText = JSON.stringify(writeOption(draft, catalog), null, 2);
    else {
      const read = readOption(jsonText, catalog);
      if (!read.ok) {
        status.textContent = interpolate(t.cannotForm, { reason: read.reason });
        status.className = 'status bad';
        return;
      }
      draft = read.draft;
    }
    mode = view;
    status.textContent = '';
    render();
  };

  const save = async () => {
    const { option, issues } = current();
    showSummary(issues);
    if (mode === 'form') showFieldIssues(body, issues);
    if (issues.length > 0) {
      setStatus(t.notSaved, 'bad');
      summary.focus();
      return;
    }
    setStatus(t.saving, '');
    const text = JSON.stringify(option);
    const answer = await portal.rest('app.option.set', { options: { [OPTION_NAME]: text } });
    if (!answer.ok) return setStatus(interpolate(t.saveRefused, { reason: describe(answer) }), 'bad');
    portal.session.appOptions[OPTION_NAME] = text;
    setStatus(t.saved, 'good');
    onSaved(option);
  };

  const test = async () => {
    const { option, issues } = current();
    showSummary(issues);
    if (issues.length > 0) {
      setStatus(t.testBlocked, 'bad');
      summary.focus();
      return;
    }
    setStatus(t.testRunning, '');
    setChildren(results, sampleResults(await sendSampleEvent(option, catalog, portal.outputPortal(), log), t, catalog));
    setStatus(t.testDone, '');
  };

  const setStatus = (text: string, tone: string) => {
    status.textContent = text;
    status.className = `status ${tone}`;
  };

  const busy = (button: HTMLButtonElement, task: () => Promise<void>) => () => {
    button.disabled = true;
    void task()
      .catch((error: unknown) => setStatus(String(error), 'bad'))
      .finally(() => (button.disabled = false));
  };
  const saveButton = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'save' }, t.save);
  const testButton = h('button', { type: 'button', class: 'btn btn-light', 'data-testid': 'send-test' }, t.sendTest);
  saveButton.addEventListener('click', busy(saveButton, save));
  testButton.addEventListener('click', busy(testButton, test));

  render();
  if (!first.ok) setStatus(interpolate(t.cannotForm, { reason: first.reason }), 'bad');
  return h(
    'section',
    { class: 'card outputs', 'aria-labelledby': 'outputs-title', 'data-testid': 'outputs-panel' },
    h(
      'div',
      { class: 'section-head' },
      h('h2', { id: 'outputs-title' }, t.outputsTitle),
      h('div', { class: 'segmented', role: 'group', 'aria-label': t.viewLabel }, viewButtons),
    ),
    h('p', { class: 'hint' }, t.outputsLead),
    readOnly ? h('p', { class: 'notice', 'data-testid': 'read-only' }, t.readOnly) : null,
    !hasOption(raw) ? h('p', { class: 'notice' }, t.noOptionYet) : null,
    summary,
    body,
    readOnly ? null : h('div', { class: 'actions sticky' }, saveButton, testButton, status),
    readOnly ? status : null,
    results,
  );
}

function focusById(id: string): void {
  const target = document.getElementById(id);
  if (!target) return;
  if (target instanceof HTMLButtonElement && target.disabled)
    target.closest('.output-card')?.querySelector<HTMLElement>('h3')?.focus();
  else target.focus();
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
