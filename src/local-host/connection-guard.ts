/**
 * Connection admission for the host's listener: a total cap and a per-client cap (by peer
 * address), enforced so that idle and half-open connections never shut out a request.
 *
 * A client that opens connections and never finishes a request head (slowloris) would otherwise
 * fill the listener until the header timeout frees a slot. Here a new connection over a cap
 * closes the least recently active connection that has no request in flight (the client's own
 * first, when its per-client cap is reached). Only when every connection is busy with a request
 * is the newcomer refused, and then with an HTTP answer (503 and Retry-After), not a reset.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** Open connections at most, across all clients. */
  maxConnections: number;
  /** Open connections one peer address may hold. On loopback every local client shares one. */
  maxConnectionsPerClient: number;
}

interface Tracked {
  client: string;
  /** Requests received on this connection whose response has not finished. */
  inFlight: number;
}

export class ConnectionGuard {
  /** Every admitted connection, least recently active first (re-inserted when a request ends). */
  private readonly sockets = new Map<Socket, Tracked>();
  private readonly perClient = new Map<string, number>();
  /** Connections over a cap while all others were busy: their request gets a 503. */
  private readonly refused = new WeakSet<Socket>();
  private requests = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly limits: ConnectionLimits) {}

  /** Hooks the guard into `server`; call before it listens. */
  attach(server: Server): void {
    // A hard ceiling above the admission caps, for connections refused with a 503.
    server.maxConnections = this.limits.maxConnections * 2;
    server.on('connection', (socket: Socket) => this.admit(socket));
  }

  /** Requests in flight on admitted connections. */
  get activeRequests(): number {
    return this.requests;
  }

  /** Resolves once no request is in flight (at once when none is). */
  whenIdle(): Promise<void> {
    if (this.requests === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** True when the request's connection was over a cap: answer it with 503 and close. */
  isRefused(req: IncomingMessage): boolean {
    return this.refused.has(req.socket);
  }

  /** Marks a request in flight until its response finishes or its connection closes. */
  track(req: IncomingMessage, res: ServerResponse): void {
    const tracked = this.sockets.get(req.socket);
    if (!tracked) return;
    tracked.inFlight++;
    this.requests++;
    let done = false;
    const end = (): void => {
      if (done) return;
      done = true;
      tracked.inFlight--;
      this.requests--;
      if (this.requests === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      // Most recently active last: an idle keep-alive connection ages from its last answer.
      if (this.sockets.delete(req.socket)) this.sockets.set(req.socket, tracked);
    };
    res.once('finish', end);
    res.once('close', end);
  }

  private admit(socket: Socket): void {
    const client = socket.remoteAddress ?? 'unknown';
    if ((this.perClient.get(client) ?? 0) >= this.limits.maxConnectionsPerClient) {
      if (!this.evictIdle(client)) return this.refuse(socket);
    }
    if (this.sockets.size >= this.limits.maxConnections) {
      if (!this.evictIdle(undefined)) return this.refuse(socket);
    }
    this.sockets.set(socket, { client, inFlight: 0 });
    this.perClient.set(client, (this.perClient.get(client) ?? 0) + 1);
    socket.once('close', () => this.forget(socket));
  }

  /** Closes the least recently active connection without a request in flight (of `client`, if given). */
  private evictIdle(client: string | undefined): boolean {
    for (const [socket, tracked] of this.sockets) {
      if (tracked.inFlight > 0 || (client !== undefined && tracked.client !== client)) continue;
      this.forget(socket);
      socket.destroy();
      return true;
    }
    return false;
  }

  private refuse(socket: Socket): void {
    this.refused.add(socket);
  }

  private forget(socket: Socket): void {
    const tracked = this.sockets.get(socket);
    if (!tracked) return;
    this.sockets.delete(socket);
    const count = (this.perClient.get(tracked.client) ?? 1) - 1;
    if (count > 0) this.perClient.set(tracked.client, count);
    else this.perClient.delete(tracked.client);
  }
}

export const defaultConnectionLimits: ConnectionLimits = {
  maxConnections: 256,
  maxConnectionsPerClient: 128,
};
