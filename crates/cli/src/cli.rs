//! The command line grammar (clap derive). Values are validated while parsing — instance keys
//! by the same rule markers use, units by what the core can convert — so a bad value fails
//! with exit code 1 before anything is read, checked or stored.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use timebridge_core::sync::entries::InstanceKey;
use timebridge_core::sync::plan::{Resolution, SourceKey};
use timebridge_core::sync::time::TimeUnit;

use crate::args::{parse_source_key, parse_unit};
use crate::failure::EXIT_CODES_HELP;

/// Books Zammad time accounting into Kimai timesheets: the headless command line.
#[derive(Debug, Parser)]
#[command(name = "timebridge", version, after_help = EXIT_CODES_HELP)]
pub(crate) struct Cli {
    /// The data directory; overrides TIMEBRIDGE_DATA_DIR and the OS default.
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
    /// Print one JSON document on stdout (stable shapes, see the README); errors too.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The top-level commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Data directory, database, schema version, connections, billing timezone.
    Status,
    /// The Kimai and Zammad connections: add, list, test, remove.
    #[command(subcommand)]
    Connections(ConnectionsCommand),
    /// Books your Zammad time entries into Kimai now; with --preview only shows the plan.
    Sync(SyncArgs),
    /// Entries the sync could not decide alone (and parked entries): list, resolve.
    #[command(subcommand)]
    Conflicts(ConflictsCommand),
    /// The history of sync runs: list, show one with its audit events.
    #[command(subcommand)]
    Runs(RunsCommand),
    /// A Zammad instance's mapping: rules to Kimai projects, activities by accounting type,
    /// unit, description, rounding, tags, layout. Stored at once; the next sync applies it.
    #[command(subcommand)]
    Mappings(crate::mappings::MappingsCommand),
    /// Settings for every instance: the billing timezone.
    #[command(subcommand)]
    Settings(crate::settings::SettingsCommand),
    /// Syncs on a cron schedule in the foreground until Ctrl-C or SIGTERM.
    Schedule(crate::schedule::ScheduleArgs),
    /// Finds your links between Zammad entries and Kimai timesheets again from the markers in
    /// Kimai (a new computer, a lost database). Writes only links; the next sync shows every
    /// difference between the two sides as a conflict.
    RebuildLinks {
        /// Only timesheets that begin on or after this day (YYYY-MM-DD); default: all of them.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::args::parse_day)]
        since: Option<chrono::NaiveDate>,
    },
    /// Switching to Timebridge: links the timesheets already in Kimai — written by the
    /// previous sync service (Zammad-Kimai-Time-Tracking-Sync) or by Timebridge elsewhere —
    /// to their entries, and parks entries with a probable hand-made twin for your word.
    /// Creates and changes nothing in Kimai.
    Adopt(AdoptArgs),
    /// Month-end billing: preview a month, tag and lock it in Kimai (resumable), reverse a
    /// run, list runs.
    #[command(subcommand)]
    Bill(crate::bill::BillCommand),
}

/// `timebridge sync`.
#[derive(Debug, Args)]
pub(crate) struct SyncArgs {
    /// Plan only: print what a sync would do and write nothing to Kimai.
    #[arg(long)]
    pub(crate) preview: bool,
    /// Go ahead with the first sync of every new helpdesk (without it, a new helpdesk's
    /// first sync only shows what it would do).
    #[arg(long, conflicts_with = "preview")]
    pub(crate) yes: bool,
}

/// `timebridge adopt`.
#[derive(Debug, Args)]
pub(crate) struct AdoptArgs {
    /// Only show what it would link and ask about; store nothing.
    #[arg(long)]
    pub(crate) preview: bool,
    /// The helpdesk that owns previous-service timesheets several helpdesks could own (no
    /// `Zammad URL` line, or helpdesks on one host); kept for later runs (with `--preview`:
    /// only shown).
    #[arg(long, value_name = "KEY", value_parser = parse_key)]
    pub(crate) helpdesk: Option<InstanceKey>,
}

/// `timebridge conflicts …`.
#[derive(Debug, Subcommand)]
pub(crate) enum ConflictsCommand {
    /// Open conflicts (with any decision waiting for the next sync) and parked entries.
    List,
    /// One conflict or parked entry in full: both sides, the base, the decisions that apply.
    Show {
        /// The entry: `<instance>#<time accounting id>`, e.g. `acme#4711`.
        #[arg(value_parser = parse_source_key)]
        entry: SourceKey,
    },
    /// Stores your decision on a conflict at once (offline too); the next sync applies it.
    Resolve {
        /// The entry: `<instance>#<time accounting id>`, e.g. `acme#4711`.
        #[arg(value_parser = parse_source_key)]
        entry: SourceKey,
        /// What to do with it.
        #[arg(value_enum)]
        resolution: ResolutionArg,
    },
    /// Entries the sync leaves alone: ignored by you, or held after an undo.
    Held,
    /// Takes a held or ignored entry back into the sync (the next sync treats it as new).
    Release {
        /// The entry: `<instance>#<time accounting id>`, e.g. `acme#4711`.
        #[arg(value_parser = parse_source_key)]
        entry: SourceKey,
    },
    /// Sends an entry Kimai refused again at the next sync (after you fixed the cause).
    Retry {
        /// The entry: `<instance>#<time accounting id>`, e.g. `acme#4711`.
        #[arg(value_parser = parse_source_key)]
        entry: SourceKey,
    },
    /// Says whether an entry waiting as a possible twin is the same work as the timesheet
    /// found in Kimai (`same`: linked at the next sync) or not (`different`: booked too).
    Twin {
        /// The entry: `<instance>#<time accounting id>`.
        #[arg(value_parser = parse_source_key)]
        entry: SourceKey,
        /// `same` or `different`.
        #[arg(value_parser = ["same", "different"])]
        answer: String,
    },
}

/// A decision on a conflict, as typed on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ResolutionArg {
    /// Write Zammad's version to Kimai.
    TakeZammad,
    /// Keep Kimai's version and take it as the new base.
    KeepKimai,
    /// Create the timesheet again (it was deleted in Kimai).
    Recreate,
    /// Accept that the timesheet is gone: never create it again.
    AcceptDeletion,
    /// Leave this entry alone from now on.
    Ignore,
}

impl From<ResolutionArg> for Resolution {
    fn from(arg: ResolutionArg) -> Self {
        match arg {
            ResolutionArg::TakeZammad => Self::TakeZammad,
            ResolutionArg::KeepKimai => Self::KeepKimai,
            ResolutionArg::Recreate => Self::Recreate,
            ResolutionArg::AcceptDeletion => Self::AcceptDeletion,
            ResolutionArg::Ignore => Self::Ignore,
        }
    }
}

/// `timebridge runs …`.
#[derive(Debug, Subcommand)]
pub(crate) enum RunsCommand {
    /// The newest runs, newest first.
    List {
        /// How many runs to show (at most 500).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
    },
    /// One run and its audit events (every remote write and base move, before and after).
    Show {
        /// The run id (from `runs list` or a sync's output).
        id: i64,
    },
    /// Reverses a sync run's writes to Kimai where nothing changed since; reports the rest.
    Undo {
        /// The run id (from `runs list` or a sync's output).
        id: i64,
    },
}

/// `timebridge connections …`.
#[derive(Debug, Subcommand)]
pub(crate) enum ConnectionsCommand {
    /// Checks a server with the token, then stores the connection and the token.
    #[command(subcommand)]
    Add(AddCommand),
    /// Lists the connections and where each token comes from (never the token).
    List,
    /// Checks a stored connection again with its stored token.
    Test {
        /// The connection's name, or a Zammad instance key.
        connection: String,
    },
    /// Removes a connection and its keychain token; links to timesheets are kept.
    Remove {
        /// The connection's name, or a Zammad instance key.
        connection: String,
    },
    /// Confirms what one time unit means after the helpdesk's unit setting changed: reads the
    /// setting now and keeps it with the unit; parked new entries are booked at the next sync.
    ConfirmUnit {
        /// The Zammad connection's name or instance key.
        connection: String,
        /// What one unit means now (minutes, hours, quarter_hours or custom:<minutes>).
        /// Default: what the helpdesk's setting says (required when that is unset or custom).
        #[arg(long, value_parser = parse_unit)]
        unit: Option<TimeUnit>,
        /// Keep --unit although the helpdesk's setting says otherwise.
        #[arg(long)]
        unit_differs_from_zammad: bool,
    },
    /// Lets a new helpdesk's first sync go ahead at the next run, scheduled or not (`sync`
    /// shows what it would do; `sync --yes` goes ahead and syncs at once).
    GoAhead {
        /// The Zammad connection's name or instance key.
        connection: String,
    },
}

/// `timebridge connections add kimai|zammad`.
#[derive(Debug, Subcommand)]
pub(crate) enum AddCommand {
    /// Your Kimai (only one); its user's timezone becomes the billing timezone if none is set.
    Kimai(AddKimai),
    /// A client's Zammad helpdesk.
    Zammad(AddZammad),
}

/// Options every `add` takes.
#[derive(Debug, Args)]
pub(crate) struct AddCommon {
    /// A name for the connection (unique; `test` and `remove` accept it).
    #[arg(long)]
    pub(crate) name: String,
    /// The address you open in the browser (https://…).
    #[arg(long)]
    pub(crate) url: String,
    /// Allow plain http to another machine (tokens would travel unencrypted).
    #[arg(long)]
    pub(crate) allow_insecure_http: bool,
    /// Read the API token from standard input (else from TIMEBRIDGE_TOKEN_<ACCOUNT>).
    #[arg(long)]
    pub(crate) token_stdin: bool,
    /// Store the connection without checking the server first.
    #[arg(long)]
    pub(crate) no_check: bool,
}

/// `add kimai`.
#[derive(Debug, Args)]
pub(crate) struct AddKimai {
    /// Name, address, token.
    #[command(flatten)]
    pub(crate) common: AddCommon,
}

/// `add zammad`.
#[derive(Debug, Args)]
pub(crate) struct AddZammad {
    /// The instance key: 1-12 characters a-z, 0-9; part of every marker, never changed.
    #[arg(long, value_parser = parse_key)]
    pub(crate) key: InstanceKey,
    /// What one Zammad time unit means: minutes, hours, quarter_hours or custom:<minutes>.
    /// Default: what the helpdesk's time accounting unit setting says (required when that is
    /// unset or custom, or with --no-check).
    #[arg(long, value_parser = parse_unit)]
    pub(crate) unit: Option<TimeUnit>,
    /// Keep --unit although the helpdesk's setting says otherwise (every entry is then
    /// counted in your unit, not in the one the agents see beside the field).
    #[arg(long)]
    pub(crate) unit_differs_from_zammad: bool,
    /// Name, address, token.
    #[command(flatten)]
    pub(crate) common: AddCommon,
}

fn parse_key(text: &str) -> Result<InstanceKey, String> {
    InstanceKey::new(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grammar_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
