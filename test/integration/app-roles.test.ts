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

/**
 * Loads dist/ in a child process with the role's settings and lists what it registered, and the
 * installed packages (folders under node_modules) it loaded doing so.
 */
function loadAs(
  role: string | undefined,
  extra: Record<string, string> = {},
): { functions: ListedFunction[]; packages: string[] } {
  const script = `
    const { loadFunctionApp } = require(${JSON.stringify(join(repoRoot, 'dist/src/local-host/app-loader.js'))});
    const app = loadFunctionApp(${JSON.stringify(repoRoot)});
    const functions = [...app.functions.values()].map((fn) => ({
      name: fn.name,
      kind: fn.kind,
      bindings: Object.values(fn.metadata.bindings).map((binding) => binding.type).sort(),
    }));
    const packages = [...new Set(Object.keys(require.cache)
      .map((file) => /^(.*[/]node_modules[/](?:@[^/]+[/])?[^/]+)[/]/.exec(file)?.[1])
      .filter(Boolean))];
    process.stdout.write(JSON.stringify({ functions, packages }));`;
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
  const loaded = JSON.parse(result.stdout) as { functions: ListedFunction[]; packages: string[] };
  loaded.functions.sort((a, b) => a.name.localeCompare(b.name));
  return loaded;
}

const functionsOf = (role: string | undefined, extra: Record<string, string> = {}): ListedFunction[] =>
  loadAs(role, extra).functions;

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

  it('agents registers the trips API, the web UI, health and the Durable functions, and no tool server', () => {
    // The full list, so a new function has to be given to a role on purpose (src/app-role.ts).
    const http = ['http', 'httpTrigger'];
    const client = ['durableClient', 'http', 'httpTrigger'];
    expect(agents).toEqual([
      { name: 'agentLoop', kind: 'orchestration', bindings: ['orchestrationTrigger'] },
      { name: 'agentTurn', kind: 'activity', bindings: ['activityTrigger'] },
      { name: 'callTool', kind: 'activity', bindings: ['activityTrigger'] },
      { name: 'health', kind: 'http', bindings: http },
      { name: 'readTrip', kind: 'activity', bindings: ['activityTrigger'] },
      { name: 'tripPlanner', kind: 'orchestration', bindings: ['orchestrationTrigger'] },
      { name: 'tripsApproval', kind: 'http', bindings: client },
      { name: 'tripsCancel', kind: 'http', bindings: client },
      { name: 'tripsGet', kind: 'http', bindings: client },
      { name: 'tripsInput', kind: 'http', bindings: client },
      { name: 'tripsList', kind: 'http', bindings: client },
      { name: 'tripsStart', kind: 'http', bindings: client },
      { name: 'tripsTrace', kind: 'http', bindings: client },
      { name: 'webUiAsset', kind: 'http', bindings: http },
      { name: 'webUiPage', kind: 'http', bindings: http },
    ]);
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

  it('each role loads with production dependencies only, as the pruned package in Azure has them', () => {
    // The remote build prunes devDependencies (npm run build:azure): every package an app loads
    // must be in the production tree npm keeps.
    const listed = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const production = new Set(listed.stdout.split('\n').filter(Boolean));
    // debug requires supports-color (and it has-flag) inside a try, as an optional extra: without
    // them, as after the prune, it logs without colours.
    for (const optional of ['supports-color', 'has-flag'])
      production.add(join(repoRoot, 'node_modules', optional));
    expect(production.size).toBeGreaterThan(50);
    for (const role of ['agents', 'mcp']) {
      const { packages } = loadAs(role, role === 'agents' ? MCP_APP : {});
      expect(packages.length).toBeGreaterThan(10);
      expect(packages.filter((folder) => !production.has(folder))).toEqual([]);
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
