import cliProgress from 'cli-progress';

/** How far a long command has gone, with the values its line shows. */
export type ProgressOutput<Values> = {
  update(percent: number, values: Values): void;
  stop(): void;
};

/**
 * A progress bar on a terminal. Written to a log (a script's, or cron's mail), a bar would be redrawn
 * characters, or nothing at all: there, a line at each tenth of the way instead, so that the log says how
 * far the command went and when.
 */
export function progressOutput<Values extends Record<string, string>>(
  barFormat: string,
  line: (percent: number, values: Values) => string,
  terminal = Boolean(process.stderr.isTTY),
): ProgressOutput<Values> {
  if (terminal) {
    const bar = new cliProgress.SingleBar({ format: barFormat, hideCursor: true }, cliProgress.Presets.shades_classic);
    let started = false;
    return {
      update(percent, values) {
        if (started) bar.update(percent, values);
        else bar.start(100, percent, values);
        started = true;
      },
      stop: () => bar.stop(),
    };
  }
  let tenthsShown = -1;
  return {
    update(percent, values) {
      const tenths = Math.floor(percent / 10);
      if (tenths <= tenthsShown) return;
      tenthsShown = tenths;
      console.log(`${new Date().toISOString().slice(0, 19).replace('T', ' ')} UTC  ${line(percent, values)}`);
    },
    stop: () => undefined,
  };
}
