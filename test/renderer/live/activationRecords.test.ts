import { describe, expect, it } from 'vitest';
import { histogramsByLayer } from '../../../src/renderer/src/charts/activationRecords';

describe('histogramsByLayer', () => {
  it('groups histograms by layer in layer order and leaves error records out', () => {
    const out = histogramsByLayer([
      { step: 1, data: { layer: 3, unit: 7, edges: [0, 1, 2], counts: [1, 1] } },
      { step: 1, data: { layer: 1, unit: 2, edges: [0, 1], counts: [4] } },
      { step: 2, data: { layer: 3, unit: 7, count: 10, error: 'non-finite pre-activations' } },
      { step: 3, data: { layer: 3, unit: 7, edges: [1, 2, 3], counts: [0, 5] } },
      { step: 4, data: { error: 'no layer' } },
    ]);
    expect(out.map((l) => l.layer)).toEqual([1, 3]);
    expect(out[1]).toEqual({
      layer: 3,
      unit: 7,
      histograms: [
        { step: 1, edges: [0, 1, 2], counts: [1, 1] },
        { step: 3, edges: [1, 2, 3], counts: [0, 5] },
      ],
    });
  });
});
