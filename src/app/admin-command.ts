import type { Logger } from 'pino';
import { type Asker, tenantKeyOf } from '../core/index.ts';

/**
 * A tenant-managing command's log (its tenant, asker and request) and whether the asker may manage
 * the tenant: the platform's `isAdmin`, checked here whatever the platform shows or hides.
 */
export function adminCommand(
  logger: Logger,
  command: { requestId: string; asker: Asker },
): { log: Logger; tenantKey: string; allowed: boolean } {
  const { asker } = command;
  const tenantKey = tenantKeyOf(asker);
  const log = logger.child({ tenant: tenantKey, userId: asker.user.id, requestId: command.requestId });
  return { log, tenantKey, allowed: asker.user.isAdmin === true };
}
