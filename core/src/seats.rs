//! Many seats in one run (not in WebAssembly): which files are seats, which profile and
//! directory each uses, and their access reviews in parallel on every core.
//!
//! A source is a file, a folder or a glob pattern:
//!
//! - a file is one seat, named by its file stem (`acme.json` is `acme`); its directory is
//!   `STEM.directory.json` beside it when that file exists;
//! - a folder with a `seats.json` manifest holds the seats the manifest lists; without one,
//!   every `*.json` and `*.csv` file in it (not in sub-folders) except `*.directory.json` is a
//!   seat, with its directory found as above;
//! - a file named `seats.json` is a manifest;
//! - a pattern with `*`, `?` or `[` is expanded (`exports/*.json`), and each match is a file.
//!
//! The manifest: `{"seats": [{"seat"?, "export", "directory"?, "profile"?}]}`, with paths
//! relative to the manifest's folder; `profile` is a built-in id or a profile file.
//!
//! A seat's profile is the one the caller gives, else the manifest's, else the one its
//! export's format implies (a T1 permissions export is MediaMath, a `users.list` is DV360),
//! else `dv360`.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::audit::{AuditCall, Report};
use crate::engine::Engine;
use crate::error::{AdaccessError, ErrorInfo};
use crate::finding::Severity;
use crate::ingest::{peek_file, ExportFormat, Source};
use crate::model::Directory;
use crate::profile::Profile;

/// The manifest's file name.
pub const MANIFEST: &str = "seats.json";
/// What follows a seat's stem in the name of its directory file.
pub const DIRECTORY_SUFFIX: &str = ".directory.json";

/// One seat to review: its export, and the directory and profile it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Seat {
    pub seat: String,
    pub export: PathBuf,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory: Option<PathBuf>,
    /// A built-in profile id or a profile file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
}

/// Finding the seats, or a seat's profile or directory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeatsError {
    #[error("`{source_arg}`: {message}")]
    NotFound { source_arg: String, message: String },
    #[error("{file}: `{path}`: {message}")]
    Manifest {
        file: String,
        path: String,
        message: String,
    },
    #[error(
        "two seats are named `{seat}`: {first} and {second}; name them in a seats.json manifest"
    )]
    Duplicate {
        seat: String,
        first: String,
        second: String,
    },
    #[error("{file}: {message}")]
    Unreadable { file: String, message: String },
}

crate::error::coded_variants!(SeatsError {
    NotFound => "seats.not_found",
    Manifest => "seats.manifest",
    Duplicate => "seats.duplicate",
    Unreadable => "seats.unreadable",
});

impl AdaccessError for SeatsError {
    fn code(&self) -> &'static str {
        self.variant_code()
    }

    fn path(&self) -> Option<&str> {
        match self {
            SeatsError::Manifest { path, .. } => Some(path),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    seats: Vec<ManifestSeat>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestSeat {
    #[serde(default)]
    seat: Option<String>,
    export: PathBuf,
    #[serde(default)]
    directory: Option<PathBuf>,
    #[serde(default)]
    profile: Option<String>,
}

/// The seats the sources name (see the [module](self) docs), in the order given; each
/// folder's files in name order.
pub fn find_seats<S: AsRef<str>>(sources: &[S]) -> Result<Vec<Seat>, SeatsError> {
    let mut seats: Vec<Seat> = Vec::new();
    for source in sources {
        let source = source.as_ref();
        let path = Path::new(source);
        if source.contains(['*', '?', '[']) && !path.exists() {
            let mut matched = glob_files(source)?;
            if matched.is_empty() {
                return Err(not_found(source, "no file matches the pattern"));
            }
            matched.sort();
            seats.extend(matched.iter().map(|p| seat_of_file(p)));
        } else if path.is_dir() {
            let manifest = path.join(MANIFEST);
            if manifest.is_file() {
                seats.extend(read_manifest(&manifest)?);
            } else {
                seats.extend(folder(path)?);
            }
        } else if path.is_file() {
            if path.file_name().is_some_and(|n| n == MANIFEST) {
                seats.extend(read_manifest(path)?);
            } else {
                seats.push(seat_of_file(path));
            }
        } else {
            return Err(not_found(source, "no such file or folder"));
        }
    }
    let mut names: BTreeMap<&str, &Path> = BTreeMap::new();
    for seat in &seats {
        if let Some(first) = names.insert(&seat.seat, &seat.export) {
            return Err(SeatsError::Duplicate {
                seat: seat.seat.clone(),
                first: first.display().to_string(),
                second: seat.export.display().to_string(),
            });
        }
    }
    Ok(seats)
}

fn not_found(source: &str, message: &str) -> SeatsError {
    SeatsError::NotFound {
        source_arg: source.to_string(),
        message: message.to_string(),
    }
}

fn glob_files(pattern: &str) -> Result<Vec<PathBuf>, SeatsError> {
    let paths = glob::glob(pattern).map_err(|e| not_found(pattern, &e.to_string()))?;
    Ok(paths
        .filter_map(Result::ok)
        .filter(|p| p.is_file() && !is_directory_file(p))
        .collect())
}

fn is_directory_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(DIRECTORY_SUFFIX))
}

/// A seat of one export file: named by its stem, with `STEM.directory.json` when it exists.
fn seat_of_file(path: &Path) -> Seat {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let directory = path.with_file_name(format!("{stem}{DIRECTORY_SUFFIX}"));
    Seat {
        seat: stem,
        export: path.to_path_buf(),
        directory: directory.is_file().then_some(directory),
        profile: None,
    }
}

/// Every `*.json` and `*.csv` of a folder but directories, in name order.
fn folder(path: &Path) -> Result<Vec<Seat>, SeatsError> {
    let entries = std::fs::read_dir(path).map_err(|e| SeatsError::Unreadable {
        file: path.display().to_string(),
        message: e.to_string(),
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && !is_directory_file(p)
                && p.extension().is_some_and(|x| x == "json" || x == "csv")
        })
        .collect();
    if files.is_empty() {
        return Err(not_found(
            &path.display().to_string(),
            "the folder has no export (*.json, *.csv) and no seats.json",
        ));
    }
    files.sort();
    Ok(files.iter().map(|p| seat_of_file(p)).collect())
}

fn read_manifest(path: &Path) -> Result<Vec<Seat>, SeatsError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| SeatsError::Unreadable {
        file: file.clone(),
        message: e.to_string(),
    })?;
    let manifest: Manifest =
        crate::error::parse_json(&text, "").map_err(|e| SeatsError::Manifest {
            file: file.clone(),
            path: e.path().unwrap_or(".").to_string(),
            message: e.to_string(),
        })?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut seats = Vec::new();
    for (i, m) in manifest.seats.into_iter().enumerate() {
        let export = base.join(&m.export);
        if !export.is_file() {
            return Err(SeatsError::Manifest {
                file,
                path: format!("seats[{i}].export"),
                message: format!("no such file: {}", export.display()),
            });
        }
        let named = seat_of_file(&export);
        let directory = match m.directory {
            Some(d) => Some(base.join(d)),
            None => named.directory,
        };
        let profile = m.profile.map(|p| {
            if Profile::builtin_ids().contains(&p.as_str()) {
                p
            } else {
                base.join(p).display().to_string()
            }
        });
        seats.push(Seat {
            seat: m.seat.unwrap_or(named.seat),
            export,
            directory,
            profile,
        });
    }
    Ok(seats)
}

/// How the seats of a run are reviewed.
#[derive(Debug, Clone, Default)]
pub struct SeatOptions {
    /// The profile for every seat, when the caller gives one.
    pub profile: Option<Profile>,
    /// The directory for every seat (a run of one seat given `--directory`).
    pub directory: Option<Directory>,
    pub call: AuditCall,
}

/// One seat's review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SeatReport {
    pub seat: String,
    pub export: String,
    pub format: ExportFormat,
    /// The profile's id.
    pub profile: String,
    pub report: Report,
}

/// A seat that could not be reviewed, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeatFailure {
    pub seat: String,
    /// The file the error is in (the export, its directory or its profile).
    pub file: String,
    pub error: ErrorInfo,
}

/// A seat's review or why there is none.
pub type SeatOutcome = Result<SeatReport, Box<SeatFailure>>;

/// One row of the combined summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SeatRow {
    pub seat: String,
    pub format: ExportFormat,
    pub profile: String,
    pub users: usize,
    pub by_severity: BTreeMap<String, usize>,
}

/// The combined summary of a run over many seats.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SeatsSummary {
    /// Seats reviewed.
    pub seats: usize,
    /// Seats that could not be reviewed.
    pub failed: usize,
    pub users: usize,
    pub by_severity: BTreeMap<String, usize>,
    pub by_code: BTreeMap<String, usize>,
    /// One row per seat reviewed, in the order the seats were given.
    pub rows: Vec<SeatRow>,
}

impl SeatsSummary {
    /// The summary over these outcomes.
    pub fn of<'a>(outcomes: impl IntoIterator<Item = &'a SeatOutcome>) -> Self {
        let mut out = SeatsSummary::default();
        for s in Severity::ALL {
            out.by_severity.insert(s.as_str().to_string(), 0);
        }
        for outcome in outcomes {
            match outcome {
                Ok(r) => out.add(r),
                Err(_) => out.failed += 1,
            }
        }
        out
    }

    fn add(&mut self, r: &SeatReport) {
        self.seats += 1;
        self.users += r.report.users;
        for (k, n) in &r.report.summary.by_severity {
            *self.by_severity.entry(k.clone()).or_default() += n;
        }
        for (k, n) in &r.report.summary.by_code {
            *self.by_code.entry(k.clone()).or_default() += n;
        }
        self.rows.push(SeatRow {
            seat: r.seat.clone(),
            format: r.format,
            profile: r.profile.clone(),
            users: r.report.users,
            by_severity: r.report.summary.by_severity.clone(),
        });
    }
}

/// Every seat's review and the combined summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeatsReport {
    pub seats: Vec<SeatReport>,
    pub failed: Vec<SeatFailure>,
    pub summary: SeatsSummary,
}

/// Reviews the seats in parallel on every core; `done` is called as each seat ends (from
/// the thread that reviewed it), and the outcomes come back in the seats' order.
pub fn audit_seats(
    seats: &[Seat],
    options: &SeatOptions,
    done: &(dyn Fn(&SeatOutcome) + Sync),
) -> Vec<SeatOutcome> {
    seats
        .par_iter()
        .map(|seat| {
            let outcome = audit_seat(seat, options);
            done(&outcome);
            outcome
        })
        .collect()
}

/// [`audit_seats`], gathered into one report.
pub fn audit_seats_report(seats: &[Seat], options: &SeatOptions) -> SeatsReport {
    let outcomes = audit_seats(seats, options, &|_| {});
    let summary = SeatsSummary::of(&outcomes);
    let (mut reports, mut failed) = (Vec::new(), Vec::new());
    for outcome in outcomes {
        match outcome {
            Ok(r) => reports.push(r),
            Err(f) => failed.push(*f),
        }
    }
    SeatsReport {
        seats: reports,
        failed,
        summary,
    }
}

/// One seat's review: its profile and directory chosen, its export read as a stream.
pub fn audit_seat(seat: &Seat, options: &SeatOptions) -> SeatOutcome {
    let export = seat.export.display().to_string();
    let fail = |file: &str, error: ErrorInfo| {
        Box::new(SeatFailure {
            seat: seat.seat.clone(),
            file: file.to_string(),
            error,
        })
    };
    let engine = seat_engine(seat, options).map_err(|e| fail(&e.0, e.1))?;
    let file = File::open(&seat.export).map_err(|e| fail(&export, io_info(&e)))?;
    let source = Source::File {
        file,
        path: &seat.export,
    };
    let (format, report) = engine
        .audit_source(source, &options.call)
        .map_err(|e| fail(&export, e.info()))?;
    Ok(SeatReport {
        seat: seat.seat.clone(),
        export,
        format,
        profile: engine.profile().id().to_string(),
        report,
    })
}

/// The engine a seat is reviewed with; an error names the file it is in.
pub fn seat_engine(seat: &Seat, options: &SeatOptions) -> Result<Engine, Box<(String, ErrorInfo)>> {
    seat_engine_inner(seat, options).map_err(Box::new)
}

#[allow(clippy::result_large_err)] // boxed once, by `seat_engine`
fn seat_engine_inner(seat: &Seat, options: &SeatOptions) -> Result<Engine, (String, ErrorInfo)> {
    let profile = match (&options.profile, &seat.profile) {
        (Some(p), _) => p.clone(),
        (None, Some(p)) if Profile::builtin_ids().contains(&p.as_str()) => {
            Profile::builtin(p).map_err(|e| (p.clone(), e.info()))?
        }
        (None, Some(p)) => {
            let text = std::fs::read_to_string(p).map_err(|e| (p.clone(), io_info(&e)))?;
            Profile::from_json(&text).map_err(|e| (p.clone(), e.info()))?
        }
        (None, None) => {
            let id = implied_profile(peek_file(&seat.export));
            Profile::builtin(id).map_err(|e| (id.to_string(), e.info()))?
        }
    };
    let read;
    let directory = match (&options.directory, &seat.directory) {
        (Some(d), _) => Some(d),
        (None, Some(path)) => {
            let file = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| (file.clone(), io_info(&e)))?;
            read = crate::error::parse_json::<Directory>(&text, "")
                .map_err(|e| (file.clone(), e.info()))?;
            Some(&read)
        }
        (None, None) => None,
    };
    Engine::new(profile, directory).map_err(|e| {
        let file = seat
            .directory
            .as_ref()
            .map_or_else(|| "<directory>".to_string(), |d| d.display().to_string());
        (file, e.info())
    })
}

/// The built-in profile an export's format implies: `mediamath` for a T1 permissions export,
/// `dv360` for anything else (a `users.list`, or a format that does not say).
pub fn implied_profile(format: Option<ExportFormat>) -> &'static str {
    match format {
        Some(ExportFormat::T1Permissions) => "mediamath",
        _ => "dv360",
    }
}

fn io_info(e: &std::io::Error) -> ErrorInfo {
    let message = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    ErrorInfo::new("input.io", message)
}
