//! `adaccess audit`: one export, or many seats at once. Reading, choosing each seat's profile
//! and directory, reviewing and the combined summary are the core's (`adaccess_core::seats`,
//! `Engine::audit_stream`); this module turns arguments into calls and answers into output.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;
use std::sync::Mutex;

use adaccess_core::ingest::{peek_file, peek_format, ExportFormat, Source};
use adaccess_core::seats::{self, Seat, SeatFailure, SeatOptions, SeatOutcome, SeatsSummary};
use adaccess_core::{
    Activity, AuditCall, Engine, ErrorInfo, Finding, Profile, ReviewError, Severity, Streamed,
    Timestamp,
};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::export::Spinner;
use crate::input::{self, display_name, CliError, Inputs};
use crate::{csv_error, html, render, Output};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// for people
    Text,
    /// one document (a report; with several seats, every seat's report and the summary)
    Json,
    /// one finding per row
    Csv,
    /// one finding per line, written as soon as it is known, the summary last
    Jsonl,
    /// a self-contained page with charts and a filterable table
    Html,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// A built-in profile id (`dv360`, `mediamath`) or a profile JSON file. Without it, each
    /// export's format chooses: a T1 permissions export is `mediamath`, anything else `dv360`
    #[arg(long, short = 'p', value_name = "ID|FILE")]
    profile: Option<String>,
    /// The seat's entity tree (one export only). Without it, `STEM.directory.json` beside the
    /// export is used when it exists, or the tree a T1 export carries
    #[arg(long, short = 'd', value_name = "FILE")]
    directory: Option<String>,
    /// Exports: files (`-` reads stdin), folders (the seats of their `seats.json`, or every
    /// *.json and *.csv in them) or glob patterns. One file gives one report; anything more,
    /// one report per seat and a combined summary
    #[arg(value_name = "EXPORT", required = true, num_args = 1..)]
    exports: Vec<String>,
    /// The review date (YYYY-MM-DD or RFC 3339); defaults to the current time
    #[arg(long, value_name = "DATE")]
    now: Option<String>,
    /// Days without a login after which a user is dormant [default: 90]
    #[arg(long, value_name = "N")]
    dormant_days: Option<u32>,
    /// Past actions (JSON array of {user, capability, level, entity, at}) for least privilege
    #[arg(long, value_name = "FILE")]
    activity: Option<String>,
    #[arg(long, short = 'f', value_enum, default_value_t = AuditFormat::Text)]
    format: AuditFormat,
}

pub fn run(inputs: &Inputs, args: AuditArgs) -> Result<Output, CliError> {
    let now = match &args.now {
        Some(n) => input::timestamp(n, "--now")?,
        None => Timestamp::now(),
    };
    let activity: Option<Vec<Activity>> = args
        .activity
        .as_deref()
        .map(|a| inputs.read_json(a))
        .transpose()?;
    let call = AuditCall {
        now: Some(now),
        activity,
        dormant_days: args.dormant_days,
    };
    let profile: Option<Profile> = args
        .profile
        .as_deref()
        .map(|p| inputs.profile(p))
        .transpose()?;
    if let [one] = args.exports.as_slice() {
        if one == "-" {
            let bytes = inputs.read_bytes(one)?;
            let engine = engine_for(
                inputs,
                args.directory.as_deref(),
                profile,
                peek_format(&bytes),
            )?;
            return one_seat(&engine, Source::Bytes(&bytes), one, &call, args.format);
        }
        let path = Path::new(one);
        if path.is_file() && path.file_name().is_none_or(|n| n != seats::MANIFEST) {
            let file = File::open(path).map_err(|e| {
                CliError::io(display_name(one), format!("cannot read `{one}`: {e}"))
            })?;
            // `--directory`, else `STEM.directory.json` beside the export.
            let found = seats::find_seats(&[one]).map_err(|e| CliError::from_core(None, &e))?;
            let beside = found
                .first()
                .and_then(|s| s.directory.as_ref())
                .map(|d| d.display().to_string());
            let directory = args.directory.clone().or(beside);
            let engine = engine_for(inputs, directory.as_deref(), profile, peek_file(path))?;
            return one_seat(
                &engine,
                Source::File { file, path },
                one,
                &call,
                args.format,
            );
        }
    }
    if args.directory.is_some() {
        return Err(CliError::argument(
            "--directory applies to one export; with several, put STEM.directory.json beside \
             each export or list the seats in a seats.json manifest",
        ));
    }
    if args.exports.iter().any(|e| e == "-") {
        return Err(CliError::argument(
            "`-` (standard input) is one export; it cannot be combined with others",
        ));
    }
    let found = seats::find_seats(&args.exports).map_err(|e| CliError::from_core(None, &e))?;
    let options = SeatOptions {
        profile,
        directory: None,
        call,
    };
    many_seats(&found, &options, args.format)
}

/// The engine of one export: the profile given, else the one its format implies.
fn engine_for(
    inputs: &Inputs,
    directory: Option<&str>,
    given: Option<Profile>,
    format: Option<ExportFormat>,
) -> Result<Engine, CliError> {
    let profile = match given {
        Some(p) => p,
        None => Profile::builtin(seats::implied_profile(format))
            .map_err(|e| CliError::from_core(None, &e))?,
    };
    inputs.engine(profile, directory, None)
}

/// One export: the report as before, or its findings as JSON lines as they are known.
fn one_seat(
    engine: &Engine,
    source: Source<'_>,
    arg: &str,
    call: &AuditCall,
    format: AuditFormat,
) -> Result<Output, CliError> {
    let name = display_name(arg);
    if format == AuditFormat::Jsonl {
        let stdout = std::io::stdout();
        let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
        let mut errors = false;
        let streamed = engine.audit_stream(source, call, &mut |batch: &[Finding]| {
            errors |= batch.iter().any(|f| f.severity == Severity::Error);
            write_lines(&mut out, None, batch)
        });
        let streamed = match streamed {
            Err(ReviewError::Sink(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                return Ok(Output::ok(String::new()))
            }
            other => other.map_err(|e| review_error(name, e))?,
        };
        let Streamed {
            format,
            users,
            seat,
            summary,
        } = streamed;
        written(write_lines(&mut out, None, &seat).and_then(|()| {
            let end = serde_json::json!({"summary": summary, "users": users, "format": format});
            writeln!(out, "{end}")?;
            out.flush()
        }))?;
        let errors = errors || seat.iter().any(|f| f.severity == Severity::Error);
        return Ok(Output {
            stdout: String::new(),
            status: u8::from(errors),
        });
    }
    let spinner = Spinner::new(true);
    spinner.say(format!("reviewing {name}"));
    let (export_format, report) = engine
        .audit_source(source, call)
        .map_err(|e| review_error(name, e))?;
    spinner.done();
    if format == AuditFormat::Json {
        // Written as it is serialised: a large seat's report is tens of megabytes.
        let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        written(
            serde_json::to_writer_pretty(&mut out, &report)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out))
                .and_then(|()| out.flush()),
        )?;
        return Ok(Output::findings(String::new(), &report.findings));
    }
    let text = match format {
        AuditFormat::Json => String::new(),
        AuditFormat::Text => render::report(&report, export_format.as_str()),
        AuditFormat::Csv => render::findings_csv(&report.findings, None).map_err(csv_error)?,
        AuditFormat::Html => html::page(
            "adaccess access review",
            &date_of(call),
            &[html::SeatView {
                seat: seat_name(arg),
                format: export_format.label(),
                report: &report,
            }],
        ),
        AuditFormat::Jsonl => String::new(),
    };
    Ok(Output::findings(text, &report.findings))
}

fn seat_name(arg: &str) -> &str {
    if arg == "-" {
        return "stdin";
    }
    Path::new(arg)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(arg)
}

fn date_of(call: &AuditCall) -> String {
    call.now
        .as_ref()
        .map(|n| n.date().to_string())
        .unwrap_or_default()
}

/// A finding as one JSON line, with its seat first when there are several.
#[derive(Serialize)]
struct Line<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    seat: Option<&'a str>,
    #[serde(flatten)]
    finding: &'a Finding,
}

fn write_lines(
    out: &mut impl Write,
    seat: Option<&str>,
    findings: &[Finding],
) -> std::io::Result<()> {
    for finding in findings {
        serde_json::to_writer(&mut *out, &Line { seat, finding })?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Many seats in parallel: every seat's report and the combined summary, or (JSON lines) each
/// seat's findings as it ends.
fn many_seats(
    found: &[Seat],
    options: &SeatOptions,
    format: AuditFormat,
) -> Result<Output, CliError> {
    let bar = Progress::new(found.len());
    if format == AuditFormat::Jsonl {
        let out = Mutex::new(BufWriter::with_capacity(1 << 16, std::io::stdout()));
        let failed_write = Mutex::new(Ok(()));
        let outcomes = seats::audit_seats(found, options, &|outcome: &SeatOutcome| {
            bar.done(outcome);
            if let Ok(r) = outcome {
                let Ok(mut out) = out.lock() else { return };
                let w = write_lines(&mut *out, Some(&r.seat), &r.report.findings).and_then(|()| {
                    let end = serde_json::json!({"seat": r.seat, "summary": r.report.summary, "users": r.report.users, "format": r.format});
                    writeln!(out, "{end}")
                });
                if let (Err(e), Ok(mut first)) = (w, failed_write.lock()) {
                    if first.is_ok() {
                        *first = Err(e);
                    }
                }
            }
        });
        bar.finish();
        let summary = SeatsSummary::of(&outcomes);
        let mut out = out
            .into_inner()
            .map_err(|_| CliError::argument("internal: poisoned output"))?;
        let end = write_failures_jsonl(&mut out, &outcomes)
            .and_then(|()| writeln!(out, "{}", serde_json::json!({"summary": summary})))
            .and_then(|()| out.flush());
        let first = failed_write.into_inner().unwrap_or(Ok(()));
        written(first.and(end))?;
        report_failures(&outcomes);
        return Ok(Output {
            stdout: String::new(),
            status: status(&summary),
        });
    }
    let outcomes = seats::audit_seats(found, options, &|outcome: &SeatOutcome| bar.done(outcome));
    bar.finish();
    let summary = SeatsSummary::of(&outcomes);
    report_failures(&outcomes);
    let reports: Vec<_> = outcomes.iter().filter_map(|o| o.as_ref().ok()).collect();
    let failed: Vec<&SeatFailure> = outcomes
        .iter()
        .filter_map(|o| o.as_ref().err().map(|f| &**f))
        .collect();
    let text = match format {
        AuditFormat::Json => render::json(&serde_json::json!({
            "seats": reports,
            "failed": failed,
            "summary": summary,
        })),
        AuditFormat::Text => render::seats(&summary, &failed),
        AuditFormat::Csv => {
            let mut rows = String::new();
            for (k, r) in reports.iter().enumerate() {
                let csv =
                    render::findings_csv(&r.report.findings, Some(&r.seat)).map_err(csv_error)?;
                // The header once.
                let body = if k == 0 {
                    csv.as_str()
                } else {
                    csv.split_once('\n').map_or("", |(_, b)| b)
                };
                rows.push_str(body);
            }
            if reports.is_empty() {
                rows = render::findings_csv(&[], Some("")).map_err(csv_error)?;
            }
            rows
        }
        AuditFormat::Html => {
            let views: Vec<html::SeatView<'_>> = reports
                .iter()
                .map(|r| html::SeatView {
                    seat: &r.seat,
                    format: r.format.label(),
                    report: &r.report,
                })
                .collect();
            html::page("adaccess access review", &date_of(&options.call), &views)
        }
        AuditFormat::Jsonl => String::new(),
    };
    Ok(Output {
        stdout: text,
        status: status(&summary),
    })
}

fn write_failures_jsonl(out: &mut impl Write, outcomes: &[SeatOutcome]) -> std::io::Result<()> {
    for f in outcomes.iter().filter_map(|o| o.as_ref().err()) {
        writeln!(out, "{}", serde_json::json!({"seat": f.seat, "failed": f}))?;
    }
    Ok(())
}

/// Each seat that could not be reviewed, on stderr.
fn report_failures(outcomes: &[SeatOutcome]) {
    let mut stderr = std::io::stderr().lock();
    for f in outcomes.iter().filter_map(|o| o.as_ref().err()) {
        let _ = writeln!(
            stderr,
            "error: seat {}: {}",
            f.seat,
            describe(&f.file, &f.error)
        );
    }
}

fn describe(file: &str, e: &ErrorInfo) -> String {
    match &e.path {
        Some(p) => format!("{file}: `{p}`: {} [{}]", e.message, e.code),
        None => format!("{file}: {} [{}]", e.message, e.code),
    }
}

/// 2 when a seat could not be reviewed, else 1 when a finding is an error, else 0.
fn status(summary: &SeatsSummary) -> u8 {
    if summary.failed > 0 {
        2
    } else {
        u8::from(summary.by_severity.get("error").is_some_and(|n| *n > 0))
    }
}

/// A review's error: the export's, its directory's, or writing the output's.
fn review_error<E: std::fmt::Display>(file: &str, e: ReviewError<E>) -> CliError {
    match e {
        ReviewError::Ingest(e) => CliError::from_core(Some(file), &e),
        ReviewError::Directory(e) => CliError::from_core(Some("<export directory>"), &e),
        ReviewError::Sink(e) => CliError::io("<stdout>", format!("cannot write: {e}")),
    }
}

/// The output written, or why not; a closed pipe (`| head`) is not an error.
fn written(result: std::io::Result<()>) -> Result<(), CliError> {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::io("<stdout>", format!("cannot write: {e}")))
        }
        _ => Ok(()),
    }
}

/// A progress bar over the seats on stderr, when it is a terminal.
struct Progress(Option<ProgressBar>);

impl Progress {
    fn new(seats: usize) -> Self {
        if !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(Some(seats as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{bar:30} {pos}/{len} seats ({elapsed}, about {eta} left) {msg}",
        ) {
            bar.set_style(style);
        }
        Progress(Some(bar))
    }

    fn done(&self, outcome: &SeatOutcome) {
        if let Some(bar) = &self.0 {
            let seat = match outcome {
                Ok(r) => &r.seat,
                Err(f) => &f.seat,
            };
            bar.set_message(seat.clone());
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}
