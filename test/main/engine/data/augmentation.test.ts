import { describe, expect, it } from 'vitest';
import { copyAugmented, drawAugmentations } from '../../../../src/main/engine/data/augmentation';
import { buildImageBatch } from '../../../../src/main/engine/data/imageBatch';

/** A 32x32 RGB image whose red byte is row + 1, green byte column + 1, blue byte 7 (0 is padding). */
function positionImage(): Uint8Array {
  const image = new Uint8Array(3072);
  for (let h = 0; h < 32; h++) {
    for (let w = 0; w < 32; w++) image.set([h + 1, w + 1, 7], (h * 32 + w) * 3);
  }
  return image;
}

/** table[c * 256 + v] = v + 1000 c: keeps the raw byte visible in the output. */
function identityTable(): Float32Array {
  const table = new Float32Array(768);
  for (let c = 0; c < 3; c++) for (let v = 0; v < 256; v++) table[c * 256 + v] = v + 1000 * c;
  return table;
}

/** The reference: an explicit 40x40 zero-padded image, cropped at (dy, dx), then mirrored. */
function reference(image: Uint8Array, dy: number, dx: number, flip: boolean): number[] {
  const padded = new Uint8Array(40 * 40 * 3);
  for (let h = 0; h < 32; h++) padded.set(image.subarray(h * 96, h * 96 + 96), ((h + 4) * 40 + 4) * 3);
  const crop: number[][] = [];
  for (let h = 0; h < 32; h++) {
    const row: number[] = [];
    for (let w = 0; w < 32; w++)
      for (let c = 0; c < 3; c++) row.push(padded[((dy + h) * 40 + dx + w) * 3 + c] ?? NaN);
    crop.push(row);
  }
  const out: number[] = [];
  for (const row of crop) {
    for (let w = 0; w < 32; w++) {
      const src = flip ? 31 - w : w;
      for (let c = 0; c < 3; c++) out.push((row[src * 3 + c] ?? NaN) + 1000 * c);
    }
  }
  return out;
}

function augmented(image: Uint8Array, dy: number, dx: number, flip: boolean): number[] {
  const out = new Float32Array(3072);
  copyAugmented(image, 0, out, 0, identityTable(), dy, dx, flip);
  return [...out];
}

describe('augmentation', () => {
  const image = positionImage();

  it('crops the zero-padded image and mirrors it as the reference does', () => {
    for (const [dy, dx] of [
      [0, 0],
      [8, 8],
      [4, 4],
      [1, 7],
      [6, 2],
    ] as const) {
      for (const flip of [false, true])
        expect(augmented(image, dy, dx, flip)).toEqual(reference(image, dy, dx, flip));
    }
  });

  it('shifts the content: crop origin (0, 0) puts the top-left image pixel at (4, 4) and black around it', () => {
    const out = augmented(image, 0, 0, false);
    const at = (h: number, w: number): number[] => out.slice((h * 32 + w) * 3, (h * 32 + w) * 3 + 3);
    expect(at(4, 4)).toEqual([1, 1001, 2007]);
    expect(at(3, 10)).toEqual([0, 1000, 2000]);
    expect(at(31, 31)).toEqual([28, 1028, 2007]);
    const flipped = augmented(image, 4, 4, true);
    const atF = (h: number, w: number): number[] => flipped.slice((h * 32 + w) * 3, (h * 32 + w) * 3 + 3);
    expect(atF(0, 0)).toEqual([1, 1032, 2007]);
    expect(atF(5, 31)).toEqual([6, 1001, 2007]);
  });

  it('is the plain standardized copy at origin (4, 4) without flip', () => {
    const plain = buildImageBatch(image, [0], identityTable());
    expect(augmented(image, 4, 4, false)).toEqual([...plain]);
  });

  it('draws are a function of (seed, step), cover every offset and flip about half the time', () => {
    const options = { crop: true, flip: true };
    const a = drawAugmentations(5, 17, 2000, options);
    expect(drawAugmentations(5, 17, 2000, options)).toEqual(a);
    expect(drawAugmentations(5, 18, 2000, options).dx).not.toEqual(a.dx);
    expect(drawAugmentations(6, 17, 2000, options).dy).not.toEqual(a.dy);
    expect(new Set(a.dy).size).toBe(9);
    expect(Math.max(...a.dx)).toBe(8);
    const flips = a.flip.reduce((s, f) => s + f, 0);
    expect(flips).toBeGreaterThan(900);
    expect(flips).toBeLessThan(1100);
  });

  it('turning crop or flip off keeps the other one draws unchanged', () => {
    const both = drawAugmentations(1, 3, 64, { crop: true, flip: true });
    const cropOnly = drawAugmentations(1, 3, 64, { crop: true, flip: false });
    const flipOnly = drawAugmentations(1, 3, 64, { crop: false, flip: true });
    expect(cropOnly.dy).toEqual(both.dy);
    expect(cropOnly.dx).toEqual(both.dx);
    expect(cropOnly.flip.every((f) => f === 0)).toBe(true);
    expect(flipOnly.flip).toEqual(both.flip);
    expect(flipOnly.dy.every((d) => d === 4)).toBe(true);
    expect(flipOnly.dx.every((d) => d === 4)).toBe(true);
  });
});
