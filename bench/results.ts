import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

/** Writes a benchmark's figures, with the machine they were measured on, to bench/results/<name>-<time>.json. */
export function writeBenchResult(name: string, figures: Record<string, unknown>): string {
  fs.mkdirSync(resultsDir, { recursive: true });
  const measuredAt = new Date().toISOString();
  const file = path.join(resultsDir, `${name}-${measuredAt.replace(/[:.]/g, '-')}.json`);
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    nodeOptions: process.env.NODE_OPTIONS ?? null,
  };
  fs.writeFileSync(file, `${JSON.stringify({ name, measuredAt, machine, ...figures }, null, 2)}\n`);
  console.log(`Results written to ${path.relative(process.cwd(), file)}`);
  return file;
}

/** The p-th percentile (0-100) of a list of durations. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/** Samples this process's resident memory and remembers the peak. */
export function trackPeakMemory(intervalMs = 100) {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, intervalMs);
  timer.unref();
  return {
    stop(): number {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return peak;
    },
  };
}
