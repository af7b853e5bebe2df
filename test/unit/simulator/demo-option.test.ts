import { describe, expect, it } from 'vitest';
import { demoOption } from '../../../src/simulator/demo-option.ts';
import { parseHoldRelayOption } from '../../../src/config/hold-relay-option.ts';
import { outputTypes } from '../../../src/outputs/index.ts';

const types = (option: string) => parseHoldRelayOption(option, outputTypes()).outputs.map((o) => o.type);

describe('the option a new simulator starts with', () => {
  it('shows every browser output at work, each valid', () => {
    const option = demoOption('http://127.0.0.1:8090/sink', 'whsec_aG9sZC1yZWxheS1leGFtcGxlLXNlY3JldC0yNGI=');
    expect(types(option)).toEqual(['log', 'callCard', 'broadcast', 'webhook']);
    expect(parseHoldRelayOption(option, outputTypes()).issues).toEqual([]);
  });

  it('sends every event to the app server too when it keeps hold statistics, as npm start does', () => {
    expect(types(demoOption('http://127.0.0.1:8090/sink', 'whsec_x', true))).toEqual([
      'log',
      'callCard',
      'broadcast',
      'webhook',
      'server',
    ]);
  });
});
