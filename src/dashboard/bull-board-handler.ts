import type { RequestListener } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';

/** Bull Board's UI and API for `queues`, served from the root path, as a plain request listener. */
export function createBullBoardHandler(queues: readonly Queue[]): RequestListener {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/');
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'clipbot queues' } },
  });
  // getRouter() is typed `any`; it is an Express application, which is itself a request listener.
  return serverAdapter.getRouter() as RequestListener;
}
