import { CodedError } from '../core/index.ts';

/** Why `clipbot start` could not start. */
export enum LauncherErrorCode {
  AlreadyRunning = 'ALREADY_RUNNING',
}

/** An error from the launcher, carrying a {@link LauncherErrorCode}. */
export class LauncherError extends CodedError<LauncherErrorCode> {
  override readonly name = 'LauncherError';
}
