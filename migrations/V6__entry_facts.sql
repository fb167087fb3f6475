-- Timebridge schema v6: what Zammad says about each of the agent's entries, whatever the sync
-- did with it (booked, parked, refused, held, netted), and the tickets the agent can no longer
-- read. The reconciliation accounts for every second of Zammad's time from these rows; the
-- Entries page shows a parked entry's ticket, day and minutes from them.
-- Runs in the one grouped migration transaction.

CREATE TABLE entry_facts (
    instance           TEXT    NOT NULL,
    time_accounting_id INTEGER NOT NULL,
    ticket_id          INTEGER NOT NULL,
    ticket_number      TEXT    NOT NULL,
    ticket_title       TEXT    NOT NULL,
    organization       TEXT    NULL,
    -- When it was booked in Zammad (UTC) and that day in the billing timezone.
    booked_at          TEXT    NOT NULL,
    day                TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    -- The amount as Zammad gave it (decimal text) and its exact time in milliseconds
    -- (NULL: the unit could not convert it).
    time_unit          TEXT    NOT NULL,
    zammad_millis      INTEGER NULL,
    outcome            TEXT    NOT NULL CHECK (outcome IN ('wanted', 'parked', 'gone')),
    -- For 'wanted': the timesheet's whole seconds and its Kimai project.
    wanted_seconds     INTEGER NULL CHECK ((outcome = 'wanted') = (wanted_seconds IS NOT NULL)),
    wanted_project     INTEGER NULL CHECK ((outcome = 'wanted') = (wanted_project IS NOT NULL)),
    seen_at            TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (instance, time_accounting_id)
);
CREATE INDEX entry_facts_ticket ON entry_facts (instance, ticket_id);
CREATE INDEX entry_facts_day ON entry_facts (day);

-- Tickets of the agent's entries that Zammad stopped showing them (group access removed):
-- their timesheets are kept, but changes no longer flow. Removed when the ticket is read again
-- or found deleted.
CREATE TABLE unreadable_tickets (
    instance  TEXT    NOT NULL,
    ticket_id INTEGER NOT NULL,
    since     TEXT    NOT NULL,
    PRIMARY KEY (instance, ticket_id)
);

-- Every write Kimai refused, with the run that met it and Kimai's refusal (answer, code, the
-- refused write): `runs show` names them after the entry was booked or decided.
CREATE TABLE run_refusals (
    run_id             INTEGER NOT NULL REFERENCES sync_runs (id),
    instance           TEXT    NOT NULL,
    time_accounting_id INTEGER NOT NULL,
    refusal_json       TEXT    NOT NULL CHECK (json_valid(refusal_json)),
    PRIMARY KEY (run_id, instance, time_accounting_id)
);

-- The user's word on a possible twin (a timesheet typed in by hand that probably records an
-- entry's work): 'same' links the entry to it at the next run, 'different' books the entry as
-- well. Kept for good ('same' timesheets carry no marker).
CREATE TABLE twin_decisions (
    instance           TEXT    NOT NULL,
    time_accounting_id INTEGER NOT NULL,
    timesheet_id       INTEGER NOT NULL,
    decision           TEXT    NOT NULL CHECK (decision IN ('same', 'different')),
    decided_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (instance, time_accounting_id)
);
