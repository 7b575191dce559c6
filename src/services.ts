/**
 * Process-wide clients the functions share: created on first use, once per worker process, so a
 * cold start pays only for what it touches and every invocation reuses the same connections.
 */
import { appConfig } from './config';
import { createStores, type Stores } from './stores';

let stores: Promise<Stores> | undefined;

/** The idempotency and bookings stores; a failed open is forgotten so the next call retries. */
export function sharedStores(): Promise<Stores> {
  stores ??= createStores(appConfig().stores).catch((error: unknown) => {
    stores = undefined;
    throw error;
  });
  return stores;
}
