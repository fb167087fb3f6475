-- Timebridge schema v2: the sync engine's state (issue #4).
-- Every statement runs in the one grouped migration transaction: a failed upgrade leaves v1.
-- Times are UTC text, 'YYYY-MM-DDTHH:MM:SS.sssZ'. Months are 'YYYY-MM' in the billing
-- timezone. JSON columns hold the serde form of the planner types (crates/core/src/sync).
-- Tokens are never stored here: they live in the OS keychain.

-- One row per Zammad connection: its marker key (chosen once, never changed: it is part of
-- every marker already written to Kimai) and its mapping settings.
CREATE TABLE zammad_instances (
    key           TEXT    PRIMARY KEY
                  CHECK (length(key) BETWEEN 1 AND 12 AND key NOT GLOB '*[^a-z0-9]*'),
    connection_id INTEGER NOT NULL UNIQUE REFERENCES connections (id) ON DELETE RESTRICT,
    settings_json TEXT    NOT NULL CHECK (json_valid(settings_json)),
    updated_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- An instance must hang off a Zammad connection, never a Kimai one.
CREATE TRIGGER zammad_instances_kind_insert
BEFORE INSERT ON zammad_instances
WHEN (SELECT kind FROM connections WHERE id = NEW.connection_id) IS NOT 'zammad'
BEGIN
    SELECT RAISE(ABORT, 'a Zammad instance must belong to a zammad connection');
END;

CREATE TRIGGER zammad_instances_kind_update
BEFORE UPDATE OF connection_id ON zammad_instances
WHEN (SELECT kind FROM connections WHERE id = NEW.connection_id) IS NOT 'zammad'
BEGIN
    SELECT RAISE(ABORT, 'a Zammad instance must belong to a zammad connection');
END;

-- Settings of the (single) Kimai account: exactly one row. billing_timezone is an IANA name;
-- NULL means "not known yet: use the Kimai user's timezone once read".
CREATE TABLE kimai_settings (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    billing_timezone TEXT    NULL CHECK (billing_timezone IS NULL OR length(billing_timezone) > 0),
    updated_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO kimai_settings (id, billing_timezone) VALUES (1, NULL);

-- Which timesheet stands for which entry, and the base of the three-way merge.
-- instance is the marker key, deliberately not a foreign key: links (and tombstones) outlive
-- a removed connection, so adding it back under the same key never duplicates timesheets.
-- timesheet_id NULL = tombstone (the user accepted the deletion; never create it again).
CREATE TABLE links (
    instance           TEXT    NOT NULL,
    time_accounting_id INTEGER NOT NULL,
    timesheet_id       INTEGER NULL,
    -- The Zammad ticket of the entry: re-read each run while the link is in the horizon, so a
    -- deleted entry (or ticket) is seen as deleted, never guessed.
    ticket_id          INTEGER NULL,
    base_source_json   TEXT    NOT NULL CHECK (json_valid(base_source_json)),
    base_kimai_json    TEXT    NOT NULL CHECK (json_valid(base_kimai_json)),
    month              TEXT    NULL CHECK (month IS NULL
                           OR month GLOB '[0-9][0-9][0-9][0-9]-0[1-9]'
                           OR month GLOB '[0-9][0-9][0-9][0-9]-1[0-2]'),
    updated_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (instance, time_accounting_id)
);
-- One timesheet never stands for two entries.
CREATE UNIQUE INDEX links_timesheet ON links (timesheet_id) WHERE timesheet_id IS NOT NULL;

-- One row per sync, preview or undo. finished_at is set exactly when the run has ended.
CREATE TABLE sync_runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    finished_at TEXT    NULL,
    trigger     TEXT    NOT NULL CHECK (trigger IN ('manual', 'schedule', 'cli')),
    mode        TEXT    NOT NULL CHECK (mode IN ('sync', 'preview', 'undo')),
    outcome     TEXT    NOT NULL DEFAULT 'running'
                CHECK (outcome IN ('running', 'ok', 'offline', 'failed', 'interrupted')),
    error       TEXT    NULL,
    counts_json TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(counts_json)),
    CHECK ((outcome = 'running') = (finished_at IS NULL))
);

-- The write-ahead outbox: a row is written (pending) before a remote write, marked sent
-- just before the request goes out, and confirmed in the same transaction as the link row.
-- pending/sent rows found at start-up are the writes a crash may have left half done.
CREATE TABLE outbox (
    id                 INTEGER PRIMARY KEY,
    run_id             INTEGER NOT NULL REFERENCES sync_runs (id),
    instance           TEXT    NOT NULL,
    time_accounting_id INTEGER NOT NULL,
    kind               TEXT    NOT NULL CHECK (kind IN ('create', 'update', 'delete')),
    payload_json       TEXT    NULL CHECK (payload_json IS NULL OR json_valid(payload_json)),
    state              TEXT    NOT NULL DEFAULT 'pending'
                       CHECK (state IN ('pending', 'sent', 'confirmed', 'failed')),
    timesheet_id       INTEGER NULL,
    created_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX outbox_open ON outbox (state) WHERE state IN ('pending', 'sent');

-- The outbox only moves forward: pending -> sent -> confirmed | failed (pending may also end
-- directly); confirmed and failed are final.
CREATE TRIGGER outbox_state_forward
BEFORE UPDATE OF state ON outbox
WHEN NOT (
       OLD.state = NEW.state AND OLD.state IN ('pending', 'sent')
    OR OLD.state = 'pending' AND NEW.state IN ('sent', 'confirmed', 'failed')
    OR OLD.state = 'sent' AND NEW.state IN ('confirmed', 'failed')
)
BEGIN
    SELECT RAISE(ABORT, 'outbox state may only move pending -> sent -> confirmed | failed');
END;

-- What was done, when, by whom, with the before and after of every remote write: the basis
-- of undo. Append-only (see the triggers). run_id is NULL for decisions outside a run.
CREATE TABLE audit_events (
    id                 INTEGER PRIMARY KEY,
    run_id             INTEGER NULL REFERENCES sync_runs (id),
    at                 TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor              TEXT    NOT NULL CHECK (actor IN ('scheduler', 'user', 'cli')),
    action             TEXT    NOT NULL,
    instance           TEXT    NOT NULL,
    time_accounting_id INTEGER NOT NULL,
    timesheet_id       INTEGER NULL,
    before_json        TEXT    NULL CHECK (before_json IS NULL OR json_valid(before_json)),
    after_json         TEXT    NULL CHECK (after_json IS NULL OR json_valid(after_json))
);
CREATE INDEX audit_events_run ON audit_events (run_id);

CREATE TRIGGER audit_events_no_update
BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_delete
BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

-- Open conflicts, one per entry, as the planner reported them last.
CREATE TABLE conflicts (
    instance           TEXT    NOT NULL,
    time_accounting_id INTEGER NOT NULL,
    kind               TEXT    NOT NULL CHECK (kind IN ('both_changed', 'billed_changed_at_source',
                           'deleted_in_kimai', 'deleted_at_source_edited_in_kimai',
                           'new_entry_in_closed_month')),
    timesheet_id       INTEGER NULL,
    source_json        TEXT    NULL CHECK (source_json IS NULL OR json_valid(source_json)),
    kimai_json         TEXT    NULL CHECK (kimai_json IS NULL OR json_valid(kimai_json)),
    base_json          TEXT    NULL CHECK (base_json IS NULL OR json_valid(base_json)),
    detected_at        TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    run_id             INTEGER NULL REFERENCES sync_runs (id),
    PRIMARY KEY (instance, time_accounting_id)
);

-- The user's decisions: stored at once (offline too), applied at the next run, then removed.
CREATE TABLE resolutions (
    instance           TEXT    NOT NULL,
    time_accounting_id INTEGER NOT NULL,
    resolution         TEXT    NOT NULL CHECK (resolution IN ('take_zammad', 'keep_kimai',
                           'recreate', 'accept_deletion', 'ignore')),
    decided_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (instance, time_accounting_id)
);

-- Entries the user chose to leave alone from now on.
CREATE TABLE ignored (
    instance           TEXT    NOT NULL,
    time_accounting_id INTEGER NOT NULL,
    ignored_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (instance, time_accounting_id)
);

-- Entries the sync cannot handle now (needs mapping, ...): shown, never dropped.
CREATE TABLE parked (
    instance           TEXT    NOT NULL,
    time_accounting_id INTEGER NOT NULL,
    reason_json        TEXT    NOT NULL CHECK (json_valid(reason_json)),
    detected_at        TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (instance, time_accounting_id)
);

-- Incremental read positions, e.g. 'zammad:acme:tickets_updated_at', 'kimai:modified_after'.
CREATE TABLE cursors (
    name       TEXT PRIMARY KEY CHECK (length(name) > 0),
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Billed months: their timesheets are never written. billing_run_id refers to the billing
-- feature's runs, which come later (no foreign key yet).
CREATE TABLE closed_months (
    month          TEXT    PRIMARY KEY CHECK (month GLOB '[0-9][0-9][0-9][0-9]-0[1-9]'
                                          OR month GLOB '[0-9][0-9][0-9][0-9]-1[0-2]'),
    closed_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    billing_run_id INTEGER NULL
);
