// The figures of one group of the period report (an operator, a line, everyone), from the rows of
// report-sums.ts: counts and times added up, the average and hold share worked out, the median and
// 90th percentile read from the hold-length histograms (hold-lengths.ts).
import type { Figures, LineFigures } from '../../contract/api.ts';
import { addHistogram, emptyHistogram, quantileMs } from './hold-lengths.ts';

export interface HoldRow {
  user_id: number;
  line_number: string;
  holds: number;
  ended: number;
  held_ms: number;
  longest_ms: number;
  ended_with_call: number;
  /** A histogram (hold-lengths.ts) as comma-separated lists: its bins, their holds and lengths; null when empty. */
  held_bins: string | null;
  held_bin_holds: string | null;
  held_bin_ms: string | null;
}

const numbers = (list: string | null): number[] => (list ? list.split(',').map(Number) : []);

/** A row's histogram as the database keeps it (the bins that have holds, their holds, their lengths). */
export interface BinLists {
  bins: number[];
  holds: number[];
  lengthsMs: number[];
}

/** A histogram's lists, as report-sums.ts gives them. */
export type HistogramRow = Pick<HoldRow, 'held_bins' | 'held_bin_holds' | 'held_bin_ms'>;

/** Reads a row's histogram lists once (a month's rows carry hundreds of thousands of numbers), for every group it adds to. */
export const binListsOf = (row: HistogramRow): BinLists => ({
  bins: numbers(row.held_bins),
  holds: numbers(row.held_bin_holds),
  lengthsMs: numbers(row.held_bin_ms),
});

export interface CallRow {
  user_id: number;
  line_number: string;
  calls: number;
  calls_with_holds: number;
  talked: number;
  talk_ms: number;
  talk_held_ms: number;
}

/** What the figures of a group (an operator, a line, everyone) are made of. */
export class Sums {
  calls = 0;
  callsWithHolds = 0;
  talked = 0;
  talkMs = 0;
  talkHeldMs = 0;
  holds = 0;
  ended = 0;
  heldMs = 0;
  longestMs = 0;
  endedWithCall = 0;
  lengths = emptyHistogram();

  addHolds(row: HoldRow, lists: BinLists): void {
    this.holds += row.holds;
    this.ended += row.ended;
    this.heldMs += row.held_ms;
    this.longestMs = Math.max(this.longestMs, row.longest_ms);
    this.endedWithCall += row.ended_with_call;
    this.addLengths(lists);
  }

  addLengths(lists: BinLists): void {
    addHistogram(this.lengths, lists.bins, lists.holds, lists.lengthsMs);
  }

  addCalls(row: CallRow): void {
    this.calls += row.calls;
    this.callsWithHolds += row.calls_with_holds;
    this.talked += row.talked;
    this.talkMs += row.talk_ms;
    this.talkHeldMs += row.talk_held_ms;
  }

  get empty(): boolean {
    return this.holds + this.calls + this.callsWithHolds === 0;
  }

  figures(): Figures {
    return {
      calls: this.calls,
      callsWithHolds: this.callsWithHolds,
      holds: this.holds,
      heldMs: this.heldMs,
      // Half away from zero, as PostgreSQL's round.
      avgHeldMs: this.ended === 0 ? 0 : Math.round(this.heldMs / this.ended),
      longestHeldMs: this.longestMs,
      endedWithCall: this.endedWithCall,
      talkMs: this.talkMs,
      holdShare:
        this.talked === 0 || this.talkMs === 0 ? null : Math.round((this.talkHeldMs / this.talkMs) * 10_000) / 10_000,
      callsWithoutTalk: this.calls - this.talked,
      medianHeldMs: quantileMs(this.lengths, 0.5, this.longestMs),
      p90HeldMs: quantileMs(this.lengths, 0.9, this.longestMs),
    };
  }
}

export function lineFigures(lineNumber: string, sums: Sums): LineFigures {
  const { callsWithHolds: _withHolds, longestHeldMs: _longest, ...rest } = sums.figures();
  return { lineNumber: lineNumber === '' ? null : lineNumber, ...rest };
}
