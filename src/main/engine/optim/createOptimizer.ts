/** The optimizer a config names (PAPER.md section 2: the paper trains with plain SGD). */
import type { OptimizerConfig } from '../../../shared/config';
import { UserError } from '../../../shared/errors';
import { adam } from './adam';
import { momentum } from './momentum';
import type { Optimizer } from './optimizer';
import { sgd } from './sgd';

export type { NamedTensor, Optimizer, VariableMap } from './optimizer';

export function createOptimizer(config: OptimizerConfig): Optimizer {
  switch (config.name) {
    case 'sgd':
      return sgd(config);
    case 'momentum':
      return momentum(config);
    case 'adam':
      return adam(config);
    default:
      throw new UserError('config', `unknown optimizer "${String(config.name)}"; use sgd, momentum or adam`);
  }
}
