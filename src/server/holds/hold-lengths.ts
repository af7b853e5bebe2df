// Medians and the 90th percentile of hold lengths from histograms, so a report over months adds up a
// few thousand sums instead of reading every hold. The bins are the database's hold_relay_bin
// (migration 010): 2 s wide below 20 s, then each 9% wider than the one before. A hold is read as
// the middle of its bin, never more than 1 s (below 20 s) or 4.5% (above) from its length; a bin
// that holds one hold gives its exact length (the histogram adds up the lengths too).
//
// A quantile is taken as PostgreSQL's percentile_cont takes it: the median of an even number of
// holds is the mean of the two middle ones, and a quantile between two holds is interpolated. Each
// hold it reads is within 1 s or 5% of its length, whichever is larger; so is the result, short of
// interpolating between two holds on either side of 20 s.

/** How exact medianHeldMs and p90HeldMs are, as the report states it: within the larger of the two. */
export const QUANTILE_ACCURACY = { absMs: 1000, relative: 0.05 } as const;

const LINEAR_BINS = 10;
const LINEAR_WIDTH_MS = 2000;
const GEOMETRIC_FROM_MS = 20_000;
const GROWTH = 1.09;

/** The middle of a bin, in milliseconds. */
export function binMiddleMs(bin: number): number {
  if (bin < LINEAR_BINS) return bin * LINEAR_WIDTH_MS + LINEAR_WIDTH_MS / 2;
  const low = GEOMETRIC_FROM_MS * GROWTH ** (bin - LINEAR_BINS);
  return (low * (1 + GROWTH)) / 2;
}

/** Hold lengths binned: how many holds each bin has, and their lengths added up. */
export interface Histogram {
  counts: number[];
  sumsMs: number[];
}

export const emptyHistogram = (): Histogram => ({ counts: [], sumsMs: [] });

/** Adds a histogram as the database keeps it (the bins that have holds, their holds, their lengths). */
export function addHistogram(
  into: Histogram,
  bins: readonly number[],
  holds: readonly number[],
  lengthsMs: readonly number[],
): void {
  for (let i = 0; i < bins.length; i++) {
    const bin = bins[i] ?? 0;
    into.counts[bin] = (into.counts[bin] ?? 0) + (holds[i] ?? 0);
    into.sumsMs[bin] = (into.sumsMs[bin] ?? 0) + (lengthsMs[i] ?? 0);
  }
}

/** The length of the rank-th shortest hold (0-based) as the histogram tells it. */
function lengthAt(h: Histogram, rank: number): number {
  let seen = 0;
  for (let bin = 0; bin < h.counts.length; bin++) {
    const n = h.counts[bin] ?? 0;
    seen += n;
    if (seen > rank) return n === 1 ? (h.sumsMs[bin] ?? 0) : binMiddleMs(bin);
  }
  return 0;
}

/** The q-quantile (0..1) of the hold lengths, in whole ms, never above the longest hold; null when there is none. */
export function quantileMs(h: Histogram, q: number, longestMs: number): number | null {
  const total = h.counts.reduce((sum, n) => sum + (n ?? 0), 0);
  if (total === 0) return null;
  const position = q * (total - 1);
  const below = Math.floor(position);
  const low = lengthAt(h, below);
  const value = below + 1 < total && position > below ? low + (lengthAt(h, below + 1) - low) * (position - below) : low;
  return Math.round(Math.min(value, longestMs));
}
