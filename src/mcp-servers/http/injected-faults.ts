/**
 * Plays an injected fault plan (faults.ts) on one tools/call request: a delay, a transient 503
 * with Retry-After, a hang past the client's timeout, or, after the work is done, a lost response.
 */
import type { Logger } from '../../telemetry/logger';
import type { FaultPlan } from './faults';
import { jsonRpcError, parseAnswers, type JsonRpcMessage } from './json-rpc';
import type { McpHttpOutcome } from './mcp-http-handler';

/** The outcome the fault answers with instead of the server, or undefined to let the server answer. */
export async function runFaults(
  plan: FaultPlan,
  signal: AbortSignal,
  logger: Logger,
  serverName: string,
): Promise<McpHttpOutcome | undefined> {
  if (!(await wait(plan.delayMs, signal))) return { kind: 'drop', reason: 'client_gone' };
  if (plan.transientError) {
    logger.info('fault: transient error', { server: serverName });
    return jsonRpcError(503, -32000, 'Service temporarily unavailable (injected fault); retry later.', {
      'retry-after': '1',
    });
  }
  if (plan.hangMs !== undefined) {
    logger.info('fault: hanging past the client timeout', { server: serverName, hangMs: plan.hangMs });
    if (!(await wait(plan.hangMs, signal))) return { kind: 'drop', reason: 'client_gone' };
    return jsonRpcError(504, -32001, 'Request timed out (injected fault); nothing was done.');
  }
  return undefined;
}

/** True when a write tool in this request came back without a tool error, i.e. it committed. */
export function committedWrite(
  requests: JsonRpcMessage[],
  responseBody: string,
  writeTools: ReadonlySet<string>,
): boolean {
  const writeIds = new Set(
    requests
      .filter(
        (m) =>
          m.method === 'tools/call' && typeof m.params?.name === 'string' && writeTools.has(m.params.name),
      )
      .map((m) => m.id),
  );
  if (writeIds.size === 0 || responseBody === '') return false;
  return parseAnswers(responseBody).some(
    (m) => writeIds.has(m.id) && m.result !== undefined && m.result.isError !== true,
  );
}

/** Sleeps, or resolves early with `false` when the caller goes away. */
function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
