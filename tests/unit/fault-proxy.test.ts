// The fault tests' TCP proxy does what they rely on: forwards, hangs, refuses, and forwards again.
import net from 'node:net';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';

let echo: net.Server;
let proxy: FaultProxy;
beforeAll(async () => {
  echo = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  proxy = await startFaultProxy({ host: '127.0.0.1', port: (echo.address() as net.AddressInfo).port });
});
afterAll(async () => {
  await proxy.close();
  await new Promise((resolve) => echo.close(resolve));
});

/** Sends a line through the proxy: its echo, 'no answer' after `waitMs`, or the connection error's code. */
function roundTrip(waitMs = 300): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(proxy.port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('no answer');
    }, waitMs);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code ?? 'error');
    });
    socket.on('data', (data) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(data.toString());
    });
    socket.write('ping');
  });
}

it('forwards, hangs, refuses, and forwards again on the same port', async () => {
  expect(await roundTrip()).toBe('ping');
  await proxy.set('stall');
  expect(await roundTrip()).toBe('no answer');
  await proxy.set('refuse');
  expect(await roundTrip()).toBe('ECONNREFUSED');
  await proxy.set('pass');
  expect(await roundTrip()).toBe('ping');
});

it('stops answering on a connection already open, and lets new ones through', async () => {
  const socket = net.connect(proxy.port, '127.0.0.1');
  const received: string[] = [];
  socket.on('data', (data) => received.push(data.toString()));
  socket.write('one');
  for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(received).toEqual(['one']);
  proxy.stallOpen();
  socket.write('two');
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(received).toEqual(['one']);
  socket.destroy();
  expect(await roundTrip()).toBe('ping');
});
