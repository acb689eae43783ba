import { IMAGE_MAX_BYTES } from '../../src/core/index.ts';
import type { CommandOption, OptionShape } from './command-definition.ts';

/**
 * What an option accepts, in words: "a whole number from 1 to 50", "a number of at least 0",
 * "3 to 500 characters", "one of auto, low, high". Shared by the help text and the CLI's errors, so
 * both say the same thing.
 */
export function valueText(option: OptionShape & Pick<CommandOption, 'choices'>): string {
  const { type, min, max, minLength, maxLength, choices } = option;
  if (choices && choices.length > 0) return `one of ${choices.map((c) => c.value).join(', ')}`;
  if (type === 'integer' || type === 'number') {
    const kind = type === 'integer' ? 'a whole number' : 'a number';
    if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
    if (min !== undefined) return `${kind} of at least ${min}`;
    if (max !== undefined) return `${kind} of at most ${max}`;
    return kind;
  }
  if (type === 'string') {
    if (minLength !== undefined && maxLength !== undefined) return `${minLength} to ${maxLength} characters`;
    if (maxLength !== undefined) return `up to ${maxLength} characters`;
    if (minLength !== undefined) return `at least ${minLength} characters`;
    return 'text';
  }
  if (type === 'image') return `a PNG, JPEG or WebP picture of up to ${IMAGE_MAX_BYTES / 1024 / 1024} MB`;
  return 'a flag: give it to switch it on';
}
