-- Timebridge schema v5: "edit, then apply" on a conflict (issue #5, item 4). The decision
-- carries the fields the user edited; the next run writes them. SQLite cannot change a CHECK
-- constraint in place, so the table is built again with its rows (it holds only decisions
-- waiting for the next run). Runs in the one grouped migration transaction.

CREATE TABLE resolutions_v5 (
    instance           TEXT    NOT NULL,
    time_accounting_id INTEGER NOT NULL,
    resolution         TEXT    NOT NULL CHECK (resolution IN ('take_zammad', 'keep_kimai',
                           'recreate', 'accept_deletion', 'ignore', 'edit')),
    decided_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- The edited timesheet fields (JSON), exactly for 'edit'.
    edit_json          TEXT    NULL CHECK (edit_json IS NULL OR json_valid(edit_json)),
    CHECK ((resolution = 'edit') = (edit_json IS NOT NULL)),
    PRIMARY KEY (instance, time_accounting_id)
);

INSERT INTO resolutions_v5 (instance, time_accounting_id, resolution, decided_at)
    SELECT instance, time_accounting_id, resolution, decided_at FROM resolutions;

DROP TABLE resolutions;

ALTER TABLE resolutions_v5 RENAME TO resolutions;
