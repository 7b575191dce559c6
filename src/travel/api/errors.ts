/**
 * The trips API's error answers: `{error: {code, message, details?: [{path, issue}]}}` with the
 * HTTP status that goes with each. Never a stack trace: an unexpected fault is logged
 * where it happens and answered with a generic 500.
 */
import type { z } from 'zod';
import type { Issue } from '../../agents/contracts';
import type { ApiErrorCode } from '../../domain/error-codes';
import { WaypointError } from '../../domain/errors';

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { code: ApiErrorCode; message: string; details?: Issue[] };
}

/**
 * A refusal the API answers with `status` (always a 4xx, or 429/503 when the server is busy). Its
 * code is one of the catalogue's API codes (src/domain/error-codes.ts), so a new one is documented.
 */
export class ApiError extends WaypointError {
  declare readonly code: ApiErrorCode;

  constructor(
    readonly status: number,
    code: ApiErrorCode,
    message: string,
    details?: Issue[],
  ) {
    super(code, message, { retryable: status === 503, ...(details ? { details } : {}) });
  }

  body(): ErrorBody {
    const details = this.details as Issue[] | undefined;
    return { error: { code: this.code, message: this.message, ...(details?.length ? { details } : {}) } };
  }
}

/** `validation_failed` (400) with one `{path, issue}` per zod issue; `prefix` names the part checked. */
export function validationFailed(error: z.ZodError, what: string, prefix = ''): ApiError {
  const details = issuesOf(error, prefix);
  return new ApiError(400, 'validation_failed', `The ${what} is not valid: ${summary(details)}`, details);
}

/** zod issues as `{path, issue}`; a root issue gets the prefix (or `$`) as its path. */
export function issuesOf(error: z.ZodError, prefix = ''): Issue[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');
    return { path: path === '' ? '$' : path, issue: issue.message };
  });
}

/** The run is absent, or belongs to another caller: the same answer, so existence is never revealed. */
export function runNotFound(id: string): ApiError {
  // The id comes from the URL: echo a bounded part of it only.
  return new ApiError(404, 'not_found', `No run "${id.slice(0, 80)}" was found.`);
}

function summary(details: Issue[]): string {
  const shown = details.slice(0, 3).map((d) => `${d.path}: ${d.issue}`);
  return shown.join('; ') + (details.length > 3 ? ` (and ${details.length - 3} more)` : '');
}
