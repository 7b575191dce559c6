/**
 * Answers to a run's questions, tied to the round they answer. A run asks for missing facts in
 * numbered rounds (`needsInput.round`); `POST /api/trips/{id}/input?round=N` answers round N. The
 * event the run receives carries the round, and the run drops an answer for any round but the one
 * it is asking, so a retried or repeated answer is never taken for the next question. Without
 * `?round`, an answer is for the round the run asks now. Pure: no I/O.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../../domain/canonical-json';
import type { TripInputBody } from '../schemas';
import { ApiError } from './errors';
import type { RunResource } from './run-resource';

/** `?round=N`: a whole number from 1; absent means "the round the run asks now". */
export const inputRoundQuerySchema = z
  .string()
  .regex(/^[1-9]\d{0,5}$/, 'a whole number from 1')
  .transform(Number)
  .optional();

/** The `input` event's payload: the answer and the round it answers. */
export interface InputEvent {
  round: number;
  fields: TripInputBody;
}

export function inputEvent(round: number, fields: TripInputBody): InputEvent {
  return { round, fields };
}

/**
 * The round an answer is for: `requested` if given, else the one the run asks now. Refuses (409)
 * when the run asks nothing, or asks another round (an earlier one was answered already; a later
 * one was never asked).
 */
export function roundToAnswer(resource: RunResource, requested: number | undefined): number {
  const asked = resource.status === 'needs_input' ? resource.needsInput?.round : undefined;
  if (asked === undefined) {
    throw new ApiError(409, 'not_waiting_for_input', `The run is ${resource.status}, not waiting for input.`);
  }
  if (requested === undefined || requested === asked) return asked;
  if (requested < asked) {
    throw new ApiError(
      409,
      'round_already_answered',
      `Question round ${requested} was answered already; the run now asks round ${asked}.`,
    );
  }
  throw new ApiError(
    409,
    'round_not_asked',
    `The run asks round ${asked}; round ${requested} was never asked.`,
  );
}

/**
 * The record key of an `Idempotency-Key` on a run's input: per run and caller, so the same key
 * on another run or from another caller is another request. Keyed by purpose, like run ids.
 */
export function inputReplayKey(runId: string, owner: string, key: string): string {
  const digest = createHash('sha256')
    .update(`waypoint/trip-input:${JSON.stringify([runId, owner, key])}`, 'utf8')
    .digest('hex');
  return `trip-input:${digest}`;
}

/**
 * The request as the client sent it (the `?round` it named, or none, and the fields), hashed: an
 * honest repeat matches, the same key with another answer does not.
 */
export function inputRequestHash(requestedRound: number | undefined, fields: TripInputBody): string {
  return createHash('sha256')
    .update(canonicalJson({ round: requestedRound ?? null, fields }), 'utf8')
    .digest('hex');
}
