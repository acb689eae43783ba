// Pieces of reply text that admission writes and every adapter reads or draws the same way.

const TRY_AGAIN = /Try again at [^.]*\.$/;

/** How a refusal with a retry time ends: "Try again at 14:05 UTC." (admission writes it so). */
export function tryAgainAt(time: string): string {
  return `Try again at ${time}.`;
}

/**
 * A refusal with its closing {@link tryAgainAt} sentence replaced by `sentence`: the same moment in
 * a platform's own terms (a Discord timestamp, a Slack date token), read in each reader's time zone.
 * A message without that sentence gets `sentence` added at its end.
 */
export function withRetrySentence(message: string, sentence: string): string {
  const replaced = message.replace(TRY_AGAIN, sentence);
  return replaced === message ? `${message} ${sentence}` : replaced;
}

/** A progress bar of `cells` cells for step `step` of `total`: ▰▰▰▱▱▱. */
export function progressBar(step: number, total: number, cells = 12): string {
  const filled = total > 0 ? Math.round((Math.min(step, total) / total) * cells) : 0;
  return `${'▰'.repeat(filled)}${'▱'.repeat(cells - filled)}`;
}
