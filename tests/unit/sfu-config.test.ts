/** The SFU's settings from the environment: workers per core, when a meeting spreads to another router. */
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { pipeBufferShortfall, SPREAD_DEFAULTS, sfuConfigFromEnv } from '../../sfu/config.ts';

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

  it.each([
    [undefined, undefined],
    ['', undefined],
    ['dtls', ['dtls']],
    [' dtls, srtp ,,ice', ['dtls', 'srtp', 'ice']],
  ])('MEDIASOUP_LOG_TAGS=%j gives the worker log tags %j', (value, expected) => {
    expect(sfuConfigFromEnv(value === undefined ? {} : { MEDIASOUP_LOG_TAGS: value }).logTags).toEqual(expected);
  });
});

describe('pipeBufferShortfall', () => {
  const MiB4 = 4 * 1024 * 1024;
  it.each([
    ['Debian defaults', 212_992, 212_992, 'net.core.rmem_max and net.core.wmem_max'],
    ['only the receive side low', 212_992, MiB4, 'net.core.rmem_max to'],
    ['only the send side low', MiB4, 1_000_000, 'net.core.wmem_max to'],
  ])('%s: says what to raise', (_what, rmem, wmem, says) => {
    const msg = pipeBufferShortfall((n) => (n === 'rmem_max' ? rmem : wmem));
    expect(msg).toContain(says);
    expect(msg).toContain(String(MiB4));
  });
  it.each([
    ['raised to 4 MiB', MiB4, MiB4],
    ['raised beyond', 16 * 1024 * 1024, 8 * 1024 * 1024],
    ['unreadable (not Linux)', undefined, undefined],
  ])('%s: nothing to say', (_what, rmem, wmem) => {
    expect(pipeBufferShortfall((n) => (n === 'rmem_max' ? rmem : wmem))).toBeNull();
  });
});
