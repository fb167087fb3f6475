-- Timebridge schema v3: undo of a run (issue #4, item 8).
-- Every statement runs in the one grouped migration transaction: a failed upgrade leaves v2.

-- An undo is a run of its own (mode 'undo'); this is the run it reverses.
ALTER TABLE sync_runs ADD COLUMN undoes_run INTEGER NULL REFERENCES sync_runs (id);

-- Why an entry is left alone: the user said so ('user'), or an undo reversed what a run did
-- to it ('undo') and holds it until the user releases it, so the next sync does not simply
-- write it again.
ALTER TABLE ignored ADD COLUMN reason TEXT NOT NULL DEFAULT 'user'
    CHECK (reason IN ('user', 'undo'));

-- The Zammad ticket of the entry when the event was written (from its link), so an undo that
-- creates a deleted timesheet again can link it to its ticket: without it a deletion in
-- Zammad could never be noticed for that entry again.
ALTER TABLE audit_events ADD COLUMN ticket_id INTEGER NULL;

-- The ticket of a parked entry, so a parked entry deleted in Zammad is noticed (absent from
-- its ticket read completely) and its parked row goes, instead of waiting forever.
ALTER TABLE parked ADD COLUMN ticket_id INTEGER NULL;
