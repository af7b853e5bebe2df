// "No server output": the report stays empty until holds are sent to the server. An admin adds the
// output with one click (app.option.set); anyone else is told to ask one.
import { OPTION_NAME } from '../../config/option-value.ts';
import type { RestAnswer } from '../../portal/types.ts';
import { h } from '../dom.ts';
import { withServerOutput } from './server-output.ts';
import { interpolate, type ReportTexts } from '../i18n/index.ts';

interface ServerNoticeOptions {
  t: ReportTexts;
  isAdmin: boolean;
  appOptions: Record<string, unknown>;
  rest: (method: string, params?: Record<string, unknown>) => Promise<RestAnswer>;
  onAdded: () => void;
}

export function serverOutputNotice({ t, isAdmin, appOptions, rest, onAdded }: ServerNoticeOptions): HTMLElement {
  const status = h('p', { class: 'status', role: 'status', 'data-testid': 'add-server-status' });
  const notice = h(
    'div',
    { class: 'notice report-notice', 'data-testid': 'notice-no-server-output' },
    h('p', {}, isAdmin ? t.noServerOutput : t.noServerOutputReader),
    status,
  );
  if (!isAdmin) return notice;
  const button = h(
    'button',
    { type: 'button', class: 'btn btn-primary', 'data-testid': 'add-server-output' },
    t.addServerOutput,
  );
  button.addEventListener('click', () => {
    const text = withServerOutput(appOptions[OPTION_NAME]);
    if (text === null) {
      status.textContent = t.optionInvalid;
      return;
    }
    button.disabled = true;
    status.textContent = t.addingServerOutput;
    void rest('app.option.set', { options: { [OPTION_NAME]: text } }).then((answer) => {
      if (!answer.ok) {
        button.disabled = false;
        status.textContent = interpolate(t.addServerRefused, { reason: answer.description || answer.error });
        return;
      }
      appOptions[OPTION_NAME] = text;
      status.textContent = t.addedServerOutput;
      status.className = 'status good';
      button.remove();
      notice.dataset.state = 'added';
      onAdded();
    });
  });
  notice.insertBefore(button, status);
  return notice;
}
