import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiServer } from './api-server.ts';
import { Faults } from './faults.ts';
import type { ApiContext } from './method.ts';
import { chatMethods } from './methods/chat.ts';
import { fileMethods } from './methods/files.ts';
import { functionMethods } from './methods/functions.ts';
import { identityMethods } from './methods/identity.ts';
import { SocketMode } from './socket-mode.ts';
import { FakeState } from './state.ts';
import type { FakeSlackOptions, FakeTeam } from './types.ts';

/** The parts of a listening fake: its state, the Web API, Socket Mode, faults and pending timers. */
export interface FakeServer {
  server: Server;
  state: FakeState;
  context: ApiContext;
  api: ApiServer;
  socket: SocketMode;
  faults: Faults;
  /** Timers of asynchronous work (file shares) still pending; cleared on stop. */
  timers: Set<NodeJS.Timeout>;
}

/** Builds the fake's parts and listens on 127.0.0.1 on a free port (Web API, uploads and WebSocket). */
export async function listen(options: FakeSlackOptions, defaultTeam: FakeTeam): Promise<FakeServer> {
  const state = new FakeState(
    options.appId ?? 'A0000000001',
    options.appToken,
    options.teams ?? [defaultTeam],
  );
  const timers = new Set<NodeJS.Timeout>();
  const context: ApiContext = {
    state,
    origin: '',
    fileShareDelayMs: options.fileShareDelayMs ?? 100,
    ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
    ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
    later(task, ms) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        task();
      }, ms);
      timers.add(timer);
    },
  };
  const socket = new SocketMode(
    state.appId,
    options.socketPingIntervalMs ?? 5000,
    options.ackTimeoutMs ?? 3000,
    () => context.origin,
  );
  const faults = new Faults(options.rateLimits);
  const methods = {
    ...chatMethods(context),
    ...fileMethods(context),
    ...functionMethods(context),
    ...identityMethods(context, () => socket.ticketUrl()),
  };
  const api = new ApiServer(context, methods, faults);
  const server = createServer((req, res) => api.handle(req, res));
  server.on('upgrade', (req, duplex, head: Buffer) => socket.upgrade(req, duplex, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  context.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, state, context, api, socket, faults, timers };
}
