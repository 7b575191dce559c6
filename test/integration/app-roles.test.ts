/**
 * One package, two function apps: the compiled app (dist/) is loaded with the local host's own
 * loader under each WAYPOINT_APP_ROLE, each in a fresh process (an app registers once per
 * process), and the functions each role registers are compared. The MCP app registers only the
 * tool servers and no Durable binding at all (so with an extension bundle the Functions host does
 * not even load the Durable extension there: ScriptStartupTypeLocator loads an extension only for
 * binding types the functions use); the agents app registers everything else, and every Durable
 * trigger the scale controller will see is in the agents app.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/local-host';
import { scaleControllerTrigger } from '../unit/infra/scale-controller';

interface ListedFunction {
  name: string;
  kind: string;
  bindings: string[];
}

/** Loads dist/ in a child process with the role's settings and lists what it registered. */
function functionsOf(role: string | undefined, extra: Record<string, string> = {}): ListedFunction[] {
  const script = `
    const { loadFunctionApp } = require(${JSON.stringify(join(repoRoot, 'dist/src/local-host/app-loader.js'))});
    const app = loadFunctionApp(${JSON.stringify(repoRoot)});
    const list = [...app.functions.values()].map((fn) => ({
      name: fn.name,
      kind: fn.kind,
      bindings: Object.values(fn.metadata.bindings).map((binding) => binding.type).sort(),
    }));
    process.stdout.write(JSON.stringify(list));`;
  const result = spawnSync(process.execPath, ['-e', script], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env.PATH ?? '',
      OTEL_SDK_DISABLED: 'true',
      LOG_LEVEL: 'error',
      MCP_SERVER_KEY: 'role-test-key-0123456789abcdef',
      ...(role === undefined ? {} : { WAYPOINT_APP_ROLE: role }),
      ...extra,
    },
  });
  if (result.status !== 0) throw new Error(`loading the app as ${role} failed:\n${result.stderr}`);
  return (JSON.parse(result.stdout) as ListedFunction[]).sort((a, b) => a.name.localeCompare(b.name));
}

const MCP_APP = { MCP_BASE_URL: 'https://func-mcp.example.net/api/mcp' };
const names = (list: ListedFunction[]): string[] => list.map((fn) => fn.name);
const durableBindings = new Set([
  'orchestrationTrigger',
  'activityTrigger',
  'entityTrigger',
  'durableClient',
]);

describe('WAYPOINT_APP_ROLE', () => {
  let all: ListedFunction[];
  let agents: ListedFunction[];
  let mcp: ListedFunction[];

  beforeAll(() => {
    all = functionsOf(undefined);
    agents = functionsOf('agents', MCP_APP);
    mcp = functionsOf('mcp');
  }, 180_000);

  it('mcp registers the tool servers and nothing else', () => {
    expect(mcp).toEqual([{ name: 'mcp', kind: 'http', bindings: ['http', 'httpTrigger'] }]);
  });

  it('agents registers the trips API, the web UI and the Durable functions, and no tool server', () => {
    expect(names(agents)).not.toContain('mcp');
    expect(names(agents)).toEqual(
      expect.arrayContaining([
        ...[
          'tripsStart',
          'tripsGet',
          'tripsList',
          'tripsInput',
          'tripsApproval',
          'tripsCancel',
          'tripsTrace',
        ],
        ...['webUiPage', 'webUiAsset'],
        ...['tripPlanner', 'agentLoop', 'agentTurn', 'callTool', 'readTrip'],
      ]),
    );
  });

  it('the default (the local host, func start) registers both, and nothing either app lacks', () => {
    expect(names(all)).toEqual([...names(agents), ...names(mcp)].sort((a, b) => a.localeCompare(b)));
    expect(names(agents).filter((name) => names(mcp).includes(name))).toEqual([]);
  });

  it('only the agents app has Durable bindings, so only it needs a task hub and a scheduler role', () => {
    expect(mcp.flatMap((fn) => fn.bindings).filter((type) => durableBindings.has(type))).toEqual([]);
    const durable = agents.filter((fn) => fn.bindings.some((type) => durableBindings.has(type)));
    expect(durable.length).toBeGreaterThan(5);
  });

  it("every Durable trigger is the agents app's, and the scale controller sees each on the scheduler", () => {
    const hostJson: unknown = JSON.parse(readFileSync(join(repoRoot, 'host.json'), 'utf8'));
    const triggers = agents.flatMap((fn) =>
      fn.bindings
        .filter((type) => type.endsWith('Trigger') && durableBindings.has(type))
        .map((type) => scaleControllerTrigger(hostJson, fn.name, type)),
    );
    expect(triggers.length).toBeGreaterThan(3);
    for (const trigger of triggers) {
      expect(trigger).toMatchObject({
        taskHubName: '%TASKHUB_NAME%',
        connection: 'DURABLE_TASK_SCHEDULER_CONNECTION_STRING',
        storageProvider: { type: 'azureManaged' },
      });
    }
  });

  it("refuses the agents role without the MCP app's address, and an unknown role, naming the setting", () => {
    expect(() => functionsOf('agents')).toThrow(
      /WAYPOINT_APP_ROLE: agents serves no tool servers; set MCP_BASE_URL/,
    );
    expect(() => functionsOf('everything')).toThrow(/WAYPOINT_APP_ROLE: must be one of all, agents, mcp/);
    // An app setting App Service could not resolve stops the app as it loads.
    const reference = '@Microsoft.KeyVault(SecretUri=https://kv-x.vault.azure.net/secrets/mcp-server-key/1)';
    expect(() => functionsOf('mcp', { MCP_SERVER_KEY: reference })).toThrow(
      /Invalid setting MCP_SERVER_KEY: an unresolved Key Vault reference/,
    );
    // Three cold app loads in child processes: slow on a busy machine.
  }, 120_000);
});
