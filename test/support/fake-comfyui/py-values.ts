/**
 * Python's view of JSON values, for error texts that must read as ComfyUI's: `str()` of a value, the
 * repr of a list of options, and the `int()` / `float()` conversions `validate_inputs` applies.
 */

/** A Python exception as ComfyUI reports it: `full_type_name(type)` and `str(ex)`. */
export class PyError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** `KeyError(key)`: its str() is the key's repr. */
export const keyError = (key: unknown): PyError => new PyError('KeyError', pyRepr(key));

export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  return pyStr(value);
}

export function pyStr(value: unknown, float = false): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return float && Number.isInteger(value) ? value.toFixed(1) : String(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return pyRepr(value);
  return JSON.stringify(value);
}

const typeName = (value: unknown): string =>
  value === null ? 'NoneType' : Array.isArray(value) ? 'list' : typeof value === 'object' ? 'dict' : 'str';

/** Python `int(value)`: truncates floats, parses integer strings, refuses the rest. */
export function pyInt(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new PyError('OverflowError', 'cannot convert float infinity to integer');
    return Math.trunc(value);
  }
  if (typeof value === 'string') {
    if (/^\s*[+-]?\d+(_\d+)*\s*$/.test(value)) return Number.parseInt(value.replaceAll('_', ''), 10);
    throw new PyError('ValueError', `invalid literal for int() with base 10: ${pyRepr(value)}`);
  }
  throw new PyError(
    'TypeError',
    `int() argument must be a string, a bytes-like object or a real number, not '${typeName(value)}'`,
  );
}

/** Python `float(value)`. */
export function pyFloat(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(text)) return Number(text);
    if (/^[+-]?(inf|infinity)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    throw new PyError('ValueError', `could not convert string to float: ${pyRepr(value)}`);
  }
  throw new PyError(
    'TypeError',
    `float() argument must be a string or a real number, not '${typeName(value)}'`,
  );
}

/** Python's `bool(value)`. */
export function pyBool(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

/** A traceback as `traceback.format_tb` lists it; the fake has no real frames to show. */
export const fakeTraceback = (fn: string): string[] => [
  `  File "/ComfyUI/execution.py", line 1, in ${fn}\n    (fake ComfyUI)\n`,
];
