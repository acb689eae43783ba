import type { AttachedImage } from '../../src/core/index.ts';

/**
 * The value types an option can take; each is one Discord option type. An `image` is a picture
 * attached to the command (Discord: an ATTACHMENT option); in text, the platform reads what was
 * typed as a reference to a file of its own (a Slack file's link), or refuses it.
 */
export const OPTION_TYPES = ['string', 'integer', 'number', 'boolean', 'image'] as const;

/** One of {@link OPTION_TYPES}. */
export type OptionType = (typeof OPTION_TYPES)[number];

/** A parsed option value: an `image` option's is the attached picture, not read yet. */
export type OptionValue = string | number | boolean | AttachedImage;

/** Parsed option values by option name: only names the definition has, each of its option's type. */
export type OptionValues = Readonly<Record<string, OptionValue>>;

/**
 * What an option is without the model: name, value type, description and the bounds that hold for
 * every model (the seed's range, a prompt's length). Enough for the CLI, which parses its flags
 * before any manifest is read.
 */
export interface OptionShape {
  /** Lowercase, 1–32 letters, digits, `-` or `_` (Discord's rule). */
  readonly name: string;
  readonly type: OptionType;
  /** 1–100 characters (Discord's limit), no trailing period. */
  readonly description: string;
  readonly required?: boolean;
  /** Smallest value of an `integer` or `number` option. */
  readonly min?: number;
  /** Largest value of an `integer` or `number` option. */
  readonly max?: number;
  /** Fewest characters of a `string` option. */
  readonly minLength?: number;
  /** Most characters of a `string` option. */
  readonly maxLength?: number;
}

/** One value a `string` option may take; `label` is what Discord's picker shows (default: `value`). */
export interface OptionChoice {
  readonly value: string;
  readonly label?: string;
}

/** An option as the command offers it with a model loaded: its shape plus default and choices. */
export interface CommandOption extends OptionShape {
  /** What an absent option means; informational (help, Discord): the use case applies defaults. */
  readonly default?: OptionValue;
  /** The only values a `string` option accepts. */
  readonly choices?: readonly OptionChoice[];
}

/**
 * One chat command, as data: everything the text grammar, the help text, Discord's command JSON,
 * the CLI's flags and admission's ranges are derived from.
 */
export interface CommandDefinition {
  /** Lowercase, as typed after `/`. */
  readonly name: string;
  /** 1–100 characters. */
  readonly description: string;
  readonly options: readonly CommandOption[];
  /**
   * The option a text command's free words fill (`/video a red ball` → prompt "a red ball"); it is
   * never written as `--name` in text. Unset: the command takes no free words.
   */
  readonly positional?: string;
  /** A typical use, shown in the help text. */
  readonly example?: string;
  /**
   * Who may see the command by default: `manage-guild`, members who may manage the server (Discord:
   * `default_member_permissions`; server admins can widen it). It only hides the command: the core
   * still checks the member's rights on every use. Unset: everyone.
   */
  readonly memberPermissions?: 'manage-guild';
  /** Offered in servers only, not in DMs with the bot (Discord: `contexts: [0]`). Unset: both. */
  readonly guildOnly?: true;
  /**
   * Its answer is text for the asker alone, returned by `execute` (Discord: an ephemeral reply, so
   * the adapter defers it ephemeral). Unset: the command answers through its reply target.
   */
  readonly privateAnswer?: true;
  /**
   * Verbs of the command (`/video-schedule add …`, `/video-schedule list`), each with its own
   * options and free words; the command's own `options` are then empty. Discord shows them as
   * SUB_COMMAND options; in text the verb is the first word after the command's name.
   */
  readonly subcommands?: readonly SubcommandDefinition[];
}

/** One verb of a command: its name (lowercase, Discord's rule), what it does, its options. */
export interface SubcommandDefinition {
  readonly name: string;
  /** 1–100 characters. */
  readonly description: string;
  readonly options: readonly CommandOption[];
  /** The option its free words fill, as for a command. */
  readonly positional?: string;
}
