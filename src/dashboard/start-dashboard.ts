import { createServer } from 'node:http';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { authenticate, rejectUnauthenticated } from '../http/index.ts';
import { createBullBoardHandler } from './bull-board-handler.ts';
import { MIN_DASHBOARD_TOKEN_LENGTH } from './token-length.ts';

/** Options for {@link startDashboard}. */
export interface DashboardOptions {
  /** TCP port; 0 takes any free port (tests). */
  port: number;
  /** Interface to bind; default 127.0.0.1, so only this machine (or an SSH tunnel) reaches it. */
  host?: string;
  /** Secret every request must carry; at least 24 characters. */
  token: string;
  /** The BullMQ queues to show (generate and each platform's deliver queue); the caller owns and closes them. */
  queues: readonly Queue[];
  logger: Pick<Logger, 'info' | 'warn'>;
}

/** A running dashboard. */
export interface Dashboard {
  /** The port it listens on (the real one when 0 was asked). */
  port: number;
  /** Stops listening and drops open connections; leaves the queues open. */
  close(): Promise<void>;
}

/**
 * Serves Bull Board for `queues` at `/`, behind the token: every request needs
 * `Authorization: Bearer <token>`, the cookie that `/?token=<token>` sets, or `?token=` itself;
 * anything else gets 401.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  if (options.token.length < MIN_DASHBOARD_TOKEN_LENGTH) {
    throw new Error(`the dashboard token must be at least ${MIN_DASHBOARD_TOKEN_LENGTH} characters`);
  }
  const { token, logger } = options;
  const host = options.host ?? '127.0.0.1';
  const board = createBullBoardHandler(options.queues);
  const server = createServer((req, res) => {
    const auth = authenticate(req, token);
    if (!auth.ok) {
      logger.warn(
        { path: auth.path, remote: req.socket.remoteAddress },
        'dashboard request without a valid token',
      );
      rejectUnauthenticated(res);
      return;
    }
    req.url = auth.url;
    // no-referrer: a page opened with ?token= must not pass its address on; no-store: no cached copies.
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cache-control', 'no-store');
    if (auth.setCookie) res.setHeader('set-cookie', auth.setCookie);
    board(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logger.warn({ err }, 'dashboard server error'));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  logger.info({ host, port }, 'dashboard listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
