/**
 * Application Insights tests with the real `useAzureMonitor`, which also calls the cloud metadata
 * address: the test file starts itself again in a network namespace with only loopback
 * (`unshare -n`, as root, as here and in CI), and the inner run does the work against a local
 * HTTPS ingestion endpoint whose certificate the outer run makes and the inner one trusts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCaptureServer, type CaptureServer } from './capture-server';

/** True in the inner run, inside the namespace. */
export const IN_LOOPBACK_NAMESPACE = process.env.WAYPOINT_TEST_NETNS === '1';

/**
 * Registers, for the outer run, the test that runs `file` again inside the namespace and expects
 * its one test to pass; skipped where `unshare -n` is unavailable.
 */
export function runAgainInLoopbackNamespace(title: string, file: string, timeoutMs: number): void {
  describe.runIf(!IN_LOOPBACK_NAMESPACE)(title, () => {
    it(
      'runs in a network namespace with only loopback',
      async (ctx) => {
        const probe = spawnSync('unshare', ['-n', 'true']);
        if (probe.error || probe.status !== 0) {
          ctx.skip(
            `unshare -n is unavailable here (${probe.error?.message ?? probe.stderr.toString().trim()}): it needs root or user namespaces`,
          );
        }
        const dir = mkdtempSync(join(tmpdir(), 'waypoint-ai-'));
        try {
          const { key, cert } = selfSignedCertificate(dir);
          const output = await vitestInNamespace(file, {
            WAYPOINT_TEST_NETNS: '1',
            WAYPOINT_TEST_TLS_KEY: key,
            WAYPOINT_TEST_TLS_CERT: cert,
            // Trust the test's certificate: the exporter insists on https.
            NODE_EXTRA_CA_CERTS: cert,
            APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
            APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true',
          });
          expect(output).toMatch(/1 passed/);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
      timeoutMs,
    );
  });
}

/** A key and certificate for 127.0.0.1, valid a day, written to `dir`. */
function selfSignedCertificate(dir: string): { key: string; cert: string } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const openssl = spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  expect(openssl.status, openssl.stderr.toString()).toBe(0);
  return { key, cert };
}

/** Runs `vitest run file` under `unshare -n` with loopback up; expects exit 0, returns its output. */
async function vitestInNamespace(file: string, env: Record<string, string>): Promise<string> {
  const vitest = join(process.cwd(), 'node_modules', 'vitest', 'vitest.mjs');
  const child = spawn(
    'unshare',
    ['-n', '--', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, vitest, 'run', file],
    { cwd: process.cwd(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code, output.slice(-8000)).toBe(0);
  return output;
}

/**
 * Inside the namespace: the local ingestion endpoint (HTTPS with the outer run's certificate,
 * accepting every item) and the connection string that points the exporter at it.
 */
export async function startIngestionEndpoint(): Promise<{
  ingestion: CaptureServer;
  connectionString: string;
}> {
  const ingestion = await startCaptureServer({
    tls: {
      key: readFileSync(process.env.WAYPOINT_TEST_TLS_KEY!, 'utf8'),
      cert: readFileSync(process.env.WAYPOINT_TEST_TLS_CERT!, 'utf8'),
    },
    answer: (request) => {
      if (!request.path.startsWith('/v2.1/track')) return {};
      const items = (JSON.parse(request.body.toString()) as unknown[]).length;
      return { itemsReceived: items, itemsAccepted: items, errors: [] };
    },
  });
  const connectionString = `InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=${ingestion.origin}/;LiveEndpoint=${ingestion.origin}/`;
  return { ingestion, connectionString };
}
