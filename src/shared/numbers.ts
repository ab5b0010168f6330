/** Number schemas the contracts share. */
import { z } from 'zod';

/** Any number, NaN and +-Infinity included (zod's number() refuses them; a diverged run has them). */
export const anyNumber = z.custom<number>((v) => typeof v === 'number', 'expected a number');
