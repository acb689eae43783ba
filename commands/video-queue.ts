import { type RequestHandler, utcTime } from '../src/core/index.ts';
import { queueViewText } from './answers/queue-view-text.ts';
import { askerOf, type CommandDefinition, type CommandInvocation, type CommandModule } from './kit/index.ts';

/** /video-queue takes no options and needs nothing of the model. */
const DEFINITION: CommandDefinition = {
  name: 'video-queue',
  description: 'Your videos in the queue, the limits here and when you can make the next one',
  example: '/video-queue',
  options: [],
  privateAnswer: true,
};

/** `/video-queue`: the asker's jobs, their tenant's queue and limits, their next clip; to them alone. */
export const videoQueueCommand = {
  name: 'video-queue',
  define: (): CommandDefinition => DEFINITION,
  async execute(invocation: CommandInvocation, handler: RequestHandler): Promise<string> {
    const view = await handler.onQueueQuery(askerOf(invocation.context));
    return queueViewText(view, invocation.context.formatTime ?? utcTime);
  },
} satisfies CommandModule;

export default videoQueueCommand;
