import { IdempotencyConflictError, WaypointError } from '../../domain/errors';
import { checkedLimit } from '../list-limit';
import type { Booking, BookingKind, BookingsStore, CreateBookingResult } from '../types';
import { openSqliteDatabase, type SqliteDatabase } from './database';
import { withSqliteErrors } from './errors';

export interface SqliteBookingsStoreOptions {
  /** Whether `close()` closes the database too (true when the store opened it). */
  ownsDatabase?: boolean;
}

interface BookingRow {
  booking_id: string;
  idempotency_key: string;
  request_hash: string;
  kind: BookingKind;
  status: Booking['status'];
  details: string;
  total_amount: number;
  total_currency: string;
  created_at: string;
  cancelled_at: string | null;
}

// The UNIQUE idempotency_key is what makes createOnce atomic: the database, not the caller, decides
// which of several concurrent writers with one key gets to insert.
const schema = `
  CREATE TABLE IF NOT EXISTS bookings (
    booking_id      TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    request_hash    TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('flight', 'hotel')),
    status          TEXT NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
    details         TEXT NOT NULL,
    total_amount    REAL NOT NULL,
    total_currency  TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    cancelled_at    TEXT
  );
  CREATE INDEX IF NOT EXISTS bookings_created_at ON bookings (created_at);
`;

/** The embedded bookings store used by the bookings MCP server locally. */
export class SqliteBookingsStore implements BookingsStore {
  private readonly db: SqliteDatabase;
  private readonly ownsDatabase: boolean;
  private readonly statements;

  constructor(db: SqliteDatabase, options: SqliteBookingsStoreOptions = {}) {
    this.db = db;
    this.ownsDatabase = options.ownsDatabase ?? false;
    db.exec(schema);
    this.statements = {
      // Only the idempotency key may conflict silently; a clashing booking_id still raises.
      insertUnlessKeyUsed: db.prepare<[BookingRow]>(
        `INSERT INTO bookings (booking_id, idempotency_key, request_hash, kind, status, details,
                               total_amount, total_currency, created_at, cancelled_at)
         VALUES (@booking_id, @idempotency_key, @request_hash, @kind, @status, @details,
                 @total_amount, @total_currency, @created_at, @cancelled_at)
         ON CONFLICT (idempotency_key) DO NOTHING`,
      ),
      byId: db.prepare<[string], BookingRow>('SELECT * FROM bookings WHERE booking_id = ?'),
      byKey: db.prepare<[string], BookingRow>('SELECT * FROM bookings WHERE idempotency_key = ?'),
      // The status condition keeps the first cancellation time when cancel is repeated.
      cancel: db.prepare<[string, string]>(
        `UPDATE bookings SET status = 'cancelled', cancelled_at = ? WHERE booking_id = ? AND status = 'confirmed'`,
      ),
      list: db.prepare<{ kind: string | null; status: string | null; limit: number }, BookingRow>(
        `SELECT * FROM bookings
         WHERE (@kind IS NULL OR kind = @kind) AND (@status IS NULL OR status = @status)
         ORDER BY created_at DESC, booking_id
         LIMIT @limit`,
      ),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM bookings'),
    };
  }

  /** Opens (or creates) a database file, or `:memory:`, owned by the returned store. */
  static open(path: string): SqliteBookingsStore {
    return new SqliteBookingsStore(openSqliteDatabase(path), { ownsDatabase: true });
  }

  async createOnce(booking: Booking): Promise<CreateBookingResult> {
    const { inserted, row } = withSqliteErrors('createOnce', () =>
      this.db
        .transaction(() => {
          const { changes } = this.statements.insertUnlessKeyUsed.run(toRow(booking));
          return { inserted: changes === 1, row: this.statements.byKey.get(booking.idempotencyKey) };
        })
        .immediate(),
    );
    if (!row)
      throw new WaypointError('store_inconsistent', `Booking for key "${booking.idempotencyKey}" vanished.`);
    if (inserted) return { created: true, booking: toBooking(row) };
    if (row.request_hash !== booking.requestHash) throw new IdempotencyConflictError(booking.idempotencyKey);
    return { created: false, booking: toBooking(row) };
  }

  async get(bookingId: string): Promise<Booking | undefined> {
    const row = withSqliteErrors('get', () => this.statements.byId.get(bookingId));
    return row && toBooking(row);
  }

  async findByIdempotencyKey(key: string): Promise<Booking | undefined> {
    const row = withSqliteErrors('findByIdempotencyKey', () => this.statements.byKey.get(key));
    return row && toBooking(row);
  }

  async cancel(bookingId: string, at: string): Promise<Booking | undefined> {
    const row = withSqliteErrors('cancel', () =>
      this.db
        .transaction(() => {
          this.statements.cancel.run(at, bookingId);
          return this.statements.byId.get(bookingId);
        })
        .immediate(),
    );
    return row && toBooking(row);
  }

  /** Newest first. */
  async list(
    filter: { kind?: BookingKind; status?: Booking['status']; limit?: number } = {},
  ): Promise<Booking[]> {
    const rows = withSqliteErrors('list', () =>
      this.statements.list.all({
        kind: filter.kind ?? null,
        status: filter.status ?? null,
        limit: filter.limit === undefined ? -1 : checkedLimit(filter.limit),
      }),
    );
    return rows.map(toBooking);
  }

  async count(): Promise<number> {
    const row = withSqliteErrors('count', () => this.statements.count.get());
    return row?.n ?? 0;
  }

  async close(): Promise<void> {
    if (this.ownsDatabase && this.db.open) this.db.close();
  }
}

function toRow(booking: Booking): BookingRow {
  return {
    booking_id: booking.bookingId,
    idempotency_key: booking.idempotencyKey,
    request_hash: booking.requestHash,
    kind: booking.kind,
    status: booking.status,
    details: JSON.stringify(booking.details),
    total_amount: booking.total.amount,
    total_currency: booking.total.currency,
    created_at: booking.createdAt,
    cancelled_at: booking.cancelledAt ?? null,
  };
}

function toBooking(row: BookingRow): Booking {
  return {
    bookingId: row.booking_id,
    kind: row.kind,
    status: row.status,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    details: JSON.parse(row.details) as Record<string, unknown>,
    total: { amount: row.total_amount, currency: row.total_currency },
    createdAt: row.created_at,
    ...(row.cancelled_at === null ? {} : { cancelledAt: row.cancelled_at }),
  };
}
