/**
 * ECharts for the bulletin's charts, tree-shaken to what they draw, on the SVG renderer (crisp when printed;
 * unit names stay text). `window.__chartOption(testid)` returns what a chart's instance draws, so a browser
 * test can hold the chart against the table it illustrates.
 */
import { getInstanceByDom, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';

use([SVGRenderer, BarChart, LineChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent]);

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

export const AXIS_FONT = { fontSize: 12, fontFamily: '"Noto Sans SC", sans-serif' };
