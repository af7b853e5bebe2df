// The report's answer as the page reads it (CONTRACT.md, "Talk time and lines"; typed once in
// src/contract/api.ts): every page file takes these types from here.
import type { Figures, HoldRow, LineFigures, Report } from '../../contract/api.ts';

export type { Figures, HoldRow, Report };
/** One line's figures (`lineNumber` null: calls whose line is unknown). */
export type LineRow = LineFigures;
/** How exact the median and p90 are: within `absMs` or `relative` of the value, whichever is larger. */
export type QuantileAccuracy = Report['quantileAccuracy'];
