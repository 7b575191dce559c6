import type { Container, CosmosClient, SqlParameter } from '@azure/cosmos';
import { IdempotencyConflictError, TransientError } from '../../domain/errors';
import { checkedLimit } from '../list-limit';
import type { Booking, BookingKind, BookingsStore, CreateBookingResult } from '../types';
import { ensureContainer } from './containers';
import { documentIdFor } from './document-ids';
import { isConflict, isNotFound, isPreconditionFailed, withCosmosErrors } from './errors';

interface BookingDocument extends Booking {
  /** Derived from the idempotency key, so the key itself is the uniqueness constraint. */
  id: string;
  _etag?: string;
}

const MAX_ROUNDS = 8;

/**
 * Bookings in Cosmos DB (Azure). The document id is derived from the booking's idempotency key, so
 * `items.create` is the pre-write check and the write in one atomic step: of any number of concurrent
 * creators with one key exactly one gets 201, the rest get 409 and read the winner's booking.
 * Lookups by `bookingId` are queries (indexed by default); booking ids are random UUIDs.
 */
export class CosmosBookingsStore implements BookingsStore {
  private readonly container: Container;

  constructor(container: Container) {
    this.container = container;
  }

  /** Creates the database and container when missing and returns a store on them. */
  static async create(
    client: CosmosClient,
    location: { databaseId: string; containerId: string },
  ): Promise<CosmosBookingsStore> {
    return new CosmosBookingsStore(await ensureContainer(client, location.databaseId, location.containerId));
  }

  async createOnce(booking: Booking): Promise<CreateBookingResult> {
    const id = documentIdFor('', booking.idempotencyKey);
    return withCosmosErrors('createOnce', async () => {
      try {
        const document: BookingDocument = { ...booking, id };
        const { resource } = await this.container.items.create<BookingDocument>(document);
        return { created: true, booking: toBooking(resource ?? document) };
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
      const { resource: existing } = await this.container.item(id, id).read<BookingDocument>();
      // Bookings are never deleted, so a 409 always leaves a document to read.
      if (!existing)
        throw new TransientError(`Booking for key "${booking.idempotencyKey}" is not readable yet.`);
      assertSameKey(existing, booking.idempotencyKey);
      if (existing.requestHash !== booking.requestHash)
        throw new IdempotencyConflictError(booking.idempotencyKey);
      return { created: false, booking: toBooking(existing) };
    });
  }

  async get(bookingId: string): Promise<Booking | undefined> {
    const document = await withCosmosErrors('get', () => this.findDocument(bookingId));
    return document && toBooking(document);
  }

  async findByIdempotencyKey(key: string): Promise<Booking | undefined> {
    const id = documentIdFor('', key);
    const { resource } = await withCosmosErrors('findByIdempotencyKey', () =>
      this.container.item(id, id).read<BookingDocument>(),
    );
    // A hashed id shared with another key (a SHA-256 collision) is not this key's booking.
    return resource && resource.idempotencyKey === key ? toBooking(resource) : undefined;
  }

  async cancel(bookingId: string, at: string): Promise<Booking | undefined> {
    return withCosmosErrors('cancel', async () => {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const current = await this.findDocument(bookingId);
        if (!current) return undefined;
        // Repeating a cancellation keeps the first cancellation time.
        if (current.status === 'cancelled') return toBooking(current);
        const next: BookingDocument = {
          ...toBooking(current),
          id: current.id,
          status: 'cancelled',
          cancelledAt: at,
        };
        try {
          const { resource } = await this.container
            .item(current.id, current.id)
            .replace<BookingDocument>(next, {
              accessCondition: { type: 'IfMatch', condition: current._etag! },
            });
          return toBooking(resource ?? next);
        } catch (error) {
          if (!isPreconditionFailed(error) && !isNotFound(error)) throw error;
        }
      }
      throw new TransientError(`Booking "${bookingId}" is under heavy contention; retry the cancellation.`);
    });
  }

  /** Newest first. */
  async list(
    filter: { kind?: BookingKind; status?: Booking['status']; limit?: number } = {},
  ): Promise<Booking[]> {
    const conditions: string[] = [];
    const parameters: SqlParameter[] = [];
    if (filter.kind !== undefined) {
      conditions.push('c.kind = @kind');
      parameters.push({ name: '@kind', value: filter.kind });
    }
    if (filter.status !== undefined) {
      conditions.push('c.status = @status');
      parameters.push({ name: '@status', value: filter.status });
    }
    const top = filter.limit === undefined ? '' : `TOP ${checkedLimit(filter.limit)} `;
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')} `;
    const { resources } = await withCosmosErrors('list', () =>
      this.container.items
        .query<BookingDocument>({
          query: `SELECT ${top}* FROM c ${where}ORDER BY c.createdAt DESC`,
          parameters,
        })
        .fetchAll(),
    );
    return resources.map(toBooking);
  }

  async count(): Promise<number> {
    const { resources } = await withCosmosErrors('count', () =>
      this.container.items.query<number>('SELECT VALUE COUNT(1) FROM c').fetchAll(),
    );
    return resources[0] ?? 0;
  }

  private async findDocument(bookingId: string): Promise<BookingDocument | undefined> {
    const { resources } = await this.container.items
      .query<BookingDocument>({
        query: 'SELECT * FROM c WHERE c.bookingId = @bookingId',
        parameters: [{ name: '@bookingId', value: bookingId }],
      })
      .fetchAll();
    return resources[0];
  }
}

/**
 * A hashed document id (see documentIdFor) is shared by two keys only if SHA-256 collides; should
 * it ever happen, the second key must fail rather than be answered with the first key's booking.
 */
function assertSameKey(existing: Booking, key: string): void {
  if (existing.idempotencyKey !== key) {
    throw new IdempotencyConflictError(
      key,
      `Idempotency key "${key}" maps to the same document as key "${existing.idempotencyKey}".`,
    );
  }
}

function toBooking(document: Booking): Booking {
  return {
    bookingId: document.bookingId,
    kind: document.kind,
    status: document.status,
    idempotencyKey: document.idempotencyKey,
    requestHash: document.requestHash,
    details: document.details,
    total: { amount: document.total.amount, currency: document.total.currency },
    createdAt: document.createdAt,
    ...(document.cancelledAt === undefined ? {} : { cancelledAt: document.cancelledAt }),
  };
}
