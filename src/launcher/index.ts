export { launchStack } from './launch-stack.ts';
export { readStackRecord, type StackRecord } from './stack-lock.ts';
