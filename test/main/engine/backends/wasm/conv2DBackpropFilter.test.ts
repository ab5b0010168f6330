import '../../../../../src/main/engine/tf/registerGradients';
import { afterEach, describe, it } from 'vitest';
import { setFilterGradPlanner } from '../../../../../src/main/engine/backends/wasm/conv2DBackpropFilter';
import type { FilterGradPlan } from '../../../../../src/main/engine/backends/wasm/conv2DBackpropFilter';
import { CONV_CASES, caseName } from './convCases';
import { convGradient, expectSameOnWasmAsCpu } from './compareWithCpu';

describe('Conv2DBackpropFilter on wasm agrees with cpu', () => {
  afterEach(() => setFilterGradPlanner(undefined));

  for (const c of CONV_CASES) {
    it(`default plan, ${caseName(c)}`, async () => {
      await expectSameOnWasmAsCpu(convGradient(c, 'filter'));
    });
  }

  const plans: FilterGradPlan[] = [
    { method: 'conv', chunks: 1 },
    { method: 'conv', chunks: 3 },
    { method: 'tall', chunks: 1 },
    { method: 'tall', chunks: 3 },
    { method: 'im2col', chunks: 1 },
    { method: 'im2col', chunks: 3 },
  ];
  const planCases = CONV_CASES.filter((c) => c.x[0] === 3 && c.filter[0] !== 1);
  for (const plan of plans) {
    it(`plan ${JSON.stringify(plan)} on ${planCases.length} geometries`, async () => {
      setFilterGradPlanner(() => plan);
      for (const c of planCases) await expectSameOnWasmAsCpu(convGradient(c, 'filter'));
    });
  }
});
