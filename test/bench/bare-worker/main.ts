// The least a PAGE_BACKGROUND_WORKER can do with the SDK's public entry: initialise the frame and
// subscribe to the hold click. The benchmark measures the product's worker against this.
import { initializeB24Frame } from '@bitrix24/b24jssdk';

const b24 = await initializeB24Frame();
await b24.placement.bindEvent('BackgroundCallCard::holdButtonClick', (held: unknown) => {
  console.info('[bare] hold', held);
});
