import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../src/mcp-servers/http/faults';

describe('FaultInjector', () => {
  it('injects nothing by default', () => {
    const faults = new FaultInjector();
    expect(faults.enabled).toBe(false);
    expect(faults.plan()).toEqual({
      delayMs: 0,
      transientError: false,
      hangMs: undefined,
      dropAfterCommit: false,
    });
  });

  it('makes the same decisions for the same seed', () => {
    const options = {
      transientErrorRate: 0.3,
      dropAfterCommitRate: 0.5,
      latencyMs: 10,
      latencyJitterMs: 40,
      seed: 42,
    };
    const run = () => {
      const faults = new FaultInjector(options);
      return Array.from({ length: 40 }, () => faults.plan());
    };
    const plans = run();
    expect(run()).toEqual(plans);
    expect(plans.some((plan) => plan.transientError)).toBe(true);
    expect(plans.some((plan) => !plan.transientError)).toBe(true);
    expect(plans.every((plan) => plan.delayMs >= 10 && plan.delayMs <= 50)).toBe(true);
  });

  it('honours rates of 0 and 1 exactly', () => {
    const faults = new FaultInjector({
      transientErrorRate: 1,
      timeoutRate: 0,
      dropAfterCommitRate: 1,
      seed: 7,
    });
    for (let i = 0; i < 20; i++) {
      expect(faults.plan()).toMatchObject({ transientError: true, hangMs: undefined, dropAfterCommit: true });
    }
  });

  it('rejects out-of-range and unknown options', () => {
    expect(() => new FaultInjector({ transientErrorRate: 1.5 })).toThrow();
    expect(() => new FaultInjector({ dropRate: 0.1 } as never)).toThrow();
  });
});
