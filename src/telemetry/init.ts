/**
 * Side-effect module: sets telemetry up from the environment. src/index.ts imports it before
 * anything else, so the tracer, meter and context manager exist before other modules load (a
 * module that caches a tracer or meter at load time would otherwise keep a no-op one, and the
 * Application Insights distro replaces the global providers when it starts).
 */
import { initTelemetry, shutdownTelemetry } from './setup';

initTelemetry();

// Flush what is still batched when the process runs out of work. Hosts that stop on a signal
// (the local host, a test) call shutdownTelemetry() themselves: listening for signals here would
// change how they exit.
process.once('beforeExit', () => {
  void shutdownTelemetry();
});
