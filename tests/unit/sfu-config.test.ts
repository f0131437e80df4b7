/** The SFU's settings from the environment: workers per core, when a meeting spreads to another router. */
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { SPREAD_DEFAULTS, sfuConfigFromEnv } from '../../sfu/config.ts';

describe('sfuConfigFromEnv', () => {
  it('one worker per core and the spread defaults when nothing is set', () => {
    const c = sfuConfigFromEnv({});
    expect(c.numWorkers).toBe(os.availableParallelism());
    expect({ ...SPREAD_DEFAULTS, ...c.spread }).toEqual({ consumersPerRouter: 500, consumersPerSite: 10 });
  });

  it.each([
    ['200', 200],
    ['4.7', 4],
    ['0', 500],
    ['-3', 500],
    ['many', 500],
    ['', 500],
  ])('MEDIASOUP_CONSUMERS_PER_ROUTER=%j gives a threshold of %i', (value, expected) => {
    const c = sfuConfigFromEnv({ MEDIASOUP_CONSUMERS_PER_ROUTER: value, MEDIASOUP_WORKERS: '3' });
    expect({ ...SPREAD_DEFAULTS, ...c.spread }.consumersPerRouter).toBe(expected);
    expect(c.numWorkers).toBe(3);
  });
});
