/**
 * ECharts with only what the live charts use (tree-shaken): line and custom series, grid, tooltip,
 * legend, inside data zoom, mark lines; the canvas renderer.
 */
import { init, use, type EChartsType } from 'echarts/core';
import { CustomChart, LineChart } from 'echarts/charts';
import {
  DataZoomInsideComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([
  LineChart,
  CustomChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomInsideComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

export function createChart(element: HTMLElement): EChartsType {
  return init(element, undefined, { renderer: 'canvas' });
}

export type { EChartsType };
