import type { Clock } from '../../../../src/stores/clock';

/** A clock the test moves by hand, so expiry is tested without sleeping. */
export class ManualClock {
  private nowMs: number;

  constructor(start = '2026-03-01T09:00:00.000Z') {
    this.nowMs = Date.parse(start);
  }

  readonly clock: Clock = () => new Date(this.nowMs);

  advanceSeconds(seconds: number): void {
    this.nowMs += seconds * 1000;
  }
}
