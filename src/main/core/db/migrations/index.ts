// The ordered list of migrations; a new one is a new file plus one line here.
import type { Migration } from '../migration';
import { migration0001 } from './0001-settings';
import { migration0002 } from './0002-shops';
import { migration0003 } from './0003-sync';
import { migration0004 } from './0004-desk';
import { migration0005 } from './0005-sync-due-indexes';
import { migration0006 } from './0006-security';
import { migration0007 } from './0007-desk-rules';
import { migration0008 } from './0008-inspection';
import { migration0009 } from './0009-search-and-queue-indexes';
import { migration0010 } from './0010-shop-sync-settings';
import { migration0011 } from './0011-outbox-delegation';
import { migration0012 } from './0012-warehouse-records';
import { migration0013 } from './0013-warehouse-outbox';

export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
];
