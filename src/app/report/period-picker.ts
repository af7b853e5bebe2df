// The period picker: presets as toggle buttons, and a custom range of two days checked before use.
import { h } from '../dom.ts';
import { PRESETS, resolvePeriod, type PeriodChoice, type Preset, type ReportPeriod } from './period.ts';
import type { ReportTexts } from '../i18n/index.ts';

export interface PeriodPicker {
  /** The preset buttons. */
  presets: HTMLElement;
  /** The custom range's form, shown when "Custom…" is pressed. */
  custom: HTMLElement;
  /** The chosen period as of now; null when it cannot be resolved. */
  period(): ReportPeriod | null;
}

export function periodPicker(options: {
  t: ReportTexts;
  tz: string;
  now: () => number;
  onChange: () => void;
}): PeriodPicker {
  const { t, tz, now } = options;
  let choice: PeriodChoice = { preset: 'today' };
  const buttons = PRESETS.map((preset) =>
    h(
      'button',
      {
        type: 'button',
        class: 'seg',
        'data-preset': preset,
        'data-testid': `period-${preset}`,
        'aria-pressed': String(preset === choice.preset),
        onclick: () => pick(preset),
      },
      t.presets[preset] ?? preset,
    ),
  );
  const today = resolvePeriod({ preset: 'today' }, now(), tz);
  // A custom period's ends start at today, and never run past it.
  const dateInput = (end: 'from' | 'to') =>
    h('input', {
      type: 'date',
      id: `report-${end}`,
      'data-testid': `custom-${end}`,
      value: today?.first ?? '',
      max: today?.first ?? '',
    });
  const fromInput = dateInput('from');
  const toInput = dateInput('to');
  const customError = h('p', { class: 'field-error', hidden: true }, t.customInvalid);
  const custom = h(
    'form',
    {
      class: 'custom-range',
      hidden: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        const next: PeriodChoice = { preset: 'custom', first: fromInput.value, last: toInput.value };
        customError.hidden = resolvePeriod(next, now(), tz) !== null;
        if (customError.hidden) {
          choice = next;
          options.onChange();
        }
      },
    },
    h('label', { for: 'report-from' }, t.customFrom),
    fromInput,
    h('label', { for: 'report-to' }, t.customTo),
    toInput,
    h('button', { type: 'submit', class: 'btn btn-light', 'data-testid': 'custom-apply' }, t.customApply),
    customError,
  );

  const pick = (preset: Preset) => {
    for (const button of buttons) button.setAttribute('aria-pressed', String(button.dataset.preset === preset));
    custom.hidden = preset !== 'custom';
    if (preset === 'custom') {
      fromInput.focus();
      return;
    }
    choice = { preset };
    options.onChange();
  };

  return {
    presets: h('div', { class: 'segmented periods', role: 'group', 'aria-label': t.periodLabel }, buttons),
    custom,
    period: () => resolvePeriod(choice, now(), tz),
  };
}
