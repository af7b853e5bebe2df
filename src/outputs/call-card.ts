import * as v from 'valibot';
import { cardTexts, formatDuration, interpolate } from '../i18n/messages.ts';
import { defineOutput } from './types.ts';

const TICK_MS = 1000;

/**
 * `callCard`: shows the operator, in the card's status text and the portal's language, that the
 * call is on hold and for how long, ticking every second; clears the text when the hold ends.
 */
export default defineOutput({
  type: 'callCard',
  title: 'Call card text',
  description: 'Shows “On hold 0:42” in the call card while the call is held, in the operator’s language.',
  schema: v.object({}),
  fields: [],
  // The card must tell the operator when a confirmed hold failed.
  defaultOn: ['hold.started', 'hold.ended', 'hold.failed'],
  describeTest: () => null,
  create(_options, context) {
    const texts = cardTexts(context.portal.session.lang);
    let timer: ReturnType<typeof setInterval> | null = null;
    let lastError: string | null = null;

    const setText = async (statusText: string): Promise<boolean> => {
      const answer = await context.portal.command('CallCardSetStatusText', { statusText });
      if (answer.ok) {
        lastError = null;
        return true;
      }
      if (answer.error !== lastError)
        context.log.warn(`${context.label}: the card refused the status text: ${answer.error}`);
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
        setText(interpolate(texts.onHold, { time: formatDuration(context.now() - since) })).then((shown) => {
          if (!shown && lastError === 'Call card is undefined') stop();
        });
      void show();
      timer = setInterval(() => void show(), TICK_MS);
    };

    return {
      async send(event) {
        stop();
        if (event.type === 'hold.started') start(Date.parse(event.timestamp));
        else if (event.type === 'hold.failed')
          await setText(interpolate(texts.holdFailed, { reason: event.data.reason ?? '' }));
        else await setText('');
      },
      resume({ started }) {
        start(Date.parse(started.timestamp));
      },
      dispose: stop,
    };
  },
});
