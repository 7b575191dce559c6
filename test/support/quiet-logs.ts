// Tests assert on behaviour, not on log lines: keep in-process logs to warnings and errors.
// (Child processes keep their own level; set TEST_LOG_LEVEL=debug to see everything.)
import { configureLogging } from '../../src/telemetry/logger';

configureLogging({ level: process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'warn' });

// An app loaded in-process would otherwise keep its spans in the repo's .data/traces.sqlite (the
// local host's default). A test that wants a file names its own: startAppHost puts one in its temp
// folder, and a value set here or later in a test file wins. An empty value counts as unset, as
// the telemetry settings read it.
if (!process.env.WAYPOINT_TRACE_STORE) process.env.WAYPOINT_TRACE_STORE = ':memory:';
