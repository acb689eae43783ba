/**
 * A short, conservative starting list of terms no clip should be made from: sexual violence,
 * sexual content involving children or animals, and urging self-harm. Whole words only, so
 * "grapes" and "therapist" pass. Operators configure the real list; tenants add their own terms.
 */
export const DEFAULT_BLOCKLIST: readonly string[] = [
  'rape',
  'raped',
  'raping',
  'rapist',
  'sexual assault',
  'child porn',
  'child pornography',
  'csam',
  'lolicon',
  'shotacon',
  'bestiality',
  'zoophilia',
  'necrophilia',
  'snuff film',
  'kill yourself',
  'kys',
];
