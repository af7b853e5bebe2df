import { h } from './dom.ts';
import { appEventsHandler, runInstall, serverKeepsStatistics, type InstallStep, type StepReport } from './install.ts';
import type { AppPortal } from './app-connection.ts';
import { workerTarget } from './registration.ts';
import { scopeControl } from './scope-control.ts';
import { interpolate, type Texts } from './i18n/index.ts';

/** The installer: the admin picks who loads the worker, then the steps run and report one by one. */
export function installView(portal: AppPortal, t: Texts): HTMLElement {
  const header = h(
    'header',
    { class: 'page-head' },
    h('div', {}, h('h1', {}, t.installTitle), h('p', { class: 'lead' }, t.installLead)),
  );
  if (!portal.session.isAdmin) {
    return h(
      'section',
      { class: 'card', 'data-testid': 'install-view' },
      header,
      h('p', { class: 'notice', role: 'status', 'data-testid': 'install-not-admin' }, t.installNotAdmin),
    );
  }
  const scope = scopeControl(t, [], () => portal.selectUsers());
  const steps: Record<InstallStep, HTMLLIElement> = {
    worker: h('li', { 'data-step': 'worker', 'data-state': 'waiting' }),
    config: h('li', { 'data-step': 'config', 'data-state': 'waiting' }),
    events: h('li', { 'data-step': 'events', 'data-state': 'waiting' }),
    finish: h('li', { 'data-step': 'finish', 'data-state': 'waiting' }),
  };
  const labels: Record<InstallStep, string> = {
    worker: t.stepWorker,
    config: t.stepConfig,
    events: t.stepEvents,
    finish: t.stepFinish,
  };
  const outcome = h('p', { class: 'outcome', role: 'status', 'data-testid': 'install-outcome' });
  const button = h(
    'button',
    { type: 'button', class: 'btn btn-primary', 'data-testid': 'install-start' },
    t.installButton,
  );
  const render = (step: InstallStep, state: string, note: string) => {
    const item = steps[step];
    item.dataset.state = state;
    item.replaceChildren(
      h('span', { class: 'step-mark', 'aria-hidden': 'true' }),
      h(
        'span',
        { class: 'step-text' },
        h('strong', {}, labels[step]),
        note ? h('span', { class: 'hint' }, note) : null,
      ),
    );
  };
  const showStep = (report: StepReport, who: string) => render(report.step, report.state, stepNote(t, report, who));
  for (const step of Object.keys(steps) as InstallStep[]) render(step, 'waiting', '');

  button.addEventListener('click', () => {
    const userIds = scope.read();
    if (userIds === null) return;
    const who = userIds.length === 0 ? t.everyUser : interpolate(t.theseUsers, { ids: userIds.join(', ') });
    button.disabled = true;
    scope.element.disabled = true;
    outcome.textContent = t.installRunning;
    outcome.className = 'outcome';
    const target = workerTarget(location.href, userIds);
    void runInstall(
      {
        rest: portal.rest,
        installFinish: portal.installFinish,
        initialOption: portal.session.appOptions.holdRelay,
        serverKeepsStatistics: () => serverKeepsStatistics(),
        appEventsHandler: () => appEventsHandler(),
      },
      target,
      (report) => showStep(report, who),
    )
      .catch((error: unknown) => {
        showStep({ step: 'worker', state: 'failed', detail: String(error) }, who);
        return false;
      })
      .then((done) => {
        outcome.textContent = done ? t.installDone : t.installFailed;
        outcome.className = done ? 'outcome good' : 'outcome bad';
        document.body.dataset.install = done ? 'done' : 'failed';
        outcome.scrollIntoView({ block: 'nearest' });
        if (!done) {
          button.disabled = false;
          scope.element.disabled = false;
          button.textContent = t.installRetry;
        }
      });
  });

  return h(
    'section',
    { class: 'card install', 'data-testid': 'install-view' },
    header,
    scope.element,
    h('div', { class: 'actions' }, button),
    h('h2', { class: 'steps-title' }, t.stepsTitle),
    h('ol', { class: 'steps', 'data-testid': 'install-steps' }, Object.values(steps)),
    outcome,
  );
}

function stepNote(t: Texts, report: StepReport, who: string): string {
  if (report.state === 'failed') return interpolate(t.stepFailed, { reason: report.detail ?? '' });
  if (report.state === 'working') return '';
  switch (report.step) {
    case 'worker':
      return interpolate(report.detail === 'replaced' ? t.stepWorkerReplaced : t.stepWorkerDone, { who });
    case 'config':
      return report.state === 'kept' ? t.stepConfigKept : t.stepConfigDone;
    case 'events':
      return report.detail === 'no-credentials' ? t.stepEventsSkipped : t.stepEventsDone;
    case 'finish':
      return t.stepFinishDone;
  }
}
