// Tests assert on behaviour, not on log lines: keep in-process logs to warnings and errors.
// (Child processes keep their own level; set TEST_LOG_LEVEL=debug to see everything.)
import { configureLogging } from '../../src/telemetry/logger';

configureLogging({ level: process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'warn' });
