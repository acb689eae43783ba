import type { InputSpec, NodeInfo } from './object-info.ts';
import { fakeTraceback, keyError, PyError, pyBool, pyFloat, pyInt, pyRepr, pyStr } from './py-values.ts';

/** One entry of a node's `errors`, as execution.py writes them. */
export interface ComfyError {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

/** `(valid, reasons, node_id)` per validated node, as `validate_inputs` memoises it. */
export type Validated = Map<string, { valid: boolean; reasons: ComfyError[] }>;

export interface GraphContext {
  prompt: Record<string, unknown>;
  info: Record<string, NodeInfo>;
  /** `folder_paths.exists_annotated_filepath`, for LoadImage's own VALIDATE_INPUTS. */
  imageExists(name: string): boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `prompt[id]['key']`, raising KeyError as Python would. */
export function nodeField(prompt: Record<string, unknown>, id: unknown, key: string): unknown {
  const node = typeof id === 'string' && Object.hasOwn(prompt, id) ? prompt[id] : undefined;
  if (node === undefined) throw keyError(id);
  if (!isRecord(node) || !Object.hasOwn(node, key)) throw keyError(key);
  return node[key];
}

/** comfy_execution/validation.py `validate_node_input`, non-strict. */
function typesMatch(received: unknown, wanted: unknown): boolean {
  if (received === wanted) return true;
  if (received === 'COMFY_MATCHTYPE_V3' || wanted === 'COMFY_MATCHTYPE_V3') return true;
  if (Array.isArray(received) && wanted === 'COMBO') return true;
  if (typeof received !== 'string' || typeof wanted !== 'string') return false;
  const a = new Set(received.split(',').map((t) => t.trim()));
  const b = new Set(wanted.split(',').map((t) => t.trim()));
  if (a.has('*') || b.has('*')) return true;
  return [...a].some((t) => b.has(t));
}

/** A node's own VALIDATE_INPUTS: the inputs it checks itself skip the generic range and list checks. */
const SELF_CHECKED: Record<
  string,
  { inputs: string[]; check(ctx: GraphContext, value: unknown): true | string }
> = {
  LoadImage: {
    inputs: ['image'],
    check: (ctx, value) =>
      typeof value === 'string' && ctx.imageExists(value) ? true : `Invalid image file: ${pyStr(value)}`,
  },
};

/** execution.py `validate_inputs`: checks one node and, through its links, everything upstream. */
export function validateInputs(ctx: GraphContext, id: string, validated: Validated): boolean {
  const known = validated.get(id);
  if (known) return known.valid;
  const inputs = nodeField(ctx.prompt, id, 'inputs');
  const classType = nodeField(ctx.prompt, id, 'class_type');
  const info = typeof classType === 'string' ? ctx.info[classType] : undefined;
  if (!info || !isRecord(inputs))
    throw new PyError('AttributeError', `'${typeof inputs}' object has no attribute`);
  const selfChecked = SELF_CHECKED[info.name];
  const errors: ComfyError[] = [];
  let valid = true;
  const groups: ['required' | 'optional', Record<string, InputSpec>][] = [['required', info.input.required]];
  if (info.input.optional) groups.push(['optional', info.input.optional]);
  for (const [category, specs] of groups) {
    for (const [name, spec] of Object.entries(specs)) {
      const [inputType, extra = {}] = spec;
      const config = [inputType, extra];
      if (!Object.hasOwn(inputs, name)) {
        if (category === 'required') {
          errors.push(
            error('required_input_missing', 'Required input is missing', name, { input_name: name }),
          );
        }
        continue;
      }
      let value = inputs[name];
      if (Array.isArray(value)) {
        const linked = checkLink(ctx, value, name, inputType, config, validated);
        if (linked === 'invalid') valid = false;
        else if (linked) errors.push(linked);
        continue;
      }
      if (isRecord(value) && Object.hasOwn(value, '__value__')) {
        value = value.__value__;
        inputs[name] = value;
      }
      try {
        if (inputType === 'INT') value = pyInt(value);
        else if (inputType === 'FLOAT') value = pyFloat(value);
        else if (inputType === 'STRING') value = pyStr(value);
        else if (inputType === 'BOOLEAN') value = pyBool(value);
        inputs[name] = value;
      } catch (ex) {
        const message = ex instanceof Error ? ex.message : String(ex);
        errors.push(
          error(
            'invalid_input_type',
            `Failed to convert an input value to a ${pyStr(inputType)} value`,
            `${name}, ${pyStr(value)}, ${message}`,
            { input_name: name, input_config: config, received_value: value, exception_message: message },
          ),
        );
        continue;
      }
      if (selfChecked?.inputs.includes(name)) continue;
      const rangeError = checkRange(name, value, inputType, extra, config);
      if (rangeError) {
        errors.push(rangeError);
        continue;
      }
      const options = Array.isArray(inputType)
        ? inputType
        : inputType === 'COMBO' && Array.isArray(extra.options)
          ? extra.options
          : undefined;
      if (options && !options.includes(value)) {
        const long = options.length > 20;
        errors.push(
          error(
            'value_not_in_list',
            'Value not in list',
            `${name}: '${pyStr(value)}' not in ${long ? `(list of length ${options.length})` : pyRepr(options)}`,
            { input_name: name, input_config: long ? null : config, received_value: value },
          ),
        );
      }
    }
  }
  if (selfChecked) {
    for (const name of selfChecked.inputs) {
      if (!Object.hasOwn(inputs, name) || Array.isArray(inputs[name])) continue;
      const verdict = selfChecked.check(ctx, inputs[name]);
      if (verdict !== true) {
        errors.push(
          error('custom_validation_failed', 'Custom validation failed for node', `${name} - ${verdict}`, {
            input_name: name,
          }),
        );
      }
    }
  }
  const result = { valid: errors.length === 0 && valid, reasons: errors };
  validated.set(id, result);
  return result.valid;
}

/** A linked input: `[node_id, slot]`. Returns an error to record, 'invalid' when upstream failed. */
function checkLink(
  ctx: GraphContext,
  link: unknown[],
  name: string,
  inputType: unknown,
  config: unknown[],
  validated: Validated,
): ComfyError | 'invalid' | undefined {
  if (link.length !== 2) {
    return error(
      'bad_linked_input',
      'Bad linked input, must be a length-2 list of [node_id, slot_index]',
      name,
      {
        input_name: name,
        input_config: config,
        received_value: link,
      },
    );
  }
  const [from, slot] = link;
  // Outside any try in execution.py: a missing node raises KeyError out of this node's validation.
  const fromClass = nodeField(ctx.prompt, from, 'class_type');
  const outputs = typeof fromClass === 'string' ? ctx.info[fromClass]?.output : undefined;
  if (!outputs) throw keyError(fromClass);
  if (typeof slot !== 'number' || !Number.isInteger(slot)) {
    throw new PyError('TypeError', 'tuple indices must be integers or slices, not str');
  }
  const received = outputs.at(slot);
  if (received === undefined) throw new PyError('IndexError', 'tuple index out of range');
  if (!typesMatch(received, inputType)) {
    return error(
      'return_type_mismatch',
      'Return type mismatch between linked nodes',
      `${name}, received_type(${received}) mismatch input_type(${pyStr(inputType)})`,
      { input_name: name, input_config: config, received_type: received, linked_node: link },
    );
  }
  try {
    return validateInputs(ctx, String(from), validated) ? undefined : 'invalid';
  } catch (ex) {
    const message = ex instanceof Error ? ex.message : String(ex);
    const reasons = [
      error('exception_during_inner_validation', 'Exception when validating inner node', message, {
        input_name: name,
        input_config: config,
        exception_message: message,
        exception_type: ex instanceof PyError ? ex.type : 'Exception',
        traceback: fakeTraceback('validate_inputs'),
        linked_node: link,
      }),
    ];
    validated.set(String(from), { valid: false, reasons });
    return 'invalid';
  }
}

function checkRange(
  name: string,
  value: unknown,
  inputType: unknown,
  extra: Record<string, unknown>,
  config: unknown[],
): ComfyError | undefined {
  if (typeof value !== 'number') return undefined;
  const float = inputType === 'FLOAT';
  const details = { input_name: name, input_config: config, received_value: value };
  if (typeof extra.min === 'number' && value < extra.min) {
    const message = `Value ${pyStr(value, float)} smaller than min of ${pyStr(extra.min, float)}`;
    return error('value_smaller_than_min', message, name, details);
  }
  if (typeof extra.max === 'number' && value > extra.max) {
    const message = `Value ${pyStr(value, float)} bigger than max of ${pyStr(extra.max, float)}`;
    return error('value_bigger_than_max', message, name, details);
  }
  return undefined;
}

export function error(
  type: string,
  message: string,
  details: string,
  extra: Record<string, unknown>,
): ComfyError {
  return { type, message, details, extra_info: extra };
}
