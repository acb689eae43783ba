import type { QualityChoice, VideoOptions, VideoRequest } from '../core/index.ts';

/** Options after admission: text cleaned, unknown keys dropped, `quality` and `private` filled in. */
export interface ValidatedOptions extends VideoOptions {
  quality: QualityChoice;
  private: boolean;
}

/**
 * A request that passed validation: the prompt and negative prompt are cleaned and can mention no
 * one, every option is within the model's range. Unset seed, steps and guidance stay unset
 * for the worker to fill from the model's defaults.
 */
export interface ValidatedRequest extends VideoRequest {
  options: ValidatedOptions;
}

/** The field a problem is about: the prompt or one option. */
export type ValidationField = 'prompt' | keyof VideoOptions;

/** One thing wrong with a request, in words meant for the user. */
export interface ValidationProblem {
  field: ValidationField;
  message: string;
}

/** Why a request was refused: every problem found, and one message listing them all. */
export interface ValidationFailure {
  ok: false;
  reason: 'invalid-input';
  problems: ValidationProblem[];
  /** Ready for a `refused` reply. */
  message: string;
}

/** The outcome of {@link validateRequest}. */
export type ValidationResult = { ok: true; request: ValidatedRequest } | ValidationFailure;
