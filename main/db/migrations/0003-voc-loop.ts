// 0003: the VOC loop (VOC.md). Cached VOC items take the workflow's state names and fields; the topic
// catalogue and the departments arrive as reference data like queues; the desk's last answers from
// the center are kept so an offline desk still shows what it last saw. The cursor starts over, so
// the next pull is a bootstrap that brings the catalogue, the departments and every cached item in
// their new shape (a reset keeps the agent's unsynced work, as always).
import type { Migration } from './types';

export const migration0003: Migration = {
  id: 3,
  name: '0003-voc-loop',
  sql: `
    -- The ten-step names of 0001 become the workflow's states (as the center's migration 0017 does).
    UPDATE voc_items SET status = CASE status
      WHEN 'registered' THEN 'raised'
      WHEN 'department_assigned' THEN 'routed'
      WHEN 'owner_assigned' THEN 'assigned'
      WHEN 'feedback' THEN 'follow_up'
      WHEN 'analysed' THEN 'closed'
      WHEN 'improvement_shared' THEN 'closed'
      ELSE status END;
    -- The JSON is read as stored (screen pop), so it gets the new state and the workflow's fields at
    -- their start; json_insert leaves a field that is already there alone.
    UPDATE voc_items SET data = json_insert(json_set(data, '$.status', status),
      '$.number', NULL,
      '$.topicId', NULL,
      '$.priority', 'normal',
      '$.safety', json('false'),
      '$.wants', NULL,
      '$.departmentId', NULL,
      '$.ownerUserId', NULL,
      '$.ownerName', NULL,
      '$.deadlines', json('{"acknowledge":null,"resolve":null,"notify":null}'),
      '$.result', NULL,
      '$.remedy', NULL,
      '$.notifiedVia', NULL,
      '$.notifiedAt', NULL,
      '$.followUpOutcome', NULL,
      '$.updatedAt', NULL);

    -- Reference data: the tenant's topic catalogue (categories and their topics) and its departments
    -- (with members and lead, as JSON), for the VOC form's type-ahead and the desk's names and pickers.
    CREATE TABLE voc_topics (
      id        TEXT PRIMARY KEY,
      parent_id TEXT,
      name      TEXT NOT NULL,
      active    INTEGER NOT NULL,
      data      TEXT NOT NULL
    );
    CREATE TABLE departments (
      id   TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      data TEXT NOT NULL
    );

    -- The center's last answer to each read the desk makes (the queue under its filters, one item's
    -- page, the follow-up list), shown with "offline, as of" when the center cannot be asked.
    CREATE TABLE center_answers (
      kind       TEXT NOT NULL,
      key        TEXT NOT NULL,
      fetched_at TEXT NOT NULL,
      data       TEXT NOT NULL,
      PRIMARY KEY (kind, key)
    );
    CREATE INDEX center_answers_age ON center_answers(kind, fetched_at);

    UPDATE sync_state SET cursor = NULL;
  `,
};
