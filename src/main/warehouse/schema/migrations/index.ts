// The ordered list of warehouse (PostgreSQL) migrations; a new one is a new file plus one line here.
import type { WarehouseMigration } from '../migration';
import { warehouseMigration0001 } from './0001-change-feed';
import { warehouseMigration0002 } from './0002-directory';
import { warehouseMigration0003 } from './0003-desk-records';
import { warehouseMigration0004 } from './0004-coordination';
import { warehouseMigration0005 } from './0005-identity';
import { warehouseMigration0006 } from './0006-desk-records-shape';
import { warehouseMigration0007 } from './0007-directory-sharing';

export const warehouseMigrations: readonly WarehouseMigration[] = [
  warehouseMigration0001,
  warehouseMigration0002,
  warehouseMigration0003,
  warehouseMigration0004,
  warehouseMigration0005,
  warehouseMigration0006,
  warehouseMigration0007,
];
