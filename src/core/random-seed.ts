/** A random seed for requests that gave none: 31 bits, so it prints and parses cleanly. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}
