export { launchStack } from './launch-stack.ts';
export { isProcessAlive, readStackRecord, type StackRecord } from './stack-lock.ts';
