// Timing for shared, noisy machines: interleaved rounds, per-operation samples, medians and ratios to a baseline.
export interface Case {
  name: string;
  /** One operation; its duration is one sample. The index picks the input (different rows each time). */
  run(i: number): unknown;
}

export interface Stats {
  name: string;
  samples: number;
  medianUs: number;
  p95Us: number;
  p99Us: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[pos]!;
}

/**
 * Runs every case `perRound` times per round, round after round, so a burst of load from a neighbour hits all
 * cases alike instead of the one that happened to be running. A warm-up round is discarded.
 */
export async function measure(cases: Case[], rounds: number, perRound: number): Promise<Map<string, Stats>> {
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  let counter = 0;
  for (let round = -1; round < rounds; round += 1) {
    for (const c of cases) {
      const into = samples.get(c.name)!;
      for (let k = 0; k < perRound; k += 1) {
        const i = counter++;
        const start = process.hrtime.bigint();
        const out = c.run(i);
        if (out instanceof Promise) await out;
        const us = Number(process.hrtime.bigint() - start) / 1000;
        if (round >= 0) into.push(us);
      }
    }
  }
  const stats = new Map<string, Stats>();
  for (const [name, list] of samples) stats.set(name, summarize(name, list));
  return stats;
}

/** Median, p95 and p99 of samples in µs. */
export function summarize(name: string, samplesUs: number[]): Stats {
  const sorted = [...samplesUs].sort((a, b) => a - b);
  return { name, samples: sorted.length, medianUs: quantile(sorted, 0.5), p95Us: quantile(sorted, 0.95), p99Us: quantile(sorted, 0.99) };
}

export function fmtUs(us: number): string {
  return us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(us < 10 ? 1 : 0)} µs`;
}

export function fmtRatio(r: number): string {
  return r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2);
}
