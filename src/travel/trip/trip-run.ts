/**
 * What every phase of the trip orchestration shares: the Durable context, the run frame (tracker,
 * status, publishing), the orchestration's input, and what the run has found so far.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type { RunFrame } from '../../agents/run-frame';
import type { DiningPicks, FlightChoice, HotelChoice, WeatherReport } from '../agents';
import type { TripPlannerInput } from '../planner-input';
import type { TripResult, TripStatus } from '../schemas';
import type { FlightOffer, HotelOffer } from './offers';

export type Gen<T> = Generator<Task, T, unknown>;

/**
 * What the specialists found, by part key (`flights`, `hotels:2` …): a flight or hotel choice, a
 * weather report or dining picks. Becomes the partial result when a budget stops the run.
 */
export type Findings = Record<string, unknown>;

export const flightChoiceAt = (findings: Findings, part: string) =>
  findings[part] as FlightChoice | undefined;
export const hotelChoiceAt = (findings: Findings, part: string) => findings[part] as HotelChoice | undefined;
export const weatherAt = (findings: Findings, part: string) => findings[part] as WeatherReport | undefined;
export const diningAt = (findings: Findings, part: string) => findings[part] as DiningPicks | undefined;

/** The chosen offers as their servers state them (looked up by id and checked), by part key. */
export interface VerifiedOffers {
  flights: Record<string, FlightOffer>;
  hotels: Record<string, HotelOffer>;
}

export interface TripRun {
  readonly context: OrchestrationContext;
  readonly frame: RunFrame<TripStatus, TripResult>;
  readonly input: TripPlannerInput;
  readonly findings: Findings;
  /** Questions asked so far (every `input` event names the round it answers). */
  questionRound: number;
}

/** A phase either hands the run on or ends it with its final status. */
export type PhaseOutcome<T> = { done: false; value: T } | { done: true; status: TripStatus };

export const next = <T>(value: T): PhaseOutcome<T> => ({ done: false, value });
export const ended = <T>(status: TripStatus): PhaseOutcome<T> => ({ done: true, status });
