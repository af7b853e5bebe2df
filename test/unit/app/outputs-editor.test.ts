// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { outputsPanel } from '../../../src/app/outputs-editor.ts';
import { textsFor } from '../../../src/app/i18n/index.ts';
import { catalog } from '../../support/catalog.ts';
import { recordingLogger } from '../../support/fixtures.ts';
import { recordingAppPortal, type AppPortalOptions } from '../../support/recording-app-portal.ts';

const URL_RULE = 'must be an https: URL (http: only for localhost, 127.0.0.1 and [::1])';

function mount(options: AppPortalOptions = {}) {
  const portal = recordingAppPortal(options);
  const { calls } = portal;
  const saved: unknown[] = [];
  const panel = outputsPanel(
    portal,
    catalog,
    textsFor(portal.session.lang),
    recordingLogger(),
    (option) => void saved.push(option),
  );
  document.body.replaceChildren(panel);
  const byTestId = <T extends HTMLElement>(id: string) => panel.querySelector<T>(`[data-testid="${id}"]`);
  const type = (id: string, value: string) => {
    const input = byTestId<HTMLInputElement>(id);
    if (!input) throw new Error(`no ${id}`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('change'));
  };
  const click = (id: string) => byTestId(id)?.click();
  return { panel, calls, saved, byTestId, type, click };
}

describe('the outputs editor', () => {
  afterEach(() => document.body.replaceChildren());

  it('shows the refusal under the field, marks it invalid and lists it, and saves nothing', async () => {
    const ui = mount({ holdRelay: '{"outputs":[{"type":"log"}]}' });
    (ui.byTestId<HTMLSelectElement>('add-type') as HTMLSelectElement).value = 'webhook';
    ui.click('add-output');
    ui.type('output-1-url', 'http://evil.example/hook');
    ui.click('save');

    const url = ui.byTestId<HTMLInputElement>('output-1-url');
    await expect.poll(() => url?.getAttribute('aria-invalid')).toBe('true');
    const errorId = url?.getAttribute('aria-describedby')?.split(' ').at(-1) ?? '';
    expect(ui.panel.querySelector(`[id="${errorId}"]`)?.textContent).toBe(URL_RULE);
    expect(ui.byTestId('issue-summary')?.hidden).toBe(false);
    expect(ui.byTestId('issue-summary')?.textContent).toContain(
      `outputs[1] (webhook): field "url" ${URL_RULE}; this output is disabled`,
    );
    expect(document.activeElement).toBe(ui.byTestId('issue-summary'));
    expect(ui.calls).toEqual([]);
  });

  it('clears the message once the field is fixed, and saves the option as a JSON string', async () => {
    const ui = mount({ holdRelay: '{"outputs":[{"type":"log"}]}' });
    ui.click('add-output');
    ui.type('output-1-url', 'http://evil.example/hook');
    ui.type('output-1-url', 'https://pbx.example.com/hold');
    expect(ui.byTestId('output-1-url')?.hasAttribute('aria-invalid')).toBe(false);
    ui.click('save');
    const option = { outputs: [{ type: 'log' }, { type: 'webhook', url: 'https://pbx.example.com/hold' }] };
    await expect.poll(() => ui.byTestId('save-status')?.textContent).toMatch(/^Saved\./);
    expect(ui.calls).toEqual([
      { method: 'app.option.set', params: { options: { holdRelay: JSON.stringify(option) } } },
    ]);
    expect(ui.saved).toEqual([option]);
    expect(ui.byTestId('save-status')?.textContent).toMatch(/^Saved\./);
  });

  it('keeps what the admin typed when switching between the form and JSON', () => {
    const stored = {
      outputs: [{ type: 'webhook', url: 'https://pbx.example.com/hold', custom: [1, 2] }],
      note: 'kept',
    };
    const ui = mount({ holdRelay: JSON.stringify(stored) });
    ui.type('output-0-url', 'https://pbx.example.com/v2');
    ui.click('view-json');
    const json = ui.byTestId<HTMLTextAreaElement>('option-json');
    expect(JSON.parse(json?.value ?? '')).toEqual({
      ...stored,
      outputs: [{ ...stored.outputs[0], url: 'https://pbx.example.com/v2' }],
    });
    if (json) json.value = '{"outputs":[{"type":"broadcast","channel":"ops"}]}';
    json?.dispatchEvent(new Event('input'));
    ui.click('view-form');
    expect(ui.panel.querySelector('[data-testid="output-0"]')?.getAttribute('data-type')).toBe('broadcast');
    expect(ui.byTestId<HTMLInputElement>('output-0-channel')?.value).toBe('ops');
  });

  it('stays in JSON, saying why, when the JSON cannot be shown in the form', () => {
    const ui = mount({ holdRelay: '{"outputs":[{"type":"log"}]}' });
    ui.click('view-json');
    const json = ui.byTestId<HTMLTextAreaElement>('option-json');
    if (json) json.value = '{"outputs": [';
    json?.dispatchEvent(new Event('input'));
    ui.click('view-form');
    expect(ui.byTestId('option-json')).not.toBeNull();
    expect(ui.byTestId('save-status')?.textContent).toMatch(
      /^The form cannot show this configuration \(option "holdRelay" is not valid JSON/,
    );
  });

  it('opens on the log output alone when nothing is saved, as the worker behaves', () => {
    const ui = mount({});
    expect(
      [...ui.panel.querySelectorAll('[data-testid^="output-"][data-type]')].map((card) =>
        card.getAttribute('data-type'),
      ),
    ).toEqual(['log']);
  });

  it('shows a non-admin the configuration with every control disabled and no Save', () => {
    const ui = mount({
      isAdmin: false,
      holdRelay: '{"outputs":[{"type":"webhook","url":"https://pbx.example.com/hold"}]}',
    });
    expect(ui.byTestId('save')).toBeNull();
    expect(ui.byTestId('read-only')).not.toBeNull();
    expect(ui.panel.querySelector<HTMLFieldSetElement>('fieldset.outputs-form')?.disabled).toBe(true);
  });

  it('speaks the portal’s language', () => {
    const ui = mount({ lang: 'de', holdRelay: '{"outputs":[{"type":"log"}]}' });
    expect(ui.byTestId('save')?.textContent).toBe('Speichern');
    expect(ui.panel.querySelector('h2')?.textContent).toBe('Ausgaben');
  });
});
