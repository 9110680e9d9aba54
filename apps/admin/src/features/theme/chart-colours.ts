'use client';

import { useTheme } from './theme';

export interface ChartColours {
  grid: string;
  axis: string;
  text: string;
  line: string;
  tooltipBackground: string;
  tooltipBorder: string;
}

const LIGHT: ChartColours = { grid: '#d0d7de', axis: '#57606a', text: '#1f2328', line: '#0550ae', tooltipBackground: '#ffffff', tooltipBorder: '#d0d7de' };
const DARK: ChartColours = { grid: '#30363d', axis: '#9198a1', text: '#e6edf3', line: '#58a6ff', tooltipBackground: '#161b22', tooltipBorder: '#30363d' };

/** Grid, axis and line colours of the charts for the theme in force (recharts takes colours, not CSS variables). */
export function useChartColours(): ChartColours {
  return useTheme() === 'dark' ? DARK : LIGHT;
}
