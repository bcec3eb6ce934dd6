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

/**
 * Samples this process's memory and remembers the peaks: resident memory and the V8 heap in use; and,
 * at the moment resident memory peaked, what it was made of (V8's heap, and memory outside it).
 */
export function trackPeakMemory(intervalMs = 100) {
  const peak = { rss: 0, heapUsed: 0, atPeakRss: process.memoryUsage(), peakAt: Date.now() };
  const sample = () => {
    const usage = process.memoryUsage();
    if (usage.rss > peak.rss) {
      peak.rss = usage.rss;
      peak.atPeakRss = usage;
      peak.peakAt = Date.now();
    }
    peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    /** `peakAt`: when the RSS peaked, by the wall clock, which another process can place among its own moments. */
    stop(): { rss: number; heapUsed: number; atPeakRss: NodeJS.MemoryUsage; peakAt: number } {
      clearInterval(timer);
      sample();
      return { ...peak };
    },
  };
}

/** A memory reading in MiB, for the results: V8's heap (reserved and in use) and what lies outside it. */
export function memoryMiB(usage: NodeJS.MemoryUsage) {
  const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
  return { rss: mib(usage.rss), heapTotal: mib(usage.heapTotal), heapUsed: mib(usage.heapUsed), external: mib(usage.external), arrayBuffers: mib(usage.arrayBuffers) };
}

/** The one-minute load average now: how busy the shared machine was (compare with the number of cores). */
export function loadAverage(): number {
  return round(os.loadavg()[0]);
}

export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
