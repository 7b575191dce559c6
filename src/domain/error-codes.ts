/**
 * Every error code Waypoint answers with, in one place: what it means, the HTTP status of the
 * answer that carries it and whether trying again may help. docs/api.md lists the same table
 * (test/unit/domain/error-codes.test.ts keeps the two in step, and checks that every code the
 * source produces is listed here).
 *
 * Three families:
 * - API codes: the body of a refused or failed HTTP request, `{error: {code, message}}`.
 * - Run codes: a run that ended without its result carries `error: {code, message, details?}` in
 *   its run resource, read with GET (HTTP 200); the run's status is `failed`, `budget_exceeded`
 *   or `cancelled`. An agent's own failure code (a run code too) becomes the run's when the run
 *   cannot go on without that agent.
 * - Tool codes: why a tool call failed for good (returned to the agent, never thrown), and the
 *   tool servers' own codes inside such a failure.
 */

export interface ErrorCodeInfo {
  /** When it is given, in words a caller can act on. */
  readonly meaning: string;
  /** The HTTP status of the answer that carries the code. */
  readonly status: number;
  /** True when the same request may succeed later unchanged. */
  readonly retryable: boolean;
}

const api = (status: number, meaning: string, retryable = false): ErrorCodeInfo => ({
  status,
  meaning,
  retryable,
});

/**
 * The refusals and failures of the trips API, the Durable samples' API and the support desk's, and
 * of the local host's front door before them (which answers as the Functions host does). The
 * Durable management API the local host also serves has its own.
 */
export const API_ERROR_CODES = {
  bad_request: api(400, 'the request target is malformed (local host front door)'),
  validation_failed: api(400, 'a body, query or `Idempotency-Key` fails its schema'),
  invalid_json: api(400, 'the body is not JSON (or not UTF-8)'),
  invalid_input: api(400, 'a Durable sample’s input or event fails its schema'),
  invalid_request: api(400, 'a support desk ticket fails its schema'),
  invalid_id: api(400, 'the id in the path is not a ticket id (support desk)'),
  unauthenticated: api(401, 'no acceptable caller'),
  unauthorized: api(401, 'a function or management route without its key (local host, as Azure Functions)'),
  forbidden_origin: api(403, 'a POST from a page of another site (its `Origin`)'),
  forbidden_host: api(403, 'a `Host` header the local host does not serve (DNS rebinding)'),
  not_found: api(404, 'no such run, or another caller’s run: the same answer'),
  trace_not_found: api(404, 'no spans are stored for the run (yet, or any more)'),
  unknown_orchestrator: api(404, 'no startable Durable sample by that name'),
  unknown_event: api(404, 'the Durable sample takes no event by that name'),
  trace_unavailable: api(404, 'this host keeps no trace store (`WAYPOINT_TRACE_STORE`)'),
  method_not_allowed: api(405, 'the route exists, the method does not (`Allow` lists the methods)'),
  not_waiting_for_input: api(409, 'the run is not asking for input'),
  round_not_asked: api(409, 'the input names a round the run has not asked (yet)'),
  round_already_answered: api(409, 'the input names a round that was already answered'),
  not_awaiting_approval: api(409, 'the run is not awaiting approval'),
  quote_changed: api(409, 'the approval names a quote that is not the current one'),
  already_final: api(409, 'the run has already ended'),
  event_not_delivered: api(409, 'the Durable sample instance did not take the event'),
  request_in_progress: api(409, 'the same idempotent request is still being started', true),
  payload_too_large: api(413, 'the body is over 64 KiB'),
  unsupported_media_type: api(415, 'a POST without `Content-Type: application/json`'),
  idempotency_key_reused: api(422, 'the `Idempotency-Key` was used for a different request'),
  too_many_runs: api(429, 'the caller has the most unfinished runs one caller may have', true),
  too_busy: api(429, 'the orchestration backend is at capacity (`Retry-After`)', true),
  internal_error: api(500, 'a server fault (logged with the details)', true),
  unavailable: api(503, 'a store or the orchestration backend is busy (`Retry-After`)', true),
  start_failed: api(503, 'a Durable sample could not be started', true),
  too_many_connections: api(503, 'the local host is at its connection cap (`Retry-After`)', true),
  shutting_down: api(503, 'the local host is stopping (`Retry-After`)', true),
} as const satisfies Record<string, ErrorCodeInfo>;
export type ApiErrorCode = keyof typeof API_ERROR_CODES;

const run = (meaning: string, retryable = false): ErrorCodeInfo => ({ status: 200, meaning, retryable });

/** Why a run (or one agent in it) ended without its result. */
export const RUN_ERROR_CODES = {
  // The generic agent runtime (src/agents).
  budget_exceeded: run(
    'a budget (steps, tokens, wall time, tool calls, money) is used up; `details` says which',
  ),
  invalid_input: run('an activity received input that fails its schema'),
  unknown_agent: run('no agent is registered under the name asked for'),
  invalid_output: run('the agent’s answer failed its schema after every repair turn'),
  invalid_arguments: run('the model’s tool arguments are not valid JSON'),
  max_turns: run('the agent used its turns without a final answer'),
  model_unavailable: run('the model service failed after every retry', true),
  tool_unavailable: run('a tool failed after every retry', true),
  model_error: run('the model service refused the call (credentials, quota, content)'),
  model_busy: run('the model service asked us to wait longer than a call may', true),
  model_timeout: run('the model did not answer within the call’s deadline', true),
  model_usage_invalid: run(
    'the model service reported usage that cannot be trusted; stopped to keep budgets safe',
  ),
  unpriced_model: run('the model has no price (`MODEL_PRICES_JSON`), so its cost cannot be counted'),
  model_bad_response: run('the model service answered with something unreadable', true),
  model_answer_too_large: run('the model’s answer is over the size an activity may return'),
  transcript_lost: run('an earlier turn is no longer in the transcript journal (expired?)'),
  transcript_conflict: run('a turn was recorded for other input: the orchestration is not deterministic'),
  transcript_record_too_large: run('one step of the conversation grew too large to keep'),
  invalid_plan: run('the planner gave no plan that passed its checks'),
  agent_failed: run('an agent failed without saying why'),
  run_failed: run('the run stopped on an unexpected error; its progress so far is kept'),
  invalid_result: run('the run ended without a result that passes its schema'),
  cancelled: run('the run (or a model call) was cancelled; the reason is in the message'),
  // The support desk example (src/examples/support-desk).
  triage_failed: run('the ticket could not be routed'),
  // The travel planner (src/travel).
  routing_failed: run('the request could not be routed'),
  missing_input: run('the facts the run needs were not given after the rounds allowed'),
  input_timeout: run('no answer came before the input (or approval) timeout'),
  no_offers: run('no flight or hotel offer fits the request'),
  offer_mismatch: run('an offer the agents chose is not one the tools returned'),
  price_unstable: run('prices changed again after the re-quote allowed; nothing more was booked', true),
  booking_failed: run('a booking was refused; what was booked before it is listed'),
  compose_failed: run('no itinerary could be written'),
  unavailable: run('a tool the phase needs is unavailable', true),
  unreadable: run('the offline model could not read the exchange'),
} as const satisfies Record<string, ErrorCodeInfo>;
export type RunErrorCode = keyof typeof RUN_ERROR_CODES;

const tool = (meaning: string): ErrorCodeInfo => ({ status: 200, meaning, retryable: false });

/** Why a tool call failed for good: returned to the agent (as the tool's answer), never thrown. */
export const TOOL_FAILURE_CODES = {
  tool_not_allowed: tool('the agent’s allow-list does not include the tool (checked before any I/O)'),
  unknown_server: tool('not `<server>.<tool>`, or no such server configured'),
  unknown_tool: tool('the server has no tool by that name'),
  invalid_arguments: tool('the arguments failed the tool’s input schema'),
  tool_error: tool('the tool ran and reported a failure; `details.toolError` has its code'),
  idempotency_key_required: tool('a write tool was called without the idempotency key it needs'),
  idempotency_conflict: tool('the idempotency key was used before for a different request'),
  unauthorized: tool('the tool server refused the credentials (HTTP 401/403)'),
  http_error: tool('any other HTTP 4xx from the tool server'),
  protocol_error: tool('the server answered with something that is not a valid MCP tool result'),
  result_too_large: tool('the server’s answer was larger than the client’s cap'),
  store_error: tool('the idempotency store failed in a way retrying cannot fix'),
} as const satisfies Record<string, ErrorCodeInfo>;
export type ToolFailureCode = keyof typeof TOOL_FAILURE_CODES;

const server = (meaning: string, retryable = false): ErrorCodeInfo => ({ status: 200, meaning, retryable });

/**
 * The tool servers' own codes (`WaypointError#toJSON` in a tool result's `structuredContent.error`):
 * the client turns a retryable one into a retry and passes the rest on in `details.toolError`.
 */
export const TOOL_SERVER_ERROR_CODES = {
  validation_failed: server('the arguments fail the tool’s own checks'),
  not_found: server('the thing named (a booking, an offer) does not exist'),
  unknown_place: server('no airport or city matches the name given'),
  unknown_offer: server('the offer id does not exist (or is not one this server made)'),
  price_changed: server('the offer’s price is not the one approved; nothing was booked'),
  idempotency_conflict: server('the idempotency key was used for a different request'),
  idempotency_in_progress: server('another call with the same key has not finished', true),
  store_inconsistent: server('the bookings store lost a record it had just written'),
  transient: server('a dependency failed in a way that may pass on retry', true),
  internal_error: server('the tool failed unexpectedly; it is safe to retry', true),
} as const satisfies Record<string, ErrorCodeInfo>;
export type ToolServerErrorCode = keyof typeof TOOL_SERVER_ERROR_CODES;

/** Every HTTP status the trips API can answer with, success first. */
export const API_SUCCESS_STATUSES = [200, 202] as const;

/** The one failure shape: a stable code, a message for people, and optional structured details. */
export interface Failure<Code extends string = string> {
  code: Code;
  message: string;
  details?: unknown;
}

/** A run failure with a catalogued code. */
export function runFailure(code: RunErrorCode, message: string, details?: unknown): Failure<RunErrorCode> {
  return { code, message, ...(details === undefined ? {} : { details }) };
}
