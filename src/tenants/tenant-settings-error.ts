import type { z } from 'zod';
import { CodedError } from '../core/index.ts';

/** Why a settings operation failed; stable strings for logs and admin replies. */
export enum TenantSettingsErrorCode {
  InvalidSettings = 'INVALID_TENANT_SETTINGS',
  ConcurrentUpdate = 'TENANT_SETTINGS_CONTENDED',
}

/** One thing wrong with a settings value: the field's path (`limits.userClips`, `blocklist.3`) and why. */
export interface SettingsProblem {
  field: string;
  message: string;
}

/** An error from src/tenants; `problems` lists every bad field of a refused update. */
export class TenantSettingsError extends CodedError<TenantSettingsErrorCode> {
  override readonly name = 'TenantSettingsError';

  constructor(
    code: TenantSettingsErrorCode,
    message: string,
    readonly problems: readonly SettingsProblem[] = [],
  ) {
    super(code, message);
  }

  /** The refusal of an update, naming every bad field. */
  static invalid(tenantKey: string, problems: readonly SettingsProblem[]): TenantSettingsError {
    const list = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    return new TenantSettingsError(
      TenantSettingsErrorCode.InvalidSettings,
      `Invalid settings for tenant ${tenantKey}, nothing was changed: ${list}`,
      problems,
    );
  }
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(settings)' : path.map(String).join('.');
}

/** A zod error as problems, one per bad field; each unknown key is named as its own field. */
export function settingsProblems(error: z.ZodError): SettingsProblem[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          field: fieldName([...issue.path, key]),
          message: 'not a setting a tenant can change',
        }))
      : [{ field: fieldName(issue.path), message: issue.message }],
  );
}
