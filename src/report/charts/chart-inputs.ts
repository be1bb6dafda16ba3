import type { Arm } from '../../core/arm.js';
import type { ReportQuantiles, ReportReturnSeries } from '../report-series.js';

/** Each arm's return series; a missing or null arm is drawn as "no data". */
export type ArmReturnSeries = Readonly<Partial<Record<Arm, ReportReturnSeries | null>>>;

/** Each arm's distribution as quantiles; a missing or null arm is drawn as "no data". */
export type ArmQuantiles = Readonly<Partial<Record<Arm, ReportQuantiles | null>>>;
