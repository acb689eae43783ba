export {
  createDeliverQueues,
  type DeliverQueues,
  type DeliverQueuesOptions,
  deliverQueueName,
  joinedTargetsKey,
  replyTargets,
} from './deliver-queues.ts';
export { createDeliveryProcessor, type DeliveryDeps } from './delivery-processor.ts';
export { relayProgress } from './progress-relay.ts';
export { ReplyCoalescer } from './reply-coalescer.ts';
