/** Token ids and attention mask for one prompt, padded to the model's fixed length. */
export interface TokenizedText {
  ids: BigInt64Array;
  mask: Float32Array;
  /** Words of the prompt the vocabulary does not know: ignored, never an error. */
  unknown: string[];
}

export interface WordTokenizerOptions {
  maxLength: number;
  padId: number;
  bosId: number;
  lowercase: boolean;
}

/** Splits on anything that is not a letter, maps known words to ids, drops unknown ones. */
export class WordTokenizer {
  private readonly index: Map<string, number>;

  constructor(
    vocab: readonly string[],
    private readonly options: WordTokenizerOptions,
  ) {
    this.index = new Map(vocab.map((word, id) => [word, id]));
  }

  encode(text: string): TokenizedText {
    const { maxLength, padId, bosId, lowercase } = this.options;
    const words = (lowercase ? text.toLowerCase() : text).match(/[a-z]+/gi) ?? [];
    const ids = [bosId];
    const unknown: string[] = [];
    for (const word of words) {
      const id = this.index.get(word);
      if (id === undefined) unknown.push(word);
      else if (ids.length < maxLength) ids.push(id);
    }
    const out = new BigInt64Array(maxLength).fill(BigInt(padId));
    const mask = new Float32Array(maxLength);
    ids.forEach((id, i) => {
      out[i] = BigInt(id);
      mask[i] = 1;
    });
    return { ids: out, mask, unknown };
  }
}
