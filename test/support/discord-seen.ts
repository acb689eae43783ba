import type { FakeMessage } from './fake-discord/index.ts';

/**
 * Which reply state a message of the Discord adapter shows, read as a user reads it: by its icon,
 * or its clip; `thinking` for a deferred response not edited yet, `notice` for anything else (an
 * answer to one person).
 */
export function seenKind(message: Pick<FakeMessage, 'content' | 'attachments'>): string {
  // A post the bot makes on its own (a scheduled clip, a teaser) heads its state with why it is there.
  const text = message.content.replace(/^<@\d+> /, '').replace(/^(🗓️|📅)[^\n]*\n/u, '');
  if (message.attachments.length > 0) return 'done';
  if (text === '') return 'thinking';
  if (text.startsWith('⏳') || text.startsWith('⏸️')) return 'queued';
  if (text.startsWith('🎬')) return 'running';
  if (text.startsWith('🚫')) return 'refused';
  if (text.startsWith('❌')) return 'failed';
  if (text.startsWith('✖️')) return 'cancelled';
  return 'notice';
}
