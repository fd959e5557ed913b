// Memory of a running child process, for the bench scripts: polls /proc/PID/status (Linux) and
// keeps its peak RSS (VmHWM), its peak private memory (RssAnon: RSS less the pages of files it maps,
// which are the page cache's) and its RSS over time (VmRSS), in kB.
import { readFileSync } from 'node:fs';

/**
 * Starts polling `pid` every `ms`; `stop()` ends it and gives what was seen. A process that has
 * gone, or a system without /proc, leaves the last readings standing.
 */
export function watchMemory(pid, ms) {
  let peakKb = 0;
  let peakAnonKb = 0;
  const rssKb = [];
  const poll = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      peakAnonKb = Math.max(peakAnonKb, Number(/RssAnon:\s+(\d+)/.exec(status)?.[1] ?? 0));
      const rss = /VmRSS:\s+(\d+)/.exec(status);
      if (rss) rssKb.push(Number(rss[1]));
    } catch {
      // Gone already, or no /proc here.
    }
  }, ms);
  return {
    stop() {
      clearInterval(poll);
      return { peakKb, peakAnonKb, rssKb };
    },
  };
}
