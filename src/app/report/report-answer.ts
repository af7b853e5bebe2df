// The report's answer as the page reads it: the server's figures plus talk time, hold share,
// medians and lines (CONTRACT.md, "Talk time and lines"). Every page file takes these types from
// here, so a name the server spells differently is changed in this one file.
import type { Figures as HoldFigures, HoldRow as ServerHoldRow, Report as ServerReport } from '../../contract/api.ts';

/** What talk time adds to a row of figures (the totals, an operator, a line). */
export interface TalkFigures {
  /** Talk time of the calls whose talk time is known. */
  talkMs: number;
  /** heldMs / talkMs over the calls with a known talk time (4 decimals); null when no talk time is known. */
  holdShare: number | null;
  /** Median and 90th percentile of the ended holds' lengths; null when no hold ended. */
  medianHeldMs: number | null;
  p90HeldMs: number | null;
  /** Calls whose talk time is unknown: counted apart, never in the share. */
  callsWithoutTalk: number;
}

export type Figures = HoldFigures & TalkFigures;

/** One line's figures (`lineNumber` null: calls whose line is unknown). */
export interface LineRow extends Omit<Figures, 'callsWithHolds' | 'longestHeldMs'> {
  lineNumber: string | null;
}

/** How exact the median and p90 are: within `absMs` or `relative` of the value, whichever is larger. */
export interface QuantileAccuracy {
  absMs: number;
  relative: number;
}

export interface Report extends Omit<ServerReport, 'totals' | 'operators'> {
  /** The line every figure is narrowed to; null: every line. */
  lineNumber: string | null;
  totals: Figures;
  operators: (Figures & { userId: number })[];
  lines: LineRow[];
  quantileAccuracy: QuantileAccuracy;
}

/** A hold of the list; `talkMs` is its call's talk time when the server knows it. */
export type HoldRow = ServerHoldRow & { talkMs?: number | null };
