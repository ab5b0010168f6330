/**
 * What the figure charts need of ECharts beyond the live charts' set (charts/echartsSetup.ts, whose
 * createChart they use): plotOption's panel titles, caption and end markers (title, graphic, mark
 * points), scatter series, the linked cursor (axis pointer) and the drag-select zoom (brush, with
 * the hidden toolbox it needs).
 * Registration is global to echarts/core, so importing this module once is enough.
 */
import { use } from 'echarts/core';
import { CustomChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  AxisPointerComponent,
  BrushComponent,
  DataZoomInsideComponent,
  GraphicComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  ToolboxComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([
  LineChart,
  CustomChart,
  ScatterChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomInsideComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  GraphicComponent,
  AxisPointerComponent,
  BrushComponent,
  // The brush always declares toolbox buttons; the option hides the toolbox (chartZoom.ts).
  ToolboxComponent,
  CanvasRenderer,
]);

export { createChart, type EChartsType } from '../../charts/echartsSetup';
