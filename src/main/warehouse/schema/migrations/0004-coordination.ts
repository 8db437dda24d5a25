// Warehouse migration 4: the shared outbox with leases, sync leadership with fencing epochs, and the hash-chained audit.
import { changeFeedDdl, type WarehouseMigration } from '../migration';

export const warehouseMigration0004: WarehouseMigration = {
  version: 4,
  name: 'coordination',
  sql: `
    -- owner + lease_until say which desk works on a row and until when (the database's clock, never a desk's);
    -- epoch counts claims, so a desk whose lease was taken over cannot record a result any more.
    CREATE TABLE outbox (
      outbox_id uuid PRIMARY KEY,
      shop_id text NOT NULL,
      after_sale_id text NOT NULL,
      action text NOT NULL,
      payload jsonb NOT NULL,
      origin_desk_id text NOT NULL,
      operator_id uuid,
      state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'claimed', 'done', 'failed')),
      owner text,
      lease_until timestamptz,
      epoch bigint NOT NULL DEFAULT 0,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      result jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((state = 'claimed') = (owner IS NOT NULL AND lease_until IS NOT NULL))
    );
    -- Two desks queueing the same action on one after-sale: the second is told, never sent twice.
    CREATE UNIQUE INDEX outbox_one_live_action ON outbox (shop_id, after_sale_id, action) WHERE state IN ('pending', 'claimed');
    CREATE INDEX outbox_claimable ON outbox (next_attempt_at) WHERE state IN ('pending', 'claimed');
    ${changeFeedDdl('outbox')}

    -- One row per shop; epoch goes up each time a desk wins the shop's advisory lock (the fencing token).
    CREATE TABLE sync_leaders (
      shop_id text PRIMARY KEY,
      epoch bigint NOT NULL,
      holder text NOT NULL,
      since timestamptz NOT NULL DEFAULT now()
    );

    -- Where the platform pull of a shop stands; written only by the leader whose epoch is current.
    CREATE TABLE sync_cursors (
      shop_id text PRIMARY KEY,
      cursor jsonb NOT NULL,
      leader_epoch bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE audit_log (
      audit_id uuid PRIMARY KEY,
      at_ms bigint NOT NULL,
      desk_id text NOT NULL,
      operator_id uuid,
      operator_name text,
      action text NOT NULL,
      shop_id text,
      target text,
      details text NOT NULL DEFAULT '{}',
      recorded_at timestamptz NOT NULL DEFAULT now(),
      prev_hash text NOT NULL DEFAULT '',
      hash text NOT NULL DEFAULT ''
    );
    ${changeFeedDdl('audit_log', 'INSERT')}

    -- Append-only: no UPDATE, DELETE or TRUNCATE.
    CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
    END
    $$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

    -- Each entry's hash covers the previous entry's hash and its own fields, each written as
    -- "<length in characters>:<text>" (or "-" for null) and joined by newlines; src/main/warehouse/audit.ts
    -- recomputes it. Runs after a_change_seq, i.e. holding the table's feed lock, so the chain follows seq.
    CREATE FUNCTION audit_log_field(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT CASE WHEN value IS NULL THEN '-' ELSE char_length(value)::text || ':' || value END
    $$;
    CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.prev_hash := coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '');
      NEW.hash := encode(sha256(convert_to(concat_ws(E'\\n',
        audit_log_field(NEW.prev_hash), audit_log_field(NEW.audit_id::text), audit_log_field(NEW.at_ms::text),
        audit_log_field(NEW.desk_id), audit_log_field(NEW.operator_id::text), audit_log_field(NEW.operator_name),
        audit_log_field(NEW.action), audit_log_field(NEW.shop_id), audit_log_field(NEW.target),
        audit_log_field(NEW.details)), 'UTF8')), 'hex');
      RETURN NEW;
    END
    $$;
    CREATE TRIGGER b_audit_log_chain BEFORE INSERT ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
  `,
};
