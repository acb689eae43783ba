import type { GenerateProgress } from '../model/index.ts';
import { formatMs } from './format-units.ts';

/** Where progress goes: stderr, or a fake of it in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Shows generation progress; `done` ends the line so later output starts on a fresh one. */
export interface ProgressLine {
  step(progress: GenerateProgress): void;
  status(text: string): void;
  done(): void;
}

/** "step 3/12 · tier low · 0.4 s elapsed · ETA 1.2 s" */
export function describeProgress(p: GenerateProgress): string {
  return `step ${p.step}/${p.totalSteps} · tier ${p.tier} · ${formatMs(p.elapsedMs)} elapsed · ETA ${formatMs(p.etaMs)}`;
}

/**
 * On a terminal, one line rewritten in place (carriage return, erase line), cut to the terminal's
 * width so it never wraps; elsewhere (CI logs, files) one line per update, which is what a log
 * reader wants.
 */
export function createProgressLine(stream: ProgressStream): ProgressLine {
  let open = false;
  const show = (text: string) => {
    if (!stream.isTTY) {
      stream.write(`${text}\n`);
      return;
    }
    const width = stream.columns && stream.columns > 1 ? stream.columns - 1 : text.length;
    stream.write(`\r\x1b[2K${text.slice(0, width)}`);
    open = true;
  };
  return {
    step: (progress) => show(describeProgress(progress)),
    status: show,
    done() {
      if (open) stream.write('\n');
      open = false;
    },
  };
}
