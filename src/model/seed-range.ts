/**
 * The largest seed a request may give (seeds are unsigned 32-bit: 0 to 4294967295). The one place
 * the range is written: the /video definition, admission, the CLI and the pipeline read it here.
 */
export const SEED_MAX = 0xffffffff;
