/**
 * Which reply state a message of the Slack adapter shows, read as a user reads it: by its icon;
 * `starting` for the message posted before the core answered, `notice` for anything else.
 */
export function slackSeenKind(text: string): string {
  if (text.startsWith(':hourglass_flowing_sand: Starting')) return 'starting';
  if (text.startsWith(':hourglass_flowing_sand:') || text.startsWith(':double_vertical_bar:'))
    return 'queued';
  if (text.startsWith(':clapper:')) return 'running';
  if (text.startsWith(':no_entry_sign:')) return 'refused';
  if (text.startsWith(':x:')) return 'failed';
  if (text.startsWith(':heavy_multiplication_x:')) return 'cancelled';
  if (/^\*.+\*\nseed \d+/s.test(text)) return 'done';
  return 'notice';
}
