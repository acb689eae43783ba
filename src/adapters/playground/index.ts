export { PlaygroundAdapter, type PlaygroundOptions } from './playground-adapter.ts';
export type { PlaygroundMessage, ReplyView } from './reply-view.ts';
