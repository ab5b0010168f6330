import { describe, expect, it } from 'vitest';
import { makeDlnTask } from '../../../../src/main/engine/data/dlnTask';

describe('makeDlnTask', () => {
  it('has the shapes of PAPER.md section 2 and y = A x for every sample', () => {
    const task = makeDlnTask(3, 1000, 10);
    expect(task.x.length).toBe(10_000);
    expect(task.y.length).toBe(10_000);
    expect(task.a.length).toBe(100);
    for (const i of [0, 1, 500, 999]) {
      for (let r = 0; r < 10; r++) {
        let sum = 0;
        for (let c = 0; c < 10; c++) sum += (task.a[r * 10 + c] ?? NaN) * (task.x[i * 10 + c] ?? NaN);
        expect(task.y[i * 10 + r]).toBeCloseTo(sum, 4);
      }
    }
  });

  it('draws x and A from N(0, 1)', () => {
    const task = makeDlnTask(1, 5000, 10);
    const moments = (v: Float32Array): [number, number] => {
      let s = 0;
      let s2 = 0;
      for (const z of v) {
        s += z;
        s2 += z * z;
      }
      return [s / v.length, s2 / v.length];
    };
    const [mx, m2x] = moments(task.x);
    expect(Math.abs(mx)).toBeLessThan(0.03); // 4 standard errors of a 50,000-sample mean
    expect(Math.abs(m2x - 1)).toBeLessThan(0.06);
    const [ma, m2a] = moments(task.a);
    expect(Math.abs(ma)).toBeLessThan(0.4);
    expect(Math.abs(m2a - 1)).toBeLessThan(0.6);
  });

  it('is a function of the seed', () => {
    expect(makeDlnTask(9, 50, 10)).toEqual(makeDlnTask(9, 50, 10));
    const other = makeDlnTask(10, 50, 10);
    expect(other.x).not.toEqual(makeDlnTask(9, 50, 10).x);
    expect(other.a).not.toEqual(makeDlnTask(9, 50, 10).a);
    // A does not depend on the sample count, and x's first rows do not either.
    expect(makeDlnTask(9, 20, 10).a).toEqual(makeDlnTask(9, 50, 10).a);
    expect(makeDlnTask(9, 20, 10).x).toEqual(makeDlnTask(9, 50, 10).x.subarray(0, 200));
  });
});
