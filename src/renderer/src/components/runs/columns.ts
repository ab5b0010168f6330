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
  { id: 'status', label: 'Status', width: '108px', sort: 'status' },
  {
    id: 'name',
    label: 'Name',
    width: 'minmax(120px, 1.6fr)',
    sort: 'name',
    title: 'Run name (preset or figure/run) and id',
  },
  { id: 'network', label: 'Network', width: '74px', sort: 'network' },
  { id: 'normalization', label: 'Norm', width: '90px', sort: 'normalization' },
  { id: 'lr', label: 'LR', width: '52px', sort: 'lr', align: 'right' },
  { id: 'seed', label: 'Seed', width: '52px', sort: 'seed', align: 'right' },
  { id: 'backend', label: 'Backend', width: 'minmax(88px, 0.8fr)', title: 'Backend and the device it used' },
  { id: 'steps', label: 'Steps', width: '100px', sort: 'steps', align: 'right' },
  {
    id: 'trainLoss',
    label: 'Loss',
    width: '66px',
    sort: 'trainLoss',
    align: 'right',
    title: 'Last stored train loss',
  },
  { id: 'trainAccuracy', label: 'Train', width: '56px', align: 'right', title: 'Last stored train accuracy' },
  {
    id: 'testAccuracy',
    label: 'Test',
    width: '56px',
    sort: 'testAccuracy',
    align: 'right',
    title: 'Last stored test accuracy',
  },
  { id: 'tags', label: 'Tags', width: 'minmax(70px, 1fr)' },
  { id: 'notes', label: 'Notes', width: 'minmax(70px, 1fr)' },
  { id: 'created', label: 'Created', width: '92px', sort: 'created', align: 'right' },
];

/** Narrower than this, the table scrolls sideways. */
export const MIN_TABLE_WIDTH = 1160;

/** The grid template: a checkbox column, the columns, an actions column. */
export const GRID_TEMPLATE = ['32px', ...COLUMNS.map((c) => c.width), '34px'].join(' ');
