import type { Arm } from '../../core/arm.js';
import type { ChartDecisionMarker } from '../report-series.js';

/** A line's look: color and SVG dash pattern (null = solid), so arms differ in grayscale too. */
export interface LineLook {
  readonly color: string;
  readonly dash: readonly number[] | null;
}

/** Stable is a neutral blue-grey, canary an orange drawn dashed; the same in every chart. */
export const ARM_LOOK: Readonly<Record<Arm, LineLook>> = {
  stable: { color: '#4a6785', dash: null },
  canary: { color: '#d9730d', dash: [6, 3] },
};

/** Decision marker colors: rollback red, promote green, increase blue, hold grey. */
export const ACTION_LOOK: Readonly<Record<ChartDecisionMarker['action'], LineLook>> = {
  rollback: { color: '#b42318', dash: null },
  promote: { color: '#1a7f37', dash: null },
  increase: { color: '#1f6feb', dash: [5, 3] },
  hold: { color: '#6e7781', dash: [2, 3] },
};

/** System fonts only (no web font); unquoted names, so it fits in an SVG `style` attribute. */
export const FONT_FAMILY =
  'system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif';

export const TEXT_COLOR = '#1d2530';
export const MUTED_COLOR = '#5b6675';
export const GRID_COLOR = '#e3e7ec';
export const FONT_SIZE = 12;

/** Default viewBox size, px; the SVG scales to its container's width. */
export const DEFAULT_WIDTH = 800;
export const DEFAULT_HEIGHT = 300;
