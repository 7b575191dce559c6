/**
 * Side-effect module: sets telemetry up from the environment. src/index.ts imports it before
 * anything else, so the tracer, meter and context manager exist before other modules load (a
 * module that caches a tracer or meter at load time would otherwise keep a no-op one, and the
 * Application Insights distro replaces the global providers when it starts).
 */
import { initTelemetry } from './setup';

initTelemetry();
