export {
  createDeliveryProcessor,
  type DeliveryDeps,
  joinedTargetsKey,
  UndeliverableError,
} from './delivery-processor.ts';
export { relayProgress } from './progress-relay.ts';
export { ReplyCoalescer } from './reply-coalescer.ts';
