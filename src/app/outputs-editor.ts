import { OPTION_NAME } from '../config/hold-relay-option.ts';
import type { Logger } from '../log/logger.ts';
import { fill as fillNode, h } from './dom.ts';
import { hasOption } from './install.ts';
import { canAddOutput, jsonProblems, newOutput, OUTPUT_TYPES, readOption, writeOption, type OptionDraft } from './option-form.ts';
import { fieldId, outputsForm, showFieldIssues } from './outputs-form.ts';
import type { AppPortal } from './portal.ts';
import { describe } from './registration.ts';
import { testResults } from './test-results.ts';
import { sendTestEvent } from './test-event.ts';
import { fill, type Texts } from './texts.ts';
import { validateOption, type FieldIssue } from './validate.ts';

/**
 * The configuration editor: a form (or the raw JSON), checked with the worker's own validators as
 * the admin types, and refused with a message per invalid field on Save; saved with app.option.set.
 */
export function outputsPanel(portal: AppPortal, t: Texts, log: Logger, onSaved: (option: unknown) => void): HTMLElement {
  const readOnly = !portal.session.isAdmin;
  const raw = portal.session.appOptions[OPTION_NAME];
  const first = readOption(raw);
  let mode: 'form' | 'json' = first.ok ? 'form' : 'json';
  let draft: OptionDraft = first.ok ? first.draft : { outputs: [], extra: {} };
  if (first.ok && !hasOption(raw)) draft.outputs.push(newOutput('log'));
  let jsonText = typeof raw === 'string' ? pretty(raw) : JSON.stringify(raw ?? {}, null, 2);
  let summaryShown = false;

  const body = h('div', { class: 'editor-body' });
  const summary = h('div', { class: 'summary', role: 'alert', tabindex: '-1', hidden: true, 'data-testid': 'issue-summary' });
  const status = h('p', { class: 'status', role: 'status', 'data-testid': 'save-status' });
  const results = h('div', { class: 'test-results', 'data-testid': 'test-results' });
  const viewButtons = (['form', 'json'] as const).map((view) =>
    h('button', { type: 'button', class: 'seg', 'data-view': view, 'data-testid': `view-${view}`, onclick: () => switchTo(view) }, view === 'form' ? t.viewForm : t.viewJson),
  );

  const current = (): { option: unknown; issues: FieldIssue[] } => {
    if (mode === 'form') {
      const option = writeOption(draft);
      const broken: FieldIssue[] = jsonProblems(draft).map(([index, field, why]) => {
        const detail = fill(t.notJson, { why });
        return { index, field, detail, message: `outputs[${index}] (${draft.outputs[index]?.type ?? '?'}): field "${field}" ${detail}` };
      });
      const rest = validateOption(option).filter((i) => !broken.some((b) => b.index === i.index && b.field === i.field));
      return { option, issues: [...broken, ...rest] };
    }
    try {
      const option: unknown = JSON.parse(jsonText);
      return { option, issues: validateOption(option) };
    } catch (error) {
      const message = `option "${OPTION_NAME}" is not valid JSON (${(error as Error).message})`;
      return { option: null, issues: [{ index: null, field: '', detail: message, message }] };
    }
  };

  const showSummary = (issues: FieldIssue[]) => {
    summaryShown = issues.length > 0;
    summary.hidden = !summaryShown;
    fillNode(summary, h('h3', {}, fill(t.issuesTitle, { n: String(issues.length) })), h('ul', {}, issues.map((issue) => h('li', {}, issueLink(issue)))));
  };
  const issueLink = (issue: FieldIssue) => {
    if (mode !== 'form' || issue.index === null) return issue.message;
    const target = issue.field === '' || issue.field === 'type' || issue.field === 'enabled' ? `o${issue.index}-title` : fieldId(issue.index, issue.field);
    return h('a', { href: `#${target}`, onclick: (event: Event) => (event.preventDefault(), focusById(target)) }, issue.message);
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
      const area = h('textarea', { id, class: 'mono json', rows: 18, spellcheck: 'false', readonly: readOnly, value: jsonText, 'data-testid': 'option-json' });
      area.addEventListener('input', () => (jsonText = area.value));
      area.addEventListener('change', () => void check());
      fillNode(body, h('label', { for: id, class: 'visually-hidden' }, t.jsonLabel), area, h('p', { class: 'hint' }, t.jsonHint));
    } else {
      const form = outputsForm(draft, t, readOnly, { changed: () => void check(), restructure: (id) => render(id) });
      fillNode(body, form, readOnly ? null : addRow());
      check();
    }
    if (focus) focusById(focus);
  };

  const addRow = () => {
    const select = h('select', { id: 'add-type', 'data-testid': 'add-type' }, OUTPUT_TYPES.map((type) => h('option', { value: type }, t.typeNames[type] ?? type)));
    select.value = 'webhook';
    const add = () => {
      draft.outputs.push(newOutput(select.value));
      render(fieldId(draft.outputs.length - 1, 'enabled'));
    };
    return h('div', { class: 'add-row' },
      h('label', { for: 'add-type' }, t.addLabel),
      select,
      h('button', { type: 'button', class: 'btn btn-light', disabled: !canAddOutput(draft), 'data-testid': 'add-output', onclick: add }, t.addButton),
    );
  };

  const switchTo = (view: 'form' | 'json') => {
    if (view === mode) return;
    if (view === 'json') jsonText = JSON.stringify(writeOption(draft), null, 2);
    else {
      const read = readOption(jsonText);
      if (!read.ok) {
        status.textContent = fill(t.cannotForm, { reason: read.reason });
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
    if (!answer.ok) return setStatus(fill(t.saveRefused, { reason: describe(answer) }), 'bad');
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
    fillNode(results, testResults(await sendTestEvent(option, portal.outputPort(), log), t));
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
  if (!first.ok) setStatus(fill(t.cannotForm, { reason: first.reason }), 'bad');
  return h('section', { class: 'card outputs', 'aria-labelledby': 'outputs-title', 'data-testid': 'outputs-panel' },
    h('div', { class: 'section-head' },
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
  if (target instanceof HTMLButtonElement && target.disabled) target.closest('.output-card')?.querySelector<HTMLElement>('h3')?.focus();
  else target.focus();
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
