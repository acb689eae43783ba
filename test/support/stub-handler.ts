import type { RequestHandler } from '../../src/core/index.ts';

/**
 * A RequestHandler for adapter and command tests: the use cases given, and every other one failing
 * loudly if an adapter calls it, so a test never passes on a use case it did not expect.
 */
export function stubHandler(given: Partial<RequestHandler>): RequestHandler {
  const unexpected = (name: keyof RequestHandler) => async () => {
    throw new Error(`${name} was not expected in this test`);
  };
  return {
    onVideoRequest: unexpected('onVideoRequest'),
    onButton: unexpected('onButton'),
    onQueueQuery: unexpected('onQueueQuery'),
    onSettingsCommand: unexpected('onSettingsCommand'),
    onScheduleCommand: unexpected('onScheduleCommand'),
    onCommunityEvent: unexpected('onCommunityEvent'),
    ...given,
  };
}
