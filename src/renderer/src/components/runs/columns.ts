/** The runs table's columns: header, width, and the server-side sort key where there is one. */
import type { RunSortKey } from '../../../../shared/api';

export interface Column {
  id: string;
  label: string;
  width: string;
  sort?: RunSortKey;
  align?: 'right';
  title?: string;
}

export const COLUMNS: readonly Column[] = [
  { id: 'status', label: 'Status', width: '112px', sort: 'status' },
  {
    id: 'name',
    label: 'Name',
    width: 'minmax(170px, 1.4fr)',
    sort: 'name',
    title: 'Run name: preset or figure/run',
  },
  { id: 'network', label: 'Network', width: '92px', sort: 'network' },
  { id: 'normalization', label: 'Norm', width: '96px', sort: 'normalization' },
  { id: 'lr', label: 'LR', width: '64px', sort: 'lr', align: 'right' },
  { id: 'seed', label: 'Seed', width: '52px', sort: 'seed', align: 'right' },
  { id: 'backend', label: 'Backend · device', width: 'minmax(130px, 0.9fr)' },
  { id: 'steps', label: 'Steps', width: '118px', sort: 'steps', align: 'right' },
  {
    id: 'trainLoss',
    label: 'Train loss',
    width: '84px',
    sort: 'trainLoss',
    align: 'right',
    title: 'Last stored train loss',
  },
  {
    id: 'trainAccuracy',
    label: 'Train acc',
    width: '76px',
    align: 'right',
    title: 'Last stored train accuracy',
  },
  {
    id: 'testAccuracy',
    label: 'Test acc',
    width: '76px',
    sort: 'testAccuracy',
    align: 'right',
    title: 'Last stored test accuracy',
  },
  { id: 'tags', label: 'Tags', width: 'minmax(110px, 1fr)' },
  { id: 'notes', label: 'Notes', width: 'minmax(110px, 1fr)' },
  { id: 'created', label: 'Created', width: '104px', sort: 'created', align: 'right' },
];

/** The grid template: a checkbox column, the columns, an actions column. */
export const GRID_TEMPLATE = ['34px', ...COLUMNS.map((c) => c.width), '40px'].join(' ');
