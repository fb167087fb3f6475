-- Timebridge schema v4: month-end billing runs (issue #6).
-- Every statement runs in the one grouped migration transaction: a failed upgrade leaves v3.
-- A billing run tags every own Kimai timesheet of a month (optionally only some customers)
-- with `billed:YYYY-MM` and marks it exported. Its journal is written before each remote
-- step, so a crash resumes without flipping a record back, and a reverse knows what to undo.

-- One row per billing run. customers_json is the customer scope: [] = every customer.
-- state: running (started, or stopped by a crash / lost connection: resumed by the next
-- apply of the same month and scope), done, failed (stopped on a definite refusal, e.g. no
-- permission to export; resumable), reversed, partly_reversed (some records were changed
-- since and left as they are).
CREATE TABLE billing_runs (
    id              INTEGER PRIMARY KEY,
    month           TEXT    NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-0[1-9]'
                                         OR month GLOB '[0-9][0-9][0-9][0-9]-1[0-2]'),
    customers_json  TEXT    NOT NULL CHECK (json_valid(customers_json)),
    tag             TEXT    NOT NULL CHECK (length(tag) BETWEEN 2 AND 100),
    state           TEXT    NOT NULL DEFAULT 'running'
                    CHECK (state IN ('running', 'done', 'failed', 'reversed', 'partly_reversed')),
    -- The reason the user gave to bill despite blockers, and the blockers it overrode.
    override_reason TEXT    NULL CHECK (override_reason IS NULL OR length(override_reason) > 0),
    blockers_json   TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(blockers_json)),
    error           TEXT    NULL,
    started_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    finished_at     TEXT    NULL,
    reversed_at     TEXT    NULL,
    -- Report files written when the run ended (relative to the data directory).
    report_csv      TEXT    NULL,
    report_html     TEXT    NULL
);

-- One row per timesheet of a run. state moves forward only:
-- planned -> tagged -> exported -> done (or failed: Kimai refused this record);
-- done/exported/tagged -> reversed when a reverse restored the before-state.
-- before_*: the record as it was when planned (restored by a reverse);
-- after_json: the fields the run left (a reverse refuses a record that differs from it).
CREATE TABLE billing_journal (
    run_id          INTEGER NOT NULL REFERENCES billing_runs (id),
    timesheet_id    INTEGER NOT NULL,
    customer_id     INTEGER NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'planned'
                    CHECK (state IN ('planned', 'tagged', 'exported', 'done', 'failed',
                                     'reversed')),
    before_tags_json TEXT   NOT NULL CHECK (json_valid(before_tags_json)),
    before_exported INTEGER NOT NULL CHECK (before_exported IN (0, 1)),
    -- The record's fields when planned (begin, end, project, activity, description, ...).
    record_json     TEXT    NOT NULL CHECK (json_valid(record_json)),
    after_json      TEXT    NULL CHECK (after_json IS NULL OR json_valid(after_json)),
    error           TEXT    NULL,
    updated_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (run_id, timesheet_id)
);
CREATE INDEX billing_journal_timesheet ON billing_journal (timesheet_id);

CREATE TRIGGER billing_journal_state_forward
BEFORE UPDATE OF state ON billing_journal
WHEN NOT (
       OLD.state = NEW.state
    OR OLD.state = 'planned' AND NEW.state IN ('tagged', 'exported', 'failed')
    OR OLD.state = 'tagged' AND NEW.state IN ('exported', 'failed', 'reversed')
    OR OLD.state = 'exported' AND NEW.state IN ('done', 'reversed')
    OR OLD.state = 'done' AND NEW.state = 'reversed'
    OR OLD.state = 'failed' AND NEW.state IN ('tagged', 'exported', 'reversed')
)
BEGIN
    SELECT RAISE(ABORT, 'billing journal state may only move forward');
END;
