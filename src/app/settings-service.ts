import type { Logger } from 'pino';
import type { AdmissionLimiter } from '../admission/index.ts';
import type { QualityChoice, RequestHandler, SettingsAnswer, SettingsCommand } from '../core/index.ts';
import {
  type TenantSettings,
  TenantSettingsError,
  TenantSettingsErrorCode,
  type TenantSettingsStore,
} from '../tenants/index.ts';
import { adminCommand } from './admin-command.ts';
import { editsProblem, hasEdits, updateFor } from './settings-edits.ts';
import { settingsDiff, settingsView } from './settings-view.ts';

export interface SettingsServiceDeps {
  /** The store admission reads, the same instance: a change applies to the next request at once. */
  tenants: TenantSettingsStore<QualityChoice>;
  /** For the operator's limits under the tenant's own. */
  limiter: Pick<AdmissionLimiter, 'limitsFor'>;
  logger: Logger;
}

const NOT_ALLOWED =
  "Only members who can manage this server or workspace may see or change clipbot's settings here.";
const FAILED = 'Nothing was changed: something went wrong on our side. Please try again in a minute.';

/**
 * The /video-admin use case: shows a tenant's settings, or changes them in one atomic write through
 * the tenant settings store (which admission reads), for askers the platform marks as admins only
 * (checked here even where the platform hides the command from others). Every value is checked
 * before anything is written; every change and every refusal is logged with who asked.
 */
export class SettingsService implements Pick<RequestHandler, 'onSettingsCommand'> {
  constructor(private readonly deps: SettingsServiceDeps) {}

  async onSettingsCommand(command: SettingsCommand): Promise<SettingsAnswer> {
    const { edits } = command;
    const { log, tenantKey, allowed } = adminCommand(this.deps.logger, command);
    if (!allowed) {
      log.warn({ edits }, 'tenant settings refused: the asker may not manage this tenant');
      return { kind: 'not-allowed', message: NOT_ALLOWED };
    }
    const { tenants } = this.deps;
    if (!hasEdits(edits)) {
      const settings = await tenants.get(tenantKey);
      return { kind: 'settings', settings: this.view(settings), changes: [], edited: false };
    }
    const problem = editsProblem(edits, tenants.tiers);
    if (problem) {
      log.info({ edits, problem }, 'tenant settings change refused: a bad value');
      return { kind: 'invalid', message: problem };
    }
    try {
      const { before, after } = await tenants.edit(tenantKey, (current) =>
        updateFor(edits, current, this.deps.limiter.limitsFor(edits.reset ? undefined : current.limits)),
      );
      const changes = settingsDiff(this.view(before), this.view(after));
      log.info({ edits, changes }, 'tenant settings changed');
      return { kind: 'settings', settings: this.view(after), changes, edited: true };
    } catch (error) {
      if (error instanceof TenantSettingsError && error.code === TenantSettingsErrorCode.InvalidSettings) {
        const why = error.problems.map((p) => p.message).join('; ');
        log.info({ edits, problems: error.problems }, 'tenant settings change refused: a bad value');
        return { kind: 'invalid', message: `Nothing was changed: ${why}.` };
      }
      log.error({ err: error, edits }, 'tenant settings change failed');
      return { kind: 'failed', message: FAILED };
    }
  }

  private view(settings: TenantSettings) {
    return settingsView(settings, this.deps.limiter.limitsFor(settings.limits), this.deps.tenants.tiers);
  }
}
