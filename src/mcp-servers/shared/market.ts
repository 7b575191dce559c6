import type { Money } from '../../stores/types';
import { roundCents } from './money';
import { SeededRandom } from './seeded-random';

/**
 * What an offer costs now. Offers are generated from their ids, so an offer's base price never
 * changes; real fares do, between the search a traveller saw and the booking. The market is the
 * one place that decides the current price, for the search, details and booking tools alike.
 *
 * By default it answers the base price. Fault injection (`repriceRate`, `repriceFactor`,
 * `repriceAfterLookups` in `MCP_FAULTS_FLIGHTS` / `MCP_FAULTS_HOTELS`) makes a seeded share of
 * offers change price once they have been looked up by id — the window between a quote and a booking that a planner must
 * handle without booking at a price nobody approved. The market is process-wide, so the flights,
 * hotels and bookings servers of one process agree on every price.
 */
export interface RepriceSettings {
  /** Share of offers (chosen by offer id, seeded) whose price changes after their first lookup. */
  rate: number;
  /** What the price is multiplied by once it changed (1.1: ten percent dearer). */
  factor: number;
  /** The price changes once the offer has been looked up this many times (1: after the first). */
  afterLookups: number;
  seed: number;
}

export type OfferKind = 'flight' | 'hotel';

/** Offers tracked at most (lookups of older ones are forgotten first): bounded memory. */
const MAX_TRACKED = 100_000;

class Market {
  private reprice: Partial<Record<OfferKind, RepriceSettings>> = {};
  /** Lookups by id so far, per offer (only offers chosen for repricing are counted). */
  private readonly lookups = new Map<string, number>();

  configure(kind: OfferKind, settings: RepriceSettings | undefined): void {
    if (settings && settings.rate > 0) this.reprice[kind] = settings;
    else delete this.reprice[kind];
    this.lookups.clear();
  }

  /**
   * The current price of `offerId`, whose generated price is `base`. `lookup` marks a read by id
   * (the details tool). An offer chosen for repricing costs `base × factor` once it has been
   * looked up `afterLookups` times: in the lookups after those, and in every search or booking.
   */
  priceOf(kind: OfferKind, offerId: string, base: Money, options: { lookup?: boolean } = {}): Money {
    const settings = this.reprice[kind];
    if (!settings || !this.chosen(offerId, settings)) return base;
    const before = this.lookups.get(offerId) ?? 0;
    if (options.lookup) this.count(offerId, before + 1);
    return before >= settings.afterLookups
      ? { amount: roundCents(base.amount * settings.factor), currency: base.currency }
      : base;
  }

  private chosen(offerId: string, settings: RepriceSettings): boolean {
    return SeededRandom.from(['reprice', settings.seed, offerId]).chance(settings.rate);
  }

  private count(offerId: string, lookups: number): void {
    if (!this.lookups.has(offerId) && this.lookups.size >= MAX_TRACKED) {
      const oldest = this.lookups.keys().next().value;
      if (oldest !== undefined) this.lookups.delete(oldest);
    }
    this.lookups.set(offerId, lookups);
  }
}

/** The process's market. */
export const market = new Market();
