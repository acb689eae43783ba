import { z } from 'zod';

/**
 * Execution providers clipbot can ask onnxruntime for, fastest first. The pipeline takes its
 * EXECUTION_PROVIDERS from here (config sits below the worker).
 */
export const PROVIDER_NAMES = ['cuda', 'webgpu', 'cpu'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * A comma-separated provider list such as "cuda,cpu": trimmed, lower-cased, duplicates dropped, order
 * kept (it is the order they are tried in). Shared by the CLIPBOT_PROVIDERS variable and --providers.
 */
export const providerListSchema = z
  .string()
  .transform((text) => [
    ...new Set(
      text
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter((name) => name !== ''),
    ),
  ])
  .pipe(
    z
      .array(
        z.enum(PROVIDER_NAMES, {
          error: (issue) => `unknown provider "${String(issue.input)}"; use ${PROVIDER_NAMES.join(', ')}`,
        }),
      )
      .min(1, `name at least one provider of ${PROVIDER_NAMES.join(', ')}`),
  );
