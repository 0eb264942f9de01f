// A free loopback port, so a server can be told its own address (links in emails name it) before it listens.
import { createServer, type AddressInfo } from 'node:net';

export async function freePort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
