//! `timebridge`: the headless command line over the Timebridge core, for power users, cron
//! and servers (the headless front end). It uses the same data directory, database and keychain
//! entries as the desktop app, so both see the same connections.
//!
//! Output is plain text for people, or with `--json` one JSON document on stdout whose shape
//! is stable enough to script against (see the README). Failures exit with a code per kind of
//! cause ([`failure::Exit`]); tokens are never printed.

mod add;
mod adopt;
mod args;
mod bill;
mod bill_print;
mod check;
mod cli;
mod conflict_show;
mod conflicts;
mod context;
mod failure;
mod holds;
mod manage;
mod mappings;
mod mappings_edit;
mod mappings_show;
mod op_failure;
mod rebuild;
mod runs;
mod schedule;
mod settings;
mod status;
mod sync;
mod token;
mod undo;
mod unit;

use std::process::ExitCode;

use clap::Parser;
use timebridge_core::secrets::KeychainStore;
use timebridge_core::{Clock, DataDir};

use crate::cli::{Cli, Command, ConflictsCommand, ConnectionsCommand, RunsCommand};
pub(crate) use crate::context::{block_on, print_json, say, Context};
use crate::failure::{Exit, Failure};

fn main() -> ExitCode {
    // Before anything is created: the data directory and every file in it owner-only.
    timebridge_core::owner_only_from_now_on();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap's own exit code for usage errors is 2, which here means "connection
            // problem"; help and version are successes.
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(Exit::Usage as u8)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if json && !failure.json_printed {
                print_json(&failure.to_json());
            }
            eprintln!("error [{}]: {}", failure.code, failure.message);
            ExitCode::from(failure.exit as u8)
        }
    }
}

/// Runs one parsed command.
fn run(cli: Cli) -> Result<(), Failure> {
    let data_dir = match &cli.data_dir {
        Some(dir) => DataDir::at(dir),
        None => DataDir::resolve()?,
    };
    let ctx = Context {
        data_dir,
        json: cli.json,
        clock: Clock::system(),
        keychain: KeychainStore::default(),
    };
    // Every command uses the data directory; the user hears once if it had to be tightened.
    let tightened = ctx.data_dir.ensure()?;
    if !tightened.paths.is_empty() {
        eprintln!("note: {tightened}.");
    }
    match cli.command {
        Command::Status => status::run(&ctx),
        Command::Connections(ConnectionsCommand::Add(add)) => add::run(&ctx, add),
        Command::Connections(ConnectionsCommand::List) => manage::list(&ctx),
        Command::Connections(ConnectionsCommand::Test { connection }) => {
            manage::test(&ctx, &connection)
        }
        Command::Connections(ConnectionsCommand::Remove { connection }) => {
            manage::remove(&ctx, &connection)
        }
        Command::Connections(ConnectionsCommand::GoAhead { connection }) => {
            manage::go_ahead(&ctx, &connection)
        }
        Command::Connections(ConnectionsCommand::ConfirmUnit {
            connection,
            unit,
            unit_differs_from_zammad,
        }) => manage::confirm_unit(&ctx, &connection, unit, unit_differs_from_zammad),
        Command::Sync(args) => sync::run(&ctx, args.preview, args.yes),
        Command::Adopt(args) => adopt::run(&ctx, &args),
        Command::Conflicts(ConflictsCommand::List) => conflicts::list(&ctx),
        Command::Conflicts(ConflictsCommand::Resolve { entry, resolution }) => {
            conflicts::resolve(&ctx, &entry, resolution)
        }
        Command::Conflicts(ConflictsCommand::Held) => holds::list(&ctx),
        Command::Conflicts(ConflictsCommand::Release { entry }) => holds::release(&ctx, &entry),
        Command::Conflicts(ConflictsCommand::Retry { entry }) => holds::retry(&ctx, &entry),
        Command::Conflicts(ConflictsCommand::Twin { entry, answer }) => {
            holds::twin(&ctx, &entry, answer == "same")
        }
        Command::Runs(RunsCommand::Undo { id }) => undo::run(&ctx, id),
        Command::Runs(RunsCommand::List { limit }) => runs::list(&ctx, limit),
        Command::Runs(RunsCommand::Show { id }) => runs::show(&ctx, id),
        Command::Conflicts(ConflictsCommand::Show { entry }) => conflict_show::show(&ctx, &entry),
        Command::Mappings(command) => mappings_edit::run(&ctx, command),
        Command::Settings(settings::SettingsCommand::Timezone { zone }) => {
            settings::timezone(&ctx, zone)
        }
        Command::Settings(settings::SettingsCommand::BookFrom { day }) => {
            settings::book_from(&ctx, day)
        }
        Command::Schedule(args) => schedule::run(&ctx, &args),
        Command::RebuildLinks { since } => rebuild::run(&ctx, since),
        Command::Bill(command) => bill::run(&ctx, command),
    }
}
