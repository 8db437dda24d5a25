// Warehouse migration 6: the desk records take the shape desks write: results as desks name them, evidence tied to
// its after-sale, parcels with their normalized code, and operator ids kept without requiring a shared operator.
import type { WarehouseMigration } from '../migration';

export const warehouseMigration0006: WarehouseMigration = {
  version: 6,
  name: 'desk-records-shape',
  sql: `
    -- A desk's records name the operator who acted at that desk; the operator may not be shared (yet), and a
    -- record must still go up: the id is kept as a reference, not a constraint.
    ALTER TABLE scans DROP CONSTRAINT scans_operator_id_fkey;
    ALTER TABLE unmatched_parcels DROP CONSTRAINT unmatched_parcels_operator_id_fkey;
    ALTER TABLE inspections DROP CONSTRAINT inspections_operator_id_fkey;

    -- The results a desk records (src/common/contract/inspection.ts), not a coarser scale.
    ALTER TABLE inspections DROP CONSTRAINT inspections_result_check;
    ALTER TABLE inspections ADD CONSTRAINT inspections_result_check
      CHECK (result IN ('passed', 'empty', 'wrong_item', 'damaged', 'missing_parts', 'used', 'other'));
    -- An after-sale not in the desk's cache any more still has its inspection shared.
    ALTER TABLE inspections ALTER COLUMN shop_id DROP NOT NULL;

    -- Desks link evidence to the after-sale (a photo may come before or without an inspection).
    ALTER TABLE inspection_evidence ALTER COLUMN inspection_id DROP NOT NULL;
    ALTER TABLE inspection_evidence ADD COLUMN shop_id text;
    ALTER TABLE inspection_evidence ADD COLUMN after_sale_id text;
    CREATE INDEX inspection_evidence_by_after_sale ON inspection_evidence (after_sale_id);

    -- The registering desk's normalized code (what other desks match scans on) and who registered it.
    ALTER TABLE unmatched_parcels ADD COLUMN normalized text;
    ALTER TABLE unmatched_parcels ADD COLUMN operator_name text;
    CREATE INDEX unmatched_parcels_by_normalized ON unmatched_parcels (normalized);

    CREATE INDEX scans_by_time ON scans (scanned_at_ms);
  `,
};
