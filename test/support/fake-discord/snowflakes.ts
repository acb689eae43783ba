const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Discord-shaped snowflakes (timestamp << 22 | counter): 18-19 digits today, strictly increasing, so
 * discord.js's `createdTimestamp` reads a real time and ids sort in creation order.
 */
export class Snowflakes {
  #last = 0n;

  next(): string {
    const fromClock = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
    this.#last = fromClock > this.#last ? fromClock : this.#last + 1n;
    return this.#last.toString();
  }
}
