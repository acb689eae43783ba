export { REPLY_KEEP_MS, ReplyBook, type ReplyState } from './reply-book.ts';
export { ReplyDesk, type ShowOutcome } from './reply-desk.ts';
export { RequestDedupe } from './request-dedupe.ts';
