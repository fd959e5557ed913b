// A progress bar for long runs, on a terminal only: events done, events/s and, when the total is
// known, the share done and the time left. Redrawn at most ten times a second; silent on a pipe.

export interface Progress {
  tick(): void;
  done(): void;
}

const SILENT: Progress = { tick: () => undefined, done: () => undefined };
const WIDTH = 30;

export function progressBar(out: NodeJS.WriteStream, total: number | undefined, label: string): Progress {
  if (!out.isTTY) return SILENT;
  const started = Date.now();
  let count = 0;
  let drawn = 0;
  const draw = () => {
    const now = Date.now();
    drawn = now;
    const rate = count / Math.max((now - started) / 1000, 0.001);
    let line = `${label} ${count.toLocaleString('en')} events  ${Math.round(rate).toLocaleString('en')} events/s`;
    if (total) {
      const share = Math.min(count / total, 1);
      const filled = Math.round(share * WIDTH);
      const eta = rate > 0 ? Math.ceil((total - count) / rate) : 0;
      line = `${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${count.toLocaleString('en')}/${total.toLocaleString('en')}  ${Math.round(rate).toLocaleString('en')} events/s  ETA ${eta} s`;
    }
    out.write(`\r${line}\x1b[K`);
  };
  return {
    tick() {
      count++;
      // Reading the clock every event would cost more than the bar is worth.
      if ((count & 1023) === 0 && Date.now() - drawn >= 100) draw();
    },
    done() {
      draw();
      out.write('\n');
    },
  };
}
