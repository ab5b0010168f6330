import { BAND_KINDS, type BandKind } from '../../../../shared/plots';

const BAND_LABELS: Record<BandKind, string> = { minmax: 'min–max', std: 'mean ± std' };

/** The band choices the compare and figure views offer, as SegmentedControl options. */
export const BAND_OPTIONS: readonly { value: BandKind; label: string }[] = BAND_KINDS.map((b) => ({
  value: b,
  label: BAND_LABELS[b],
}));
