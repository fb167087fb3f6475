-- Timebridge schema v1: the connections a user has configured and a key/value settings table.
-- Tokens are never stored here: they live in the OS keychain, keyed by connection id.
CREATE TABLE connections (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('kimai', 'zammad')),
    name        TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    base_url    TEXT    NOT NULL,
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (kind, base_url)
);

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL
);
