// azd preprovision hook: makes the MCP tool servers' shared key once per azd environment.
// The key lives in the environment (.azure/<env>/.env, never committed) so every later
// `azd provision` passes the same value; Bicep stores it in Key Vault and the apps read it through
// Key Vault references. Rotate it with `azd env set MCP_SERVER_KEY "$(openssl rand -base64 32)"`.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** The app refuses shorter keys (src/mcp-servers/settings.ts). */
const MIN_KEY_LENGTH = 16;

const current = process.env.MCP_SERVER_KEY ?? '';
if (current.length >= MIN_KEY_LENGTH) {
  process.stdout.write('MCP_SERVER_KEY is set for this environment; keeping it.\n');
} else {
  if (current !== '')
    process.stdout.write(`MCP_SERVER_KEY is shorter than ${MIN_KEY_LENGTH} characters; replacing it.\n`);
  const key = randomBytes(32).toString('base64url');
  try {
    execFileSync('azd', ['env', 'set', 'MCP_SERVER_KEY', key], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (error) {
    process.stderr.write(
      `Could not store MCP_SERVER_KEY in the azd environment: ${/** @type {Error} */ (error).message}\n`,
    );
    process.exit(1);
  }
  process.stdout.write('Generated MCP_SERVER_KEY for this environment (32 random bytes).\n');
}
