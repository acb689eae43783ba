/** A stdout/stderr stand-in that keeps what was written; `isTTY` picks the progress style. */
export class CapturedOutput {
  readonly chunks: string[] = [];

  constructor(
    readonly isTTY = false,
    readonly columns = 80,
  ) {}

  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }

  get text(): string {
    return this.chunks.join('');
  }
}
