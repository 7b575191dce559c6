/**
 * Attribute, span and metric names Waypoint emits, in one place. They follow the current
 * OpenTelemetry semantic conventions for GenAI (`gen_ai.provider.name`, not the deprecated
 * `gen_ai.system`), MCP (`mcp.method.name`, `jsonrpc.request.id`) and errors (`error.type`); the
 * GenAI and MCP ones are still "development" in the spec, so @opentelemetry/semantic-conventions
 * only ships them from its incubating entry point. Waypoint's own attributes use `waypoint.*`.
 */

// GenAI spans (https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/)
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const ATTR_GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens';
export const ATTR_GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature';
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
export const ATTR_GEN_AI_AGENT_ID = 'gen_ai.agent.id';
export const ATTR_GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id';
export const ATTR_GEN_AI_AGENT_DESCRIPTION = 'gen_ai.agent.description';
export const ATTR_GEN_AI_AGENT_VERSION = 'gen_ai.agent.version';
export const ATTR_GEN_AI_OUTPUT_TYPE = 'gen_ai.output.type';
export const ATTR_GEN_AI_WORKFLOW_NAME = 'gen_ai.workflow.name';
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const ATTR_GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
export const ATTR_GEN_AI_TOOL_TYPE = 'gen_ai.tool.type';
export const ATTR_GEN_AI_TOKEN_TYPE = 'gen_ai.token.type';
/** Content attributes: recorded only when content capture is on (see `captureMessageContent`). */
export const ATTR_GEN_AI_SYSTEM_INSTRUCTIONS = 'gen_ai.system_instructions';
export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';
export const ATTR_GEN_AI_TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments';
export const ATTR_GEN_AI_TOOL_CALL_RESULT = 'gen_ai.tool.call.result';

/** `gen_ai.operation.name` values Waypoint uses. */
export const GEN_AI_OPERATION = {
  chat: 'chat',
  invokeAgent: 'invoke_agent',
  invokeWorkflow: 'invoke_workflow',
  executeTool: 'execute_tool',
} as const;

// MCP (https://opentelemetry.io/docs/specs/semconv/gen-ai/mcp/) and JSON-RPC
export const ATTR_MCP_METHOD_NAME = 'mcp.method.name';
export const ATTR_MCP_SESSION_ID = 'mcp.session.id';
export const ATTR_MCP_PROTOCOL_VERSION = 'mcp.protocol.version';
export const ATTR_JSONRPC_REQUEST_ID = 'jsonrpc.request.id';
export const ATTR_RPC_JSONRPC_ERROR_CODE = 'rpc.jsonrpc.error_code';

// General
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
export const ATTR_NETWORK_TRANSPORT = 'network.transport';
export const ATTR_SERVICE_NAME = 'service.name';
export const ATTR_SERVICE_VERSION = 'service.version';
export const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';
export const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id';
/** The caller, pseudonymous: a hash of its id, never the id itself. */
export const ATTR_ENDUSER_PSEUDO_ID = 'enduser.pseudo.id';

// Waypoint
/** The run (orchestration instance id) a span belongs to; the local trace store indexes it. */
export const ATTR_WAYPOINT_RUN_ID = 'waypoint.run.id';
export const ATTR_WAYPOINT_AGENT = 'waypoint.agent';
export const ATTR_WAYPOINT_TOOL_SERVER = 'waypoint.tool.server';
/** A tool error's own code (e.g. `unknown_place`); `error.type` is `tool_error`, as the MCP conventions say. */
export const ATTR_WAYPOINT_TOOL_ERROR_CODE = 'waypoint.tool.error_code';
export const ATTR_WAYPOINT_IDEMPOTENCY_KEY = 'waypoint.idempotency_key';
/** True when a side-effecting call returned the stored result of an earlier call instead of calling. */
export const ATTR_WAYPOINT_IDEMPOTENT_REPLAY = 'waypoint.idempotent_replay';
export const ATTR_WAYPOINT_RETRY_ATTEMPT = 'waypoint.retry.attempt';
export const ATTR_WAYPOINT_RETRY_KIND = 'waypoint.retry.kind';
export const ATTR_WAYPOINT_RETRY_NAME = 'waypoint.retry.name';
export const ATTR_WAYPOINT_RUN_STATUS = 'waypoint.run.status';
export const ATTR_WAYPOINT_BUDGET_NAME = 'waypoint.budget.name';
export const ATTR_WAYPOINT_COST_KIND = 'waypoint.cost.kind';
export const ATTR_WAYPOINT_CURRENCY = 'waypoint.currency';
/** Money a step cost (model calls: from the price table), in US dollars. */
export const ATTR_WAYPOINT_COST_USD = 'waypoint.cost.usd';

/** Span event names. */
export const EVENT_RETRY = 'waypoint.retry';

/** Metric names: the GenAI and MCP conventions' where they exist, `waypoint.*` otherwise. */
export const METRIC = {
  tokenUsage: 'gen_ai.client.token.usage',
  operationDuration: 'gen_ai.client.operation.duration',
  mcpClientOperationDuration: 'mcp.client.operation.duration',
  mcpServerOperationDuration: 'mcp.server.operation.duration',
  runsStarted: 'waypoint.runs.started',
  runsCompleted: 'waypoint.runs.completed',
  runDuration: 'waypoint.run.duration',
  runSteps: 'waypoint.run.steps',
  cost: 'waypoint.cost',
  toolErrors: 'waypoint.tool.errors',
  retries: 'waypoint.retries',
  budgetBreaches: 'waypoint.budget.breaches',
  idempotentReplays: 'waypoint.tool.idempotent_replays',
} as const;
