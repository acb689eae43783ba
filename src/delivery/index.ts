export { createDeliveryProcessor, type DeliveryDeps, UndeliverableError } from './delivery-processor.ts';
export { ReplyCoalescer } from './reply-coalescer.ts';
