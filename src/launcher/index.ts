export { launchStack } from './launch-stack.ts';
