import { cardTexts, fill, formatDuration } from '../i18n/messages.ts';
import type { HoldEvent } from '../hold/types.ts';
import type { Output, OutputFactory } from './types.ts';

/**
 * `callCard`: shows the operator, in the card's status text and the portal's language, that the
 * call is on hold and for how long, ticking every second; clears the text when the hold ends.
 */
export const DRIVER_NAME = 'callCard';
const TICK_MS = 1000;

const createCallCardOutput: OutputFactory = (_options, context): Output => {
  const texts = cardTexts(context.portal.session.lang);
  let timer: ReturnType<typeof setInterval> | null = null;
  let lastError: string | null = null;

  const setText = async (statusText: string): Promise<boolean> => {
    const answer = await context.portal.command('CallCardSetStatusText', { statusText });
    if (answer.ok) {
      lastError = null;
      return true;
    }
    if (answer.error !== lastError) context.log.warn(`${context.label}: the card refused the status text: ${answer.error}`);
    lastError = answer.error;
    return false;
  };

  const stop = (): void => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };

  const start = (since: number): void => {
    stop();
    const show = (): Promise<void> =>
      setText(fill(texts.onHold, { time: formatDuration(context.now() - since) })).then((shown) => {
        if (!shown && lastError === 'Call card is undefined') stop();
      });
    void show();
    timer = setInterval(() => void show(), TICK_MS);
  };

  return {
    async send(event: HoldEvent) {
      stop();
      if (event.type === 'hold.started') {
        start(Date.parse(event.timestamp));
        return;
      }
      if (event.type === 'hold.failed') {
        await setText(fill(texts.holdFailed, { reason: event.data.reason ?? '' }));
      } else if (event.type === 'hold.ended' || event.type === 'call.summary') {
        await setText('');
      }
    },
    resume({ started }) {
      start(Date.parse(started.timestamp));
    },
    dispose: stop,
  };
};
export default createCallCardOutput;
