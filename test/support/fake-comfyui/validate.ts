import { fakeTraceback, PyError } from './py-values.ts';
import {
  type ComfyError,
  error,
  type GraphContext,
  type Validated,
  validateInputs,
} from './validate-inputs.ts';

/** One entry of `node_errors`. */
export interface NodeErrors {
  errors: ComfyError[];
  dependent_outputs: string[];
  class_type: string;
}

export type Validation =
  | { ok: true; outputs: string[]; nodeErrors: Record<string, NodeErrors> }
  | { ok: false; error: ComfyError; nodeErrors: Record<string, NodeErrors> };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * execution.py `validate_prompt`: every node needs a known class_type; at least one output node; each
 * output is validated with everything upstream. Valid while one output is good (its `node_errors` may
 * still list the failing ones); else `prompt_outputs_failed_validation`.
 */
export function validatePrompt(ctx: GraphContext): Validation {
  const outputs: string[] = [];
  for (const [id, node] of Object.entries(ctx.prompt)) {
    const classType = isRecord(node) ? node.class_type : undefined;
    const meta = isRecord(node) && isRecord(node._meta) ? node._meta : {};
    const title = typeof meta.title === 'string' ? meta.title : undefined;
    if (classType === undefined) {
      return fail(
        error(
          'missing_node_type',
          `Node '${title ?? `ID #${id}`}' has no class_type. The workflow may be corrupted or a custom node is missing.`,
          `Node ID '#${id}'`,
          { node_id: id, class_type: null, node_title: title ?? null },
        ),
      );
    }
    const info = typeof classType === 'string' ? ctx.info[classType] : undefined;
    if (!info) {
      const name = title ?? String(classType);
      return fail(
        error(
          'missing_node_type',
          `Node '${name}' not found. The custom node may not be installed.`,
          `Node ID '#${id}'`,
          {
            node_id: id,
            class_type: classType,
            node_title: name,
          },
        ),
      );
    }
    if (info.output_node) outputs.push(id);
  }
  if (outputs.length === 0) return fail(error('prompt_no_outputs', 'Prompt has no outputs', '', {}));

  const good: string[] = [];
  const failed: [string, ComfyError[]][] = [];
  const nodeErrors: Record<string, NodeErrors> = {};
  const validated: Validated = new Map();
  for (const output of outputs) {
    let valid = false;
    let reasons: ComfyError[] = [];
    try {
      valid = validateInputs(ctx, output, validated);
      reasons = validated.get(output)?.reasons ?? [];
    } catch (ex) {
      reasons = [
        error(
          'exception_during_validation',
          'Exception when validating node',
          ex instanceof Error ? ex.message : '',
          {
            exception_type: ex instanceof PyError ? ex.type : 'Exception',
            traceback: fakeTraceback('validate_prompt'),
          },
        ),
      ];
      validated.set(output, { valid: false, reasons });
    }
    if (valid) {
      good.push(output);
      continue;
    }
    failed.push([output, reasons]);
    // As in ComfyUI: every failing node seen so far gets this output in its dependent_outputs.
    for (const [id, result] of validated) {
      if (result.valid || result.reasons.length === 0) continue;
      const entry = nodeErrors[id] ?? {
        errors: result.reasons,
        dependent_outputs: [],
        class_type: classOf(ctx, id),
      };
      entry.dependent_outputs.push(output);
      nodeErrors[id] = entry;
    }
  }
  if (good.length > 0) return { ok: true, outputs: good, nodeErrors };
  const details = failed
    .flatMap(([, reasons]) => reasons.map((r) => `${r.message}: ${r.details}`))
    .join('\n');
  return {
    ok: false,
    error: error('prompt_outputs_failed_validation', 'Prompt outputs failed validation', details, {}),
    nodeErrors,
  };
}

function classOf(ctx: GraphContext, id: string): string {
  const node = ctx.prompt[id];
  return isRecord(node) && typeof node.class_type === 'string' ? node.class_type : '';
}

const fail = (err: ComfyError): Validation => ({ ok: false, error: err, nodeErrors: {} });
