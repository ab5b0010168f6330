import type { z } from 'zod';
import type { sweepGridSchema } from '../../../../shared/api';

/** The values a sweep varies (runs.startSweep's grid). */
export type SweepGrid = z.input<typeof sweepGridSchema>;
