import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackends, initBackend, releaseBackends } from '../../../../src/main/engine/backends';
import type { BackendReport } from '../../../../src/main/engine/backends';

let reports: BackendReport[];

beforeAll(async () => {
  await initBackend('cpu');
  reports = await describeBackends();
});

afterAll(() => {
  releaseBackends();
});

const report = (name: string): BackendReport => {
  const r = reports.find((x) => x.name === name);
  if (!r) throw new Error(`no report for ${name}`);
  return r;
};

describe('describeBackends', () => {
  it('lists all five backends in auto order, cpu last', () => {
    expect(reports.map((r) => r.name)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
  });

  it('reports the absent tfjs-node packages as unavailable, with the reason and the fix', () => {
    for (const name of ['tensorflow', 'tensorflow-gpu']) {
      const r = report(name);
      expect(r.available).toBe(false);
      expect(r.reason).toMatch(/not installed.*npm install/);
      expect(r.device).toBeUndefined();
    }
    expect(report('tensorflow-gpu').versions['@tensorflow/tfjs-node-gpu']).toBe('not installed');
  });

  it('reports webgpu, wasm and cpu as able to train here, each with its device', () => {
    for (const name of ['webgpu', 'wasm', 'cpu']) {
      const r = report(name);
      expect(r.reason).toBeUndefined();
      expect(r.available).toBe(true);
      expect(r.device?.length).toBeGreaterThan(0);
    }
    expect(report('webgpu').software).toBe(
      /llvmpipe|lavapipe|softpipe|swiftshader/i.test(report('webgpu').device ?? ''),
    );
    expect(report('wasm').software).toBe(false);
  });

  it('gives versions: tfjs-core everywhere, Dawn for webgpu', () => {
    for (const r of reports) expect(r.versions['@tensorflow/tfjs-core']).toBe('4.22.0');
    expect(report('webgpu').versions.webgpu).toMatch(/^\d+\.\d+\.\d+/);
    expect(report('wasm').versions['@tensorflow/tfjs-backend-wasm']).toBe('4.22.0');
  });

  it('restores the backend that was current and releases the webgpu device', () => {
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.findBackend('webgpu')).toBeNull();
  });
});
