/**
 * Registers the agent system: the generic runtime (agentTurn, callTool, agentLoop) wired to this
 * process's model, tool client and stores, and the travel application on top of it (the
 * tripPlanner orchestration and its readTrip activity).
 */
import * as df from 'durable-functions';
import { ToolCatalog } from '../agents/activities/tool-catalog';
import { TranscriptJournal } from '../agents/activities/transcript-journal';
import { registerAgentRuntime } from '../agents/register';
import { appConfig } from '../config';
import { modelPricer } from '../models';
import { modelProvider, sharedStores, sharedToolClient } from '../services';
import { createLogger } from '../telemetry/logger';
import { TRAVEL_AGENTS } from '../travel/agents';
import { READ_TRIP, readTrip } from '../travel/read-trip';
import { tripPlanner } from '../travel/trip/orchestration';
import { TRIP_ORCHESTRATION } from '../travel/schemas';

const config = appConfig();
let catalog: ToolCatalog | undefined;

registerAgentRuntime({
  agents: TRAVEL_AGENTS,
  model: modelProvider,
  tools: sharedToolClient,
  journal: async () => new TranscriptJournal((await sharedStores()).idempotency),
  catalog: () => (catalog ??= ToolCatalog.fromSettings(config.tools)),
  price: modelPricer(config.models),
  maxAnswerBytes: config.models.maxAnswerBytes,
  logger: createLogger('agents'),
});

df.app.orchestration(TRIP_ORCHESTRATION, tripPlanner);
df.app.activity(READ_TRIP, { handler: (input: unknown) => readTrip(input) });
