//! `adaccess`: the command line of adaccess. It reads documents, asks the core, and formats
//! the answer; every rule and check lives in `adaccess-core`.

mod audit;
mod export;
mod html;
mod input;
mod matrix;
mod render;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;
use std::process::ExitCode;

use adaccess_core::{
    codes_for, log, AdaccessError, Change, Profile, ReconcileOptions, Severity, SnapshotError,
    Snapshots, Timestamp, User,
};
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Serialize;
use serde_json::Value;

use input::{display_name, CliError, Inputs};

const EXIT_CODES: &str = "\
Exit status:
  0  nothing is an `error` (for `can`: allowed)
  1  an `error` finding is present (for `can`: denied)
  2  unusable input: the message, the file and the path inside it are on stderr

A file argument `-` reads standard input. An entity is written LEVEL:ID (`advertiser:11`).";

#[derive(Debug, Parser)]
#[command(
    name = "adaccess",
    version,
    about = "Access rules for advertising platforms: validate users, assess access changes, audit a seat",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The profile and directory every evaluating command takes.
#[derive(Debug, Args)]
struct EngineArgs {
    /// A built-in profile id (`dv360`, `mediamath`) or a profile JSON file
    #[arg(long, short = 'p', value_name = "ID|FILE", default_value = "dv360")]
    profile: String,
    /// The seat's entity tree: `{"entities": [{level, id, parent, name}]}`
    #[arg(long, short = 'd', value_name = "FILE")]
    directory: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TableFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the built-in profiles
    Profiles {
        /// text for people, json for programs
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show a profile: the permission matrix, or the profile document
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Check a profile document and print every problem (exit 0 when clean, 2 when not)
    CheckProfile {
        /// A profile JSON file (or a built-in id)
        #[arg(value_name = "FILE")]
        file: String,
        /// text for people, json for programs
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the JSON Schemas of the profile, directory, user and change documents
    Schema,
    /// List every finding code with its default severity and a one-line description
    Codes {
        /// Show the severities of this profile's rules, and the rules it adds
        #[arg(long, short = 'p', value_name = "ID|FILE")]
        profile: Option<String>,
        /// text for people, json for programs
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Check one user's access: `{ok, findings}`
    Validate {
        #[command(flatten)]
        engine: EngineArgs,
        /// The user document (`-` reads stdin)
        #[arg(value_name = "USER.json")]
        user: String,
        /// text for people, json for programs
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Assess a proposed change: findings, approvals, plan, log entry and platform requests
    Assess {
        #[command(flatten)]
        engine: EngineArgs,
        /// The change document: {actor, before, after, reason, approvals, ...}
        #[arg(value_name = "CHANGE.json")]
        change: String,
        /// text for people, json for programs
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Append the change's log entry to this access log (JSON Lines, hash-chained), dated
        /// today when the change has no `now`. Refused (exit 1, nothing written) when the
        /// assessment has an error
        #[arg(long, value_name = "FILE")]
        append_log: Option<String>,
    },
    /// The access log: check its hash chain
    #[command(subcommand)]
    Log(LogCommand),
    /// What changed between two exports of a seat: users added, removed, and each change of
    /// access assessed as if it had been proposed
    Drift {
        #[command(flatten)]
        engine: EngineArgs,
        /// The older export (any format `audit` reads)
        old: String,
        /// The newer export of the same seat
        new: String,
        /// The date the changes are assessed at (YYYY-MM-DD or RFC 3339); default: none
        #[arg(long, value_name = "DATE")]
        now: Option<String>,
        /// text for people, json for programs
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Does the access log explain every change between two exports? Unlogged, unapproved and
    /// not-applied changes, expired elevations and tokens left active
    Reconcile {
        #[command(flatten)]
        engine: EngineArgs,
        /// The older export (any format `audit` reads)
        old: String,
        /// The newer export of the same seat
        new: String,
        /// The access log (JSON Lines, as `assess --append-log` writes it)
        #[arg(long, value_name = "FILE")]
        log: String,
        /// When the old export was taken: log entries before it are not matched [default:
        /// no bound]
        #[arg(long, value_name = "DATE")]
        old_date: Option<String>,
        /// When the new export was taken: log entries after it are not matched, elevations
        /// ended before it are reported [default: now]
        #[arg(long, value_name = "DATE")]
        new_date: Option<String>,
        /// text for people, json for programs, csv: one finding per row
        #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// May the user do CAPABILITY at LEVEL on ENTITY? Exit 0 when allowed, 1 when denied
    Can {
        #[command(flatten)]
        engine: EngineArgs,
        /// The user document (`-` reads stdin)
        #[arg(value_name = "USER.json")]
        user: String,
        /// A capability of the profile (`campaigns`)
        capability: String,
        /// An access level of the capability (`write`)
        level: String,
        /// LEVEL:ID, e.g. `advertiser:11`
        entity: String,
        /// text for people, json for programs
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Redact a record as the user may see it on ENTITY (cost fields become "No access")
    Redact {
        #[command(flatten)]
        engine: EngineArgs,
        /// The user document (`-` reads stdin)
        #[arg(value_name = "USER.json")]
        user: String,
        /// LEVEL:ID, e.g. `advertiser:11`
        entity: String,
        /// The record, any JSON value
        #[arg(value_name = "RECORD.json")]
        record: String,
        /// The redacted record is JSON either way
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Review every user of a seat, or of many seats in parallel: violations, risky grants,
    /// expired elevations, dormant users
    Audit(audit::AuditArgs),
    /// List the users of an export who can do CAPABILITY at LEVEL on ENTITY, and why
    WhoCan {
        #[command(flatten)]
        engine: EngineArgs,
        capability: String,
        level: String,
        /// LEVEL:ID, e.g. `advertiser:11`
        entity: String,
        /// The seat's users (as for `audit`)
        export: String,
        /// text for people, json for programs
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
enum ProfileCommand {
    /// The permission matrix as a table (roles x capabilities), or the profile document
    Show {
        /// A built-in profile id or a profile JSON file
        #[arg(value_name = "ID|FILE", default_value = "dv360")]
        profile: String,
        /// table: the permission matrix; json: the profile document
        #[arg(long, short = 'f', value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        /// Fit the table in this many columns (default: $COLUMNS, else 120)
        #[arg(long, value_name = "N")]
        width: Option<usize>,
        /// Every fact of the profile with where it comes from (json: documents and facts)
        #[arg(long)]
        sources: bool,
    },
}

#[derive(Debug, Subcommand)]
enum LogCommand {
    /// Check that every line is an entry chained to the one before (exit 1 at the first break)
    Verify {
        /// The access log (`-` reads stdin)
        file: String,
        /// The head hash a previous verification reported: check the log still holds it
        #[arg(long, value_name = "HASH")]
        head: Option<String>,
        /// text for people, json for programs
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// `check-profile --format json`.
#[derive(Serialize)]
struct ProfileCheck<'a> {
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    profile: Option<&'a render::ProfileSummary>,
    problems: &'a [adaccess_core::Problem],
    /// Mistakes in the profile's citations: it works, but its documentation is wrong.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    source_problems: &'a [adaccess_core::Problem],
}

/// What a command prints on stdout and the exit status.
struct Output {
    stdout: String,
    status: u8,
}

impl Output {
    fn ok(stdout: String) -> Self {
        Output { stdout, status: 0 }
    }

    /// Exit 1 when any finding is an `error`.
    fn findings(stdout: String, findings: &[adaccess_core::Finding]) -> Self {
        let error = findings.iter().any(|f| f.severity == Severity::Error);
        Output {
            stdout,
            status: u8::from(error),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let inputs = Inputs::default();
    match run(cli.command, &inputs) {
        Ok(out) => {
            write_stdout(&out.stdout);
            ExitCode::from(out.status)
        }
        Err(err) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {err}");
            for p in &err.problems {
                let _ = writeln!(stderr, "  {p}");
            }
            ExitCode::from(2)
        }
    }
}

/// Writes the answer; a closed pipe (`adaccess schema | head`) is not an error.
fn write_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Runs one subcommand; each has its own function below, in the order of `Command`.
fn run(command: Command, inputs: &Inputs) -> Result<Output, CliError> {
    match command {
        Command::Profiles { format } => profiles(format),
        Command::Profile(ProfileCommand::Show {
            profile,
            format,
            width,
            sources,
        }) => show_profile(inputs, &profile, format, width, sources),
        Command::CheckProfile { file, format } => check_profile(inputs, &file, format),
        Command::Schema => Ok(Output::ok(render::json(&adaccess_core::schemas()))),
        Command::Codes { profile, format } => codes(inputs, profile.as_deref(), format),
        Command::Validate {
            engine,
            user,
            format,
        } => validate(inputs, &engine, &user, format),
        Command::Assess {
            engine,
            change,
            format,
            append_log,
        } => assess(inputs, &engine, &change, format, append_log.as_deref()),
        Command::Log(LogCommand::Verify { file, head, format }) => {
            verify_log(inputs, &file, head.as_deref(), format)
        }
        Command::Drift {
            engine,
            old,
            new,
            now,
            format,
        } => drift(inputs, &engine, &old, &new, now.as_deref(), format),
        Command::Reconcile {
            engine,
            old,
            new,
            log: log_file,
            old_date,
            new_date,
            format,
        } => {
            let options = reconcile_options(old_date.as_deref(), new_date.as_deref())?;
            reconcile(inputs, &engine, &old, &new, &log_file, &options, format)
        }
        Command::Can {
            engine,
            user,
            capability,
            level,
            entity,
            format,
        } => {
            let question = Question::new(&capability, &level, &entity);
            can(inputs, &engine, &user, &question, format)
        }
        Command::Redact {
            engine,
            user,
            entity,
            record,
            format: _,
        } => redact(inputs, &engine, &user, &entity, &record),
        Command::Audit(args) => audit::run(inputs, args),
        Command::WhoCan {
            engine,
            capability,
            level,
            entity,
            export,
            format,
        } => {
            let question = Question::new(&capability, &level, &entity);
            who_can(inputs, &engine, &export, &question, format)
        }
    }
}

/// `profiles`: the built-in profiles.
fn profiles(format: Format) -> Result<Output, CliError> {
    let mut list = Vec::new();
    for id in Profile::builtin_ids() {
        let p = Profile::builtin(id).map_err(|e| CliError::from_core(None, &e))?;
        list.push(render::ProfileSummary::of(&p));
    }
    Ok(Output::ok(match format {
        Format::Json => render::json(&list),
        Format::Text => render::profiles(&list),
    }))
}

/// `profile show`: the permission matrix, the document, or either with its sources.
fn show_profile(
    inputs: &Inputs,
    profile: &str,
    format: TableFormat,
    width: Option<usize>,
    sources: bool,
) -> Result<Output, CliError> {
    let p = inputs.profile(profile)?;
    Ok(Output::ok(match (format, sources) {
        (TableFormat::Json, false) => render::json(p.doc()),
        (TableFormat::Json, true) => render::json(&serde_json::json!({
            "profile": p.id(),
            "documents": p.documents(),
            "facts": p.facts(),
        })),
        (TableFormat::Table, false) => matrix::table(&p, width.unwrap_or_else(terminal_width)),
        (TableFormat::Table, true) => render::sources(&p),
    }))
}

/// `codes`: every finding code, with a profile's severities when one is given.
fn codes(inputs: &Inputs, profile: Option<&str>, format: Format) -> Result<Output, CliError> {
    let p = profile.map(|p| inputs.profile(p)).transpose()?;
    let list = codes_for(p.as_ref());
    Ok(Output::ok(match format {
        Format::Json => render::json(&list),
        Format::Text => render::codes(&list),
    }))
}

/// `validate`: one user's findings.
fn validate(
    inputs: &Inputs,
    engine: &EngineArgs,
    user: &str,
    format: Format,
) -> Result<Output, CliError> {
    let user: User = inputs.read_json(user)?;
    let engine = build_engine(inputs, engine)?;
    let validation = engine.validate_user(&user);
    let text = match format {
        Format::Json => render::json(&validation),
        Format::Text => render::validation(validation.ok, &validation.findings),
    };
    Ok(Output::findings(text, &validation.findings))
}

/// `assess`: a change's assessment, its log entry appended to `append_log` when given.
fn assess(
    inputs: &Inputs,
    engine: &EngineArgs,
    change: &str,
    format: Format,
    append_log: Option<&str>,
) -> Result<Output, CliError> {
    let mut change: Change = inputs.read_json(change)?;
    if append_log.is_some() {
        change = log::dated(&change, &Timestamp::now());
    }
    let engine = build_engine(inputs, engine)?;
    let assessment = engine.assess(&change);
    let text = match format {
        Format::Json => render::json(&assessment),
        Format::Text => render::assessment(&assessment),
    };
    let out = Output::findings(text, &assessment.findings);
    if let Some(file) = append_log {
        append(file, assessment)?;
    }
    Ok(out)
}

/// `log verify`: the log's hash chain checked (exit 1 at the first break).
fn verify_log(
    inputs: &Inputs,
    file: &str,
    head: Option<&str>,
    format: Format,
) -> Result<Output, CliError> {
    let bytes = inputs.read_bytes(file)?;
    let text = log::text(&bytes).map_err(|e| CliError::from_core(Some(display_name(file)), &e))?;
    let v = log::verify(text, head);
    let stdout = match format {
        Format::Json => render::json(&v),
        Format::Text => render::verification(&v, display_name(file)),
    };
    Ok(Output {
        stdout,
        status: u8::from(!v.ok),
    })
}

/// `drift`: what changed between two exports, each change assessed as of `now`.
fn drift(
    inputs: &Inputs,
    engine: &EngineArgs,
    old: &str,
    new: &str,
    now: Option<&str>,
    format: Format,
) -> Result<Output, CliError> {
    let now = now.map(|n| input::timestamp(n, "--now")).transpose()?;
    let engine = build_engine(inputs, engine)?;
    let (old_bytes, new_bytes) = (inputs.read_bytes(old)?, inputs.read_bytes(new)?);
    let snapshots = Snapshots {
        old: &old_bytes,
        new: &new_bytes,
    };
    let drift = engine
        .drift_exports(&snapshots, now.as_ref())
        .map_err(|e| snapshot_error(&e, old, new, None))?;
    Ok(Output::ok(match format {
        Format::Json => render::json(&drift),
        Format::Text => render::drift(&drift),
    }))
}

/// The dates of `reconcile`: `--old-date` when given, `--new-date` or now.
fn reconcile_options(
    old_date: Option<&str>,
    new_date: Option<&str>,
) -> Result<ReconcileOptions, CliError> {
    Ok(ReconcileOptions {
        old_date: old_date
            .map(|d| input::timestamp(d, "--old-date"))
            .transpose()?,
        new_date: Some(match new_date {
            Some(d) => input::timestamp(d, "--new-date")?,
            None => Timestamp::now(),
        }),
    })
}

/// `reconcile`: whether the access log explains every change between two exports.
fn reconcile(
    inputs: &Inputs,
    engine: &EngineArgs,
    old: &str,
    new: &str,
    log_file: &str,
    options: &ReconcileOptions,
    format: ReportFormat,
) -> Result<Output, CliError> {
    let engine = build_engine(inputs, engine)?;
    let log_bytes = inputs.read_bytes(log_file)?;
    let log_text =
        log::text(&log_bytes).map_err(|e| CliError::from_core(Some(display_name(log_file)), &e))?;
    let (old_bytes, new_bytes) = (inputs.read_bytes(old)?, inputs.read_bytes(new)?);
    let snapshots = Snapshots {
        old: &old_bytes,
        new: &new_bytes,
    };
    let r = engine
        .reconcile_exports(&snapshots, log_text, options)
        .map_err(|e| snapshot_error(&e, old, new, Some(log_file)))?;
    let text = match format {
        ReportFormat::Json => render::json(&r),
        ReportFormat::Text => render::reconciliation(&r),
        ReportFormat::Csv => render::findings_csv(&r.findings, None).map_err(csv_error)?,
    };
    Ok(Output::findings(text, &r.findings))
}

/// What `can` and `who-can` ask: CAPABILITY at LEVEL on ENTITY (`LEVEL:ID`, unparsed).
struct Question<'a> {
    capability: &'a str,
    level: &'a str,
    entity: &'a str,
}

impl<'a> Question<'a> {
    /// The question of these three arguments.
    fn new(capability: &'a str, level: &'a str, entity: &'a str) -> Self {
        Question {
            capability,
            level,
            entity,
        }
    }
}

/// `can`: may the user do it (exit 1 when denied)?
fn can(
    inputs: &Inputs,
    engine: &EngineArgs,
    user: &str,
    question: &Question<'_>,
    format: Format,
) -> Result<Output, CliError> {
    let entity = input::entity(question.entity)?;
    let user: User = inputs.read_json(user)?;
    let engine = build_engine(inputs, engine)?;
    let decision = engine.can(&user, question.capability, question.level, &entity);
    let stdout = match format {
        Format::Json => render::json(&decision),
        Format::Text => render::decision(&decision),
    };
    Ok(Output {
        stdout,
        status: u8::from(!decision.allowed),
    })
}

/// `redact`: a record as the user may see it on an entity (always JSON).
fn redact(
    inputs: &Inputs,
    engine: &EngineArgs,
    user: &str,
    entity: &str,
    record: &str,
) -> Result<Output, CliError> {
    let entity = input::entity(entity)?;
    let user: User = inputs.read_json(user)?;
    let record: Value = inputs.read_json(record)?;
    let engine = build_engine(inputs, engine)?;
    Ok(Output::ok(render::json(
        &engine.redact(&user, &entity, &record),
    )))
}

/// `who-can`: the users of an export who may do it, and why.
fn who_can(
    inputs: &Inputs,
    engine: &EngineArgs,
    export: &str,
    question: &Question<'_>,
    format: Format,
) -> Result<Output, CliError> {
    let target = input::entity(question.entity)?;
    let profile = inputs.profile(&engine.profile)?;
    let (data, spinner) = export::read(inputs, &profile, export)?;
    let engine = inputs.engine(profile, engine.directory.as_deref(), data.directory)?;
    let (capability, level) = (question.capability, question.level);
    let list = engine.who_can(&data.users, capability, level, &target);
    spinner.done();
    Ok(Output::ok(match format {
        Format::Json => render::json(&list),
        Format::Text => render::who_can(&list, capability, level, question.entity),
    }))
}

fn csv_error(e: String) -> CliError {
    CliError {
        file: None,
        path: None,
        message: format!("cannot write CSV: {e}"),
        code: "output.csv".into(),
        problems: Vec::new(),
    }
}

/// An error reading two exports (or their log), naming the file it is in.
fn snapshot_error(e: &SnapshotError, old: &str, new: &str, log: Option<&str>) -> CliError {
    let file = match e {
        SnapshotError::Old(_) => Some(old),
        SnapshotError::New(_) => Some(new),
        SnapshotError::Log(_) => log,
        _ => None,
    };
    CliError::from_core(file.map(display_name), e)
}

/// Appends the assessed change's log entry to FILE, or refuses with exit 1 (the assessment
/// is still printed).
fn append(file: &str, assessment: adaccess_core::Assessment) -> Result<(), CliError> {
    let entry = match log::entry(assessment) {
        Ok(entry) => entry,
        Err(e) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "not logged: {e} [{}]", e.code());
            return Ok(());
        }
    };
    match log::append(std::path::Path::new(file), &entry) {
        Ok(_) => Ok(()),
        Err(log::AppendError::Io(e)) => Err(CliError::io(file, e.to_string())),
        Err(log::AppendError::Log(e)) => Err(CliError::from_core(Some(display_name(file)), &e)),
    }
}

fn build_engine(inputs: &Inputs, args: &EngineArgs) -> Result<adaccess_core::Engine, CliError> {
    let profile = inputs.profile(&args.profile)?;
    inputs.engine(profile, args.directory.as_deref(), None)
}

/// `check-profile`: every problem, one per line; exit 2 when the profile cannot be used.
fn check_profile(inputs: &Inputs, file: &str, format: Format) -> Result<Output, CliError> {
    match inputs.profile(file) {
        Ok(p) => {
            let s = render::ProfileSummary::of(&p);
            let source_problems = p.source_problems();
            let stdout = match format {
                Format::Json => render::json(&ProfileCheck {
                    ok: true,
                    profile: Some(&s),
                    problems: &[],
                    source_problems: &source_problems,
                }),
                Format::Text => {
                    let facts = p.facts();
                    let unsourced = facts.iter().filter(|f| f.sources.is_empty()).count();
                    let mut out = format!(
                        "ok: {} ({}), version {}: {} roles, {} capabilities, {} rules; {} facts, {unsourced} without a source\n",
                        s.id, s.name, s.version, s.roles, s.capabilities, s.rules, facts.len()
                    );
                    for problem in &source_problems {
                        out.push_str(&format!("source: {problem}\n"));
                    }
                    out
                }
            };
            // Wrong citations leave the profile usable: exit 1, as for an error finding.
            Ok(Output {
                stdout,
                status: u8::from(!source_problems.is_empty()),
            })
        }
        // A profile that parses but has problems: list them all on stdout.
        Err(err) if err.code == "profile.invalid" || err.code == "profile.syntax" => {
            let problems: Vec<adaccess_core::Problem> = if err.problems.is_empty() {
                vec![adaccess_core::Problem {
                    code: err.code.clone(),
                    path: err.path.clone().unwrap_or_else(|| ".".into()),
                    message: err.message.clone(),
                }]
            } else {
                err.problems.clone()
            };
            let stdout = match format {
                Format::Json => render::json(&ProfileCheck {
                    ok: false,
                    profile: None,
                    problems: &problems,
                    source_problems: &[],
                }),
                Format::Text if err.problems.is_empty() => {
                    // One syntax problem: the error itself, without the file name.
                    let one = CliError {
                        file: None,
                        ..err.clone()
                    };
                    format!("{one}\n")
                }
                Format::Text => {
                    let mut s = String::new();
                    for p in &problems {
                        s.push_str(&p.to_string());
                        s.push('\n');
                    }
                    s
                }
            };
            write_stdout(&stdout);
            Err(CliError {
                file: Some(display_name(file).to_string()),
                path: None,
                message: format!("{} problem(s): the profile cannot be used", problems.len()),
                code: err.code,
                problems: Vec::new(),
            })
        }
        Err(err) => Err(err),
    }
}

/// The terminal width from `$COLUMNS`, else 120.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(120)
}
