import { HOLD_EVENT_TYPES, type HoldEventType } from '../hold/types.ts';
import { h } from './dom.ts';
import { issueText, topField, type ConfigIssue } from '../config/issues.ts';
import { fieldsOf, type FieldSpec, type OutputCatalog } from './catalog.ts';
import { defaultOn, setEnabled, setOn, setValue, type OptionDraft, type OutputDraft } from './option-form.ts';
import { fieldHint, fieldLabel, typeHint, typeName } from './output-texts.ts';
import { interpolate, type Texts } from './i18n/index.ts';

/** The outputs as a list of cards, one per entry; edits go straight into the draft. */

export interface FormEvents {
  /** A value changed (the structure did not). */
  changed(): void;
  /** An output was added, removed, moved or retyped: render again. */
  restructure(focusId?: string): void;
}

export const fieldId = (index: number, field: string): string => `o${index}-${field}`;
const errorId = (index: number, field: string): string => `o${index}-${field}-error`;

export function outputsForm(
  draft: OptionDraft,
  t: Texts,
  readOnly: boolean,
  events: FormEvents,
  catalog: OutputCatalog,
): HTMLElement {
  const cards = draft.outputs.map((output, index) => card(draft, output, index, t, events, catalog));
  const empty = draft.outputs.length === 0 ? h('p', { class: 'notice' }, t.noOutputs) : null;
  return h(
    'fieldset',
    { class: 'outputs-form', disabled: readOnly },
    h('legend', { class: 'visually-hidden' }, t.outputsTitle),
    empty,
    h('ol', { class: 'output-list', 'data-testid': 'output-list' }, cards),
  );
}

function card(
  draft: OptionDraft,
  output: OutputDraft,
  index: number,
  t: Texts,
  events: FormEvents,
  catalog: OutputCatalog,
): HTMLLIElement {
  const count = draft.outputs.length;
  const name = typeName(t, output.type, catalog);
  const move = (to: number) => () => {
    const [item] = draft.outputs.splice(index, 1);
    if (item) draft.outputs.splice(to, 0, item);
    events.restructure(`o${to}-${to < index ? 'up' : 'down'}`);
  };
  const enabled = h('input', {
    type: 'checkbox',
    id: fieldId(index, 'enabled'),
    checked: output.enabled,
    'data-testid': `output-${index}-enabled`,
  });
  enabled.addEventListener('change', () => {
    setEnabled(output, enabled.checked);
    events.changed();
  });
  const tools = h(
    'div',
    { class: 'card-tools' },
    h('label', { class: 'switch' }, enabled, h('span', {}, t.enabled)),
    h(
      'button',
      {
        type: 'button',
        class: 'icon-btn',
        id: `o${index}-up`,
        'aria-label': interpolate(t.moveUp, { n: String(index + 1) }),
        disabled: index === 0,
        onclick: move(index - 1),
      },
      '↑',
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'icon-btn',
        id: `o${index}-down`,
        'aria-label': interpolate(t.moveDown, { n: String(index + 1) }),
        disabled: index === count - 1,
        onclick: move(index + 1),
      },
      '↓',
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'icon-btn danger',
        'aria-label': interpolate(t.remove, { n: String(index + 1), name }),
        'data-testid': `output-${index}-remove`,
        onclick: () => {
          draft.outputs.splice(index, 1);
          events.restructure('add-type');
        },
      },
      '✕',
    ),
  );
  const known = catalog.get(output.type) !== undefined;
  const extras = Object.keys(output.extra);
  return h(
    'li',
    {
      class: `output-card${output.enabled ? '' : ' off'}`,
      'data-index': String(index),
      'data-type': output.type,
      'data-testid': `output-${index}`,
    },
    h(
      'div',
      { class: 'card-head' },
      h(
        'h3',
        { id: `o${index}-title`, tabindex: '-1' },
        h('span', { class: 'num' }, `${index + 1}`),
        name,
        h('code', {}, output.type),
      ),
      tools,
    ),
    h('p', { class: 'hint type-hint' }, known ? typeHint(t, output.type, catalog) : t.unknownTypeHint),
    h('p', { class: 'field-error', id: errorId(index, ''), hidden: true }),
    known
      ? h(
          'div',
          { class: 'fields' },
          fieldsOf(catalog, output.type).map((spec) => field(output, index, spec, t, events)),
        )
      : null,
    known ? eventChoice(output, index, t, events, catalog) : null,
    extras.length > 0 ? h('p', { class: 'hint' }, interpolate(t.keptKeys, { keys: extras.join(', ') })) : null,
  );
}

function field(output: OutputDraft, index: number, spec: FieldSpec, t: Texts, events: FormEvents): HTMLElement {
  const id = fieldId(index, spec.key);
  const hintId = `${id}-hint`;
  const hint = fieldHint(t, output.type, spec);
  const described = [hint ? hintId : null, errorId(index, spec.key)].filter(Boolean).join(' ');
  const error = h('p', { class: 'field-error', id: errorId(index, spec.key), hidden: true });
  const value = output.values[spec.key];
  if (spec.kind === 'boolean') {
    const box = h('input', {
      type: 'checkbox',
      id,
      checked: value === true,
      'aria-describedby': described,
      'data-testid': `output-${index}-${spec.key}`,
    });
    box.addEventListener('change', () => {
      setValue(output, spec.key, box.checked);
      events.changed();
    });
    return h(
      'div',
      { class: 'field check' },
      box,
      h('label', { for: id }, fieldLabel(t, output.type, spec)),
      hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
      error,
    );
  }
  const attrs = {
    id,
    'aria-describedby': described,
    'data-testid': `output-${index}-${spec.key}`,
    spellcheck: 'false',
    autocomplete: 'off',
  };
  const control =
    spec.kind === 'json'
      ? h('textarea', { ...attrs, rows: 5, class: 'mono', value: typeof value === 'string' ? value : '' })
      : h('input', {
          ...attrs,
          type: spec.kind === 'url' ? 'url' : 'text',
          inputmode: spec.kind === 'number' ? 'numeric' : undefined,
          class: spec.kind === 'secret' || spec.kind === 'url' ? 'mono' : undefined,
          required: spec.required === true,
          value: typeof value === 'string' ? value : '',
        });
  control.addEventListener('input', () => setValue(output, spec.key, control.value));
  control.addEventListener('change', () => events.changed());
  const generate =
    spec.kind === 'secret'
      ? h(
          'button',
          {
            type: 'button',
            class: 'btn btn-light',
            onclick: () => {
              control.value = newSecret();
              setValue(output, spec.key, control.value);
              events.changed();
            },
          },
          t.generateSecret,
        )
      : null;
  const wide = spec.kind === 'json' || spec.kind === 'url' || spec.kind === 'secret' || spec.required === true;
  return h(
    'div',
    { class: `field${wide ? ' wide' : ''}` },
    h(
      'label',
      { for: id },
      fieldLabel(t, output.type, spec),
      spec.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null,
    ),
    generate ? h('div', { class: 'inline' }, control, generate) : control,
    error,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
  );
}

function eventChoice(
  output: OutputDraft,
  index: number,
  t: Texts,
  events: FormEvents,
  catalog: OutputCatalog,
): HTMLElement {
  const current = output.on ?? defaultOn(output.type, catalog);
  const boxes = HOLD_EVENT_TYPES.map((type) => {
    const box = h('input', {
      type: 'checkbox',
      value: type,
      checked: current.includes(type),
      'data-testid': `output-${index}-on-${type}`,
    });
    box.addEventListener('change', () => {
      setOn(
        output,
        boxes.filter(([, b]) => b.checked).map(([name]) => name),
      );
      events.changed();
    });
    return [type, box] as [HoldEventType, HTMLInputElement];
  });
  return h(
    'fieldset',
    { class: 'events', id: fieldId(index, 'on'), 'aria-describedby': errorId(index, 'on'), tabindex: '-1' },
    h('legend', {}, t.eventsLegend),
    h(
      'div',
      { class: 'event-boxes' },
      boxes.map(([type, box]) => h('label', { class: 'choice small' }, box, h('span', {}, t.eventNames[type]))),
    ),
    h('p', { class: 'field-error', id: errorId(index, 'on'), hidden: true }),
  );
}

/** Shows each issue under its field (or at the top of its card) and marks the control invalid. */
export function showFieldIssues(root: ParentNode, issues: ConfigIssue[]): void {
  for (const node of root.querySelectorAll<HTMLElement>('.output-card .field-error')) node.hidden = true;
  for (const node of root.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  for (const issue of issues) {
    if (issue.index === null) continue;
    const field = topField(issue);
    const own = root.querySelector<HTMLElement>(`#${errorId(issue.index, field)}`);
    const target = own ?? root.querySelector<HTMLElement>(`#${errorId(issue.index, '')}`);
    if (!target) continue;
    const text = own ? fieldMessage(issue) : issueText(issue);
    target.textContent = target.hidden ? text : `${target.textContent ?? ''} ${text}`;
    target.hidden = false;
    if (own) root.querySelector(`#${fieldId(issue.index, field)}`)?.setAttribute('aria-invalid', 'true');
  }
}

/** Under its own field: what is wrong, with the path inside the field where it is deeper (params.fields.COMMENT). */
function fieldMessage(issue: ConfigIssue): string {
  const inner = issue.field.split('.').slice(1).join('.');
  return inner ? `${inner}: ${issue.message}` : issue.message;
}

function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}
