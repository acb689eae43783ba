// The clipbot command's process edge: wires argv, stdio and Ctrl-C into runCli and sets the exit code.
import { runCli } from './run-cli.ts';

const controller = new AbortController();
process.on('SIGINT', () => {
  // A second Ctrl-C means "now": skip the clean stop.
  if (controller.signal.aborted) process.exit(130);
  process.stderr.write('\ncancelling (Ctrl-C again to quit at once)\n');
  controller.abort(new Error('interrupted by SIGINT'));
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
