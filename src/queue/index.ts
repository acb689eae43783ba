export { FairOrder } from './fair-order.ts';
export { addFairJob, type FairJobData } from './fair-queue.ts';
