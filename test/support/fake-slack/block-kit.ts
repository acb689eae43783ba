import { invalidBlocks, SlackApiError } from './api-error.ts';
import { secret } from './ids.ts';

type Json = Record<string, unknown>;
type Problem = { pointer: string; message: string };

/** Block Kit limits Slack enforces on messages (docs.slack.dev, "Block Kit" reference pages). */
const MAX_BLOCKS = 50;
const LIMITS = {
  blockId: 255,
  actionId: 255,
  sectionText: 3000,
  sectionField: 2000,
  sectionFields: 10,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  markdownText: 12000,
};
const BLOCK_TYPES = new Set([
  'actions',
  'context',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'video',
]);

/**
 * Reads `blocks` as sent (a JSON string in form bodies, an array in JSON bodies), checks the limits
 * above, and returns them as Slack stores them: every block gets a `block_id` when it has none.
 */
export function parseBlocks(raw: unknown): Json[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  let blocks: unknown = raw;
  if (typeof raw === 'string') {
    try {
      blocks = JSON.parse(raw);
    } catch {
      throw new SlackApiError('invalid_blocks_format');
    }
  }
  if (!Array.isArray(blocks)) throw new SlackApiError('invalid_blocks_format');
  const problems: Problem[] = [];
  if (blocks.length > MAX_BLOCKS) {
    problems.push({ pointer: '/blocks', message: `must contain at most ${MAX_BLOCKS} items` });
  }
  const seenIds = new Set<string>();
  blocks.forEach((block, index) => {
    checkBlock(block, `/blocks/${index}`, problems);
    const id = (block as Json)?.block_id;
    if (typeof id === 'string') {
      if (seenIds.has(id))
        problems.push({ pointer: `/blocks/${index}/block_id`, message: 'duplicate block_id' });
      seenIds.add(id);
    }
  });
  if (problems.length > 0) throw invalidBlocks(problems);
  return (blocks as Json[]).map((block) => ({
    ...block,
    block_id: typeof block.block_id === 'string' ? block.block_id : secret(2),
  }));
}

/** The button with this `action_id` and the block it sits in, or undefined. */
export function findButton(
  blocks: unknown[],
  actionId: string,
): { button: Json; blockId: string } | undefined {
  for (const block of blocks as Json[]) {
    const candidates = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory];
    for (const element of candidates as (Json | undefined)[]) {
      if (element?.type === 'button' && element.action_id === actionId) {
        return { button: element, blockId: String(block.block_id ?? '') };
      }
    }
  }
  return undefined;
}

function checkBlock(block: unknown, at: string, problems: Problem[]): void {
  if (!isObject(block) || typeof block.type !== 'string') {
    problems.push({ pointer: at, message: 'must be an object with a type' });
    return;
  }
  if (!BLOCK_TYPES.has(block.type)) {
    problems.push({ pointer: `${at}/type`, message: `unsupported type: ${block.type}` });
    return;
  }
  maxLength(block.block_id, LIMITS.blockId, `${at}/block_id`, problems);
  switch (block.type) {
    case 'section':
      if (block.text === undefined && block.fields === undefined) {
        problems.push({ pointer: at, message: 'must provide either text or fields' });
      }
      if (block.text !== undefined) checkText(block.text, LIMITS.sectionText, `${at}/text`, problems);
      if (Array.isArray(block.fields)) {
        if (block.fields.length > LIMITS.sectionFields) {
          problems.push({
            pointer: `${at}/fields`,
            message: `must contain at most ${LIMITS.sectionFields} items`,
          });
        }
        for (const [index, field] of block.fields.entries()) {
          checkText(field, LIMITS.sectionField, `${at}/fields/${index}`, problems);
        }
      }
      if (block.accessory !== undefined) checkElement(block.accessory, `${at}/accessory`, problems);
      break;
    case 'header':
      checkText(block.text, LIMITS.headerText, `${at}/text`, problems, 'plain_text');
      break;
    case 'markdown':
      if (typeof block.text !== 'string' || block.text === '') {
        problems.push({ pointer: `${at}/text`, message: 'must be a non-empty string' });
      } else {
        maxLength(block.text, LIMITS.markdownText, `${at}/text`, problems);
      }
      break;
    case 'context':
      checkElements(block.elements, LIMITS.contextElements, at, problems, false);
      break;
    case 'actions':
      checkElements(block.elements, LIMITS.actionsElements, at, problems, true);
      break;
  }
}

function checkElements(
  elements: unknown,
  max: number,
  at: string,
  problems: Problem[],
  interactive: boolean,
) {
  if (!Array.isArray(elements) || elements.length === 0) {
    problems.push({ pointer: `${at}/elements`, message: 'must contain at least 1 item' });
    return;
  }
  if (elements.length > max) {
    problems.push({ pointer: `${at}/elements`, message: `must contain at most ${max} items` });
  }
  const actionIds = new Set<string>();
  elements.forEach((element, index) => {
    if (!interactive) return;
    checkElement(element, `${at}/elements/${index}`, problems);
    const actionId = (element as Json)?.action_id;
    if (typeof actionId === 'string') {
      if (actionIds.has(actionId)) {
        problems.push({ pointer: `${at}/elements/${index}/action_id`, message: 'duplicate action_id' });
      }
      actionIds.add(actionId);
    }
  });
}

function checkElement(element: unknown, at: string, problems: Problem[]): void {
  if (!isObject(element) || typeof element.type !== 'string') {
    problems.push({ pointer: at, message: 'must be an object with a type' });
    return;
  }
  maxLength(element.action_id, LIMITS.actionId, `${at}/action_id`, problems);
  if (element.type !== 'button') return;
  checkText(element.text, LIMITS.buttonText, `${at}/text`, problems, 'plain_text');
  maxLength(element.value, LIMITS.buttonValue, `${at}/value`, problems);
  maxLength(element.url, LIMITS.url, `${at}/url`, problems);
  if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
    problems.push({ pointer: `${at}/style`, message: 'must be one of: primary, danger' });
  }
}

function checkText(text: unknown, max: number, at: string, problems: Problem[], only?: 'plain_text'): void {
  if (!isObject(text) || (text.type !== 'plain_text' && text.type !== 'mrkdwn')) {
    problems.push({ pointer: `${at}/type`, message: 'must be a text object (plain_text or mrkdwn)' });
    return;
  }
  if (only && text.type !== only) {
    problems.push({ pointer: `${at}/type`, message: `must be ${only}` });
  }
  if (typeof text.text !== 'string' || text.text === '') {
    problems.push({ pointer: `${at}/text`, message: 'must be more than 0 characters' });
    return;
  }
  maxLength(text.text, max, `${at}/text`, problems);
}

function maxLength(value: unknown, max: number, at: string, problems: Problem[]): void {
  if (typeof value === 'string' && value.length > max) {
    problems.push({ pointer: at, message: `must be less than ${max + 1} characters` });
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
