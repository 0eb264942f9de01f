// A TCP proxy on loopback that a fault test puts in front of a service (the mail server, PostgreSQL, Redis), to
// make it fail the ways services fail: refuse connections, accept them and never answer, drop them mid-way.
// The shared services themselves are never stopped or reconfigured.
import net from 'node:net';

export type FaultMode =
  /** Forward both ways, as if the proxy were not there. */
  | 'pass'
  /** Accept connections and read what they send, but forward nothing either way: a service that hangs. */
  | 'stall'
  /** Nothing listens: new connections are refused (ECONNREFUSED); open ones are dropped. */
  | 'refuse';

export interface FaultProxy {
  readonly port: number;
  readonly mode: FaultMode;
  /** Connections accepted since the start. */
  readonly connections: number;
  /** Switch mode; `refuse` stops listening and drops every open connection, leaving it restarts listening. */
  set(mode: FaultMode): Promise<void>;
  /** Drop every open connection at once (a network cut), whatever the mode. */
  dropAll(): void;
  /** Stop forwarding on every open connection, both ways, leaving it open: a service that hangs mid-conversation. */
  stallOpen(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const open = new Set<net.Socket>();
  const forwarding = new Map<net.Socket, net.Socket>();
  let mode: FaultMode = 'pass';
  let accepted = 0;

  const server = net.createServer((client) => {
    accepted++;
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    if (mode === 'stall') {
      client.resume(); // read and forget: the peer's writes succeed, no answer ever comes
      return;
    }
    const upstream = net.connect(target);
    open.add(upstream);
    upstream.on('close', () => {
      open.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => upstream.destroy());
    client.on('close', () => {
      forwarding.delete(client);
      upstream.destroy();
    });
    forwarding.set(client, upstream);
    client.pipe(upstream);
    upstream.pipe(client);
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;

  const dropAll = () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };
  const stopListening = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));

  return {
    port,
    get mode() {
      return mode;
    },
    get connections() {
      return accepted;
    },
    async set(next: FaultMode) {
      if (next === mode) return;
      mode = next;
      if (next === 'refuse') {
        const closed = stopListening();
        dropAll();
        await closed;
      } else {
        // Connections opened while stalling stay stalled (a test may `dropAll`); new ones follow the new mode.
        if (!server.listening) await listen(port);
      }
    },
    dropAll,
    stallOpen() {
      for (const [client, upstream] of forwarding) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        // Read and forget both ways, as in `stall`: writes succeed, nothing arrives.
        client.resume();
        upstream.resume();
      }
      forwarding.clear();
    },
    async close() {
      const closed = stopListening();
      dropAll();
      await closed;
    },
  };
}
