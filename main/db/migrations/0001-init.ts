// 0001: the desktop's first schema — working-set cache, local writes, outbox and sync state.
// Released migrations are never edited; a change of schema is a new numbered file.
import type { Migration } from './types';

export const migration0001: Migration = {
  id: 1,
  name: '0001-init',
  sql: `
    -- Cached customers: the whole Customer as JSON, plus the columns we query on.
    -- touched_at is the LRU clock for the working set (ms since epoch).
    CREATE TABLE customers (
      id           TEXT PRIMARY KEY,
      display_name TEXT NOT NULL,
      provisional  INTEGER NOT NULL DEFAULT 0,
      updated_at   TEXT NOT NULL,
      data         TEXT NOT NULL,
      touched_at   INTEGER NOT NULL
    );
    CREATE INDEX customers_touched ON customers(touched_at);

    CREATE TABLE identities (
      customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
      kind        TEXT NOT NULL CHECK (kind IN ('phone', 'email', 'social')),
      value       TEXT NOT NULL,
      PRIMARY KEY (kind, value, customer_id)
    );
    CREATE INDEX identities_customer ON identities(customer_id);

    -- Interactions, notes and VOC items are not foreign-keyed to customers on purpose: an agent's
    -- unsynced note must survive its customer being evicted from the cache or merged away.
    CREATE TABLE interactions (
      id          TEXT PRIMARY KEY,
      customer_id TEXT,
      started_at  TEXT NOT NULL,
      data        TEXT NOT NULL
    );
    CREATE INDEX interactions_customer ON interactions(customer_id, started_at DESC);

    CREATE TABLE notes (
      id              TEXT PRIMARY KEY,
      customer_id     TEXT NOT NULL,
      interaction_id  TEXT,
      author          TEXT NOT NULL,
      text            TEXT NOT NULL,
      revision        INTEGER NOT NULL,
      created_at      TEXT NOT NULL,
      updated_at      TEXT NOT NULL,
      -- highest revision the center is known to hold; < revision means unsynced local edits
      synced_revision INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX notes_customer ON notes(customer_id);
    CREATE INDEX notes_interaction ON notes(interaction_id);

    CREATE TABLE voc_items (
      id             TEXT PRIMARY KEY,
      customer_id    TEXT NOT NULL,
      interaction_id TEXT,
      status         TEXT NOT NULL,
      created_at     TEXT NOT NULL,
      data           TEXT NOT NULL
    );
    CREATE INDEX voc_items_customer ON voc_items(customer_id);
    CREATE INDEX voc_items_interaction ON voc_items(interaction_id);

    CREATE TABLE dispositions (
      interaction_id TEXT PRIMARY KEY,
      code           TEXT NOT NULL,
      set_at         TEXT NOT NULL
    );

    -- Reference data: queues with their disposition codes (as JSON).
    CREATE TABLE queues (
      id   TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      data TEXT NOT NULL
    );

    -- Full-text search over customer names and note text; one row per source row.
    CREATE VIRTUAL TABLE search_fts USING fts5(
      customer_id UNINDEXED,
      source UNINDEXED,
      source_id UNINDEXED,
      body,
      tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
      INSERT INTO search_fts (customer_id, source, source_id, body) VALUES (new.id, 'customer', new.id, new.display_name);
    END;
    CREATE TRIGGER customers_fts_update AFTER UPDATE OF display_name ON customers BEGIN
      DELETE FROM search_fts WHERE source = 'customer' AND source_id = old.id;
      INSERT INTO search_fts (customer_id, source, source_id, body) VALUES (new.id, 'customer', new.id, new.display_name);
    END;
    CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
      DELETE FROM search_fts WHERE source = 'customer' AND source_id = old.id;
    END;
    CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
      INSERT INTO search_fts (customer_id, source, source_id, body) VALUES (new.customer_id, 'note', new.id, new.text);
    END;
    CREATE TRIGGER notes_fts_update AFTER UPDATE OF text, customer_id ON notes BEGIN
      DELETE FROM search_fts WHERE source = 'note' AND source_id = old.id;
      INSERT INTO search_fts (customer_id, source, source_id, body) VALUES (new.customer_id, 'note', new.id, new.text);
    END;
    CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
      DELETE FROM search_fts WHERE source = 'note' AND source_id = old.id;
    END;

    -- Local writes waiting for the center (SYNC.md). seq is per client and this database holds one client.
    CREATE TABLE outbox (
      seq            INTEGER PRIMARY KEY,
      mutation_id    TEXT NOT NULL UNIQUE,
      client_id      TEXT NOT NULL,
      name           TEXT NOT NULL,
      args           TEXT NOT NULL,
      schema_version INTEGER NOT NULL,
      created_at     TEXT NOT NULL,
      attempts       INTEGER NOT NULL DEFAULT 0,
      last_error     TEXT,
      -- the customer this write belongs to: keeps it in the working set until synced
      customer_id    TEXT,
      -- change-log version the center acknowledged this mutation at; the row goes once the pull passes it
      acked_version  TEXT
    );
    CREATE INDEX outbox_customer ON outbox(customer_id);

    CREATE TABLE rejected_mutations (
      mutation_id TEXT PRIMARY KEY,
      seq         INTEGER NOT NULL,
      name        TEXT NOT NULL,
      args        TEXT NOT NULL,
      reason      TEXT NOT NULL,
      rejected_at TEXT NOT NULL
    );

    -- Field-level profile conflicts reported by the center, kept for the profile's audit trail.
    CREATE TABLE conflicts (
      id          INTEGER PRIMARY KEY,
      entity      TEXT NOT NULL,
      entity_id   TEXT NOT NULL,
      detail      TEXT NOT NULL,
      recorded_at TEXT NOT NULL
    );

    CREATE TABLE sync_state (
      id                 INTEGER PRIMARY KEY CHECK (id = 1),
      client_id          TEXT NOT NULL,
      next_seq           INTEGER NOT NULL,
      cursor             TEXT,
      last_sync_at       TEXT,
      center_url         TEXT,
      session_token      TEXT,
      session_expires_at TEXT,
      session_user       TEXT
    );
  `,
};
