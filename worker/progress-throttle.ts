/**
 * Passes at most one update per `intervalMs` through, and always the last one (`final`), so
 * listeners see steady progress without a Redis write per sampler step.
 */
export function throttleProgress<T>(
  send: (value: T) => void,
  intervalMs: number,
): (value: T, final?: boolean) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (value, final = false) => {
    const now = Date.now();
    if (final || now - last >= intervalMs) {
      last = now;
      send(value);
    }
  };
}
