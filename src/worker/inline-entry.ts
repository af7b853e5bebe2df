// The worker page's inline script (src/build/inline-script.ts bundles it into index.html): the card
// event subscriptions go out while the page is still parsing, before the module script has loaded.
import { EARLY_BINDS, earlyBind } from '../portal/early-binds.ts';
import { parseFrameName } from '../portal/frame-name.ts';
import { EVENTS } from './card-events.ts';

const frame = parseFrameName(window.name);
if (frame) (window as unknown as Record<string, unknown>)[EARLY_BINDS] = earlyBind(frame, Object.values(EVENTS));
