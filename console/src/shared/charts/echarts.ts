/**
 * ECharts for every chart of the console (the leaders' board, the bulletins), tree-shaken to what they draw, on
 * the SVG renderer: crisp when printed, unit names stay text, and the text uses the console's shipped font — a
 * canvas would draw with the machine's sans-serif, which on an office PC without CJK fonts is empty boxes. `window.__chartOption(testid)` returns what a chart's instance draws, so a browser
 * test can hold the chart against the table it illustrates.
 */
import { getInstanceByDom, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { BarChart, HeatmapChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';

use([SVGRenderer, BarChart, LineChart, HeatmapChart, PieChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent]);

declare global {
  interface Window {
    __chartOption?: (testid: string) => unknown;
  }
}
window.__chartOption = (testid: string) => {
  const host = document.querySelector(`[data-testid="${testid}"] .echarts-host`);
  const chart = host instanceof HTMLElement ? getInstanceByDom(host) : undefined;
  return chart ? JSON.parse(JSON.stringify(chart.getOption())) : null;
};

export const CHART_FONT_FAMILY = '"Noto Sans SC", sans-serif';
export const AXIS_FONT = { fontSize: 12, fontFamily: CHART_FONT_FAMILY };
/** Spread into a chart's option: every text it draws (labels, axes, legend, tooltip) in the shipped font. */
export const CHART_TEXT = { textStyle: { fontFamily: CHART_FONT_FAMILY } };
