//! The access log as a file: one [`LogEntry`] a line (JSON Lines), each line chained to the
//! one before by its SHA-256, so an edited or deleted entry breaks the chain where it was.
//!
//! The chain is tamper-*evident*, not tamper-proof: whoever can rewrite the file can rewrite
//! every hash after the line they change, and removing the last lines leaves a valid chain.
//! Keep the head hash that [`verify`] reports somewhere the log's writers cannot edit (a
//! ticket, the review's minutes) and compare it next time.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::assess::{AssessOptions, Assessment, EffectiveRows, LogEntry};
use crate::engine::Engine;
use crate::error::AdaccessError;
use crate::finding::Severity;
use crate::json::join_path;
use crate::model::{Change, Timestamp};

/// Writing to or reading an access log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogError {
    /// The assessment has an `error` finding: such a change is not saved, so not logged.
    #[error("the change cannot be saved as it is ({errors} error finding(s)): nothing was logged")]
    Refused { errors: usize },
    /// An entry without a date cannot be placed between two snapshots.
    #[error("line {line}: the entry has no `date`")]
    Undated { line: usize, path: String },
    /// The log is not UTF-8 text.
    #[error("the access log is not UTF-8 text: invalid byte at offset {offset}")]
    NotText { offset: usize },
    /// A line that is not a log entry.
    #[error("line {line}: {message}")]
    Line {
        /// 1-based.
        line: usize,
        /// `line[3]` for the line, `line[3].approvals[0].kind` for a value inside it.
        path: String,
        message: String,
    },
}

crate::error::coded_variants!(LogError {
    Refused => "log.refused",
    NotText => "log.encoding",
    Undated => "log.undated",
    Line => "log.line",
});

impl AdaccessError for LogError {
    fn code(&self) -> &'static str {
        self.variant_code()
    }

    fn path(&self) -> Option<&str> {
        match self {
            LogError::Refused { .. } | LogError::NotText { .. } => None,
            LogError::Undated { path, .. } | LogError::Line { path, .. } => Some(path),
        }
    }
}

impl LogError {}

/// A log's bytes as text.
pub fn text(bytes: &[u8]) -> Result<&str, LogError> {
    std::str::from_utf8(bytes).map_err(|e| LogError::NotText {
        offset: e.valid_up_to(),
    })
}

/// Appending to a log file.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    /// The file could not be read or written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The file is not a log that can be appended to.
    #[error(transparent)]
    Log(#[from] LogError),
}

/// Appends `entry` to the log file at `path` (created when missing), chained to its last
/// line, in one write; returns the line written, without line breaks. The file is read
/// whole to find its last line. Nothing is written when it cannot be read as text.
pub fn append(path: &std::path::Path, entry: &LogEntry) -> Result<String, AppendError> {
    use std::io::Write as _;
    let existing = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let line = next_line(text(&existing)?, entry);
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(line.as_bytes())?;
    file.flush()?;
    Ok(line.trim_matches('\n').to_string())
}

/// `sha256:` and the hex SHA-256 of one line (without its line break).
pub fn line_hash(line: &str) -> String {
    let digest = Sha256::digest(line.as_bytes());
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for byte in digest {
        for nibble in [byte >> 4, byte & 0xf] {
            out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
        }
    }
    out
}

/// The lines of a log's text with their 1-based numbers; a `\r` before the `\n` is not part
/// of the line, and blank lines are skipped (they hold no entry and are not hashed).
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty())
}

/// The change as it is saved: dated `clock` when it carries no `now`, so its assessment and
/// its log entry say when it happened.
pub fn dated(change: &Change, clock: &Timestamp) -> Change {
    let mut change = change.clone();
    if change.now.is_none() {
        change.now = Some(clock.clone());
    }
    change
}

/// The log entry of a change being saved, or [`LogError::Refused`] when its assessment has
/// an `error` finding. The entry lists the approvals still missing.
pub fn entry(assessment: Assessment) -> Result<LogEntry, LogError> {
    refuse_errors(assessment).map(|a| a.log_entry)
}

/// The assessment of a change that may be saved, or [`LogError::Refused`].
pub(crate) fn refuse_errors(assessment: Assessment) -> Result<Assessment, LogError> {
    if assessment.ok {
        return Ok(assessment);
    }
    let errors = assessment
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    Err(LogError::Refused { errors })
}

impl Engine {
    /// The access-log entry of a change being saved: dated `clock` when the change has no
    /// `now`; refused when its assessment has an `error` finding.
    pub fn log_entry(&self, change: &Change, clock: &Timestamp) -> Result<LogEntry, LogError> {
        let options = AssessOptions {
            effective: EffectiveRows::None,
        };
        entry(self.assess_with(&dated(change, clock), &options))
    }
}

/// The text that appends `entry` to a log whose text so far is `existing` (all of it, or
/// only its end, as long as the last line is whole): the entry chained to the last line,
/// as compact JSON with a final line break (and a line break before it when `existing`
/// does not end with one).
pub fn next_line(existing: &str, entry: &LogEntry) -> String {
    let mut entry = entry.clone();
    entry.prev = lines(existing).last().map(|(_, l)| line_hash(l));
    let mut out = String::new();
    if !existing.is_empty() && !existing.ends_with('\n') {
        out.push('\n');
    }
    // LogEntry holds strings, lists and maps of strings: writing it cannot fail. Should it
    // ever, the line is still JSON, and reading it back says what is wrong.
    out.push_str(
        &serde_json::to_string(&entry)
            .unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string())),
    );
    out.push('\n');
    out
}

/// One entry read from a log, with the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Logged {
    /// 1-based line number in the file.
    pub line: usize,
    pub entry: LogEntry,
}

/// Reads every entry of a log. A line that is not an entry, or an entry without a date, is
/// an error naming its line: nothing is skipped.
pub fn read(text: &str) -> Result<Vec<Logged>, LogError> {
    let mut out = Vec::new();
    for (line, body) in lines(text) {
        let prefix = format!("line[{line}]");
        let entry: LogEntry = crate::json::read(body).map_err(|e| LogError::Line {
            line,
            path: join_path(&prefix, &e.path),
            message: crate::json::strip_position(&e.inner.to_string()),
        })?;
        match &entry.date {
            Some(date) if Timestamp::parse(date).is_ok() => {}
            Some(date) => {
                return Err(LogError::Line {
                    line,
                    path: format!("{prefix}.date"),
                    message: format!("`{date}` is not a YYYY-MM-DD date"),
                })
            }
            None => {
                return Err(LogError::Undated {
                    line,
                    path: format!("{prefix}.date"),
                })
            }
        }
        out.push(Logged { line, entry });
    }
    Ok(out)
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Verification {
    /// True when every line is an entry chained to the one before.
    pub ok: bool,
    /// Entries read before the chain broke (all of them when `ok`).
    pub entries: usize,
    /// The hash of the last line of an unbroken log: keep it, and check the next
    /// verification's log still contains it (`adaccess log verify --head`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
    /// Where the chain breaks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broken: Option<Break>,
}

/// The first line where a log's chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Break {
    /// 1-based line number.
    pub line: usize,
    /// `log.unreadable` (not an entry), `log.chain_broken` (its `prev` is not the previous
    /// line's hash: that line was changed, or lines were removed between them),
    /// `log.chain_start` (the first line has a `prev`: lines were removed from the start),
    /// `log.head_missing` (the expected head is not in the log: lines were removed from the
    /// end, or the log was rewritten).
    pub code: String,
    pub message: String,
}

/// Checks a log's chain: every line an entry whose `prev` is the hash of the line before,
/// the first without one. With `head` (a hash an earlier verification reported), also checks
/// that the log still contains that line.
pub fn verify(text: &str, head: Option<&str>) -> Verification {
    let mut previous: Option<(usize, String)> = None;
    let mut entries = 0;
    let mut head_seen = head.is_none();
    let broken = |line: usize, code: &str, message: String, entries: usize| Verification {
        ok: false,
        entries,
        head: None,
        broken: Some(Break {
            line,
            code: code.to_string(),
            message,
        }),
    };
    for (line, body) in lines(text) {
        let entry: LogEntry = match crate::json::read(body) {
            Ok(entry) => entry,
            Err(e) => {
                let message = crate::json::strip_position(&e.inner.to_string());
                return broken(
                    line,
                    "log.unreadable",
                    format!("line {line} is not a log entry: {message}"),
                    entries,
                );
            }
        };
        match (&previous, &entry.prev) {
            (None, None) => {}
            (None, Some(_)) => {
                return broken(
                    line,
                    "log.chain_start",
                    format!(
                        "line {line}, the first entry, points to an entry before it: lines were removed from the start"
                    ),
                    entries,
                )
            }
            (Some((at, _)), None) => {
                return broken(
                    line,
                    "log.chain_broken",
                    format!("line {line} has no `prev`, so it does not follow line {at}"),
                    entries,
                )
            }
            (Some((at, hash)), Some(prev)) if prev != hash => {
                return broken(
                    line,
                    "log.chain_broken",
                    format!(
                        "line {line} does not follow line {at}: line {at} was changed, or lines between them were removed"
                    ),
                    entries,
                )
            }
            _ => {}
        }
        let hash = line_hash(body);
        head_seen |= head == Some(hash.as_str());
        previous = Some((line, hash));
        entries += 1;
    }
    if !head_seen {
        let line = previous.as_ref().map_or(0, |(l, _)| *l);
        return broken(
            line,
            "log.head_missing",
            format!(
                "no line of the log has the expected head {}: lines were removed from the end, or the log was rewritten",
                head.unwrap_or_default()
            ),
            entries,
        );
    }
    Verification {
        ok: true,
        entries,
        head: previous.map(|(_, h)| h),
        broken: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::OldNew;

    fn entry(user: &str, date: &str) -> LogEntry {
        LogEntry {
            user_id: user.into(),
            user_email: format!("{user}@example.com"),
            user_name: String::new(),
            action: "update".into(),
            date: Some(date.into()),
            changed_by: "admin@example.com".into(),
            role: OldNew {
                old: Some("read_only".into()),
                new: Some("standard".into()),
            },
            entities: OldNew {
                old: vec![],
                new: vec![],
            },
            billing: None,
            toggles: OldNew {
                old: Default::default(),
                new: Default::default(),
            },
            assignments: OldNew {
                old: vec![],
                new: vec![],
            },
            reason: None,
            approvers: vec![],
            approvals: vec![],
            temporary_until: None,
            approvals_missing: vec![],
            prev: None,
        }
    }

    fn log(n: usize) -> String {
        let mut text = String::new();
        for i in 0..n {
            let line = next_line(&text, &entry(&format!("u-{i}"), "2026-10-01"));
            text.push_str(&line);
        }
        text
    }

    #[test]
    fn a_chained_log_verifies_and_reads_back() {
        let text = log(4);
        let v = verify(&text, None);
        assert!(v.ok, "{v:?}");
        assert_eq!(v.entries, 4);
        let last = text.lines().last().unwrap_or_default();
        assert_eq!(v.head.as_deref(), Some(line_hash(last).as_str()));
        let read = read(&text).unwrap_or_default();
        assert_eq!(read.len(), 4);
        assert_eq!(read.get(2).map(|l| l.line), Some(3));
        assert!(read.first().is_some_and(|l| l.entry.prev.is_none()));
        // The head of an earlier verification is still found after more appends.
        let head = v.head.unwrap_or_default();
        let more = format!("{text}{}", next_line(&text, &entry("u-9", "2026-10-02")));
        assert!(verify(&more, Some(&head)).ok);
    }

    #[test]
    fn an_edited_line_breaks_the_chain_on_the_next_line() {
        let text = log(4).replacen("u-1@example.com", "u-1@elsewhere.com", 1);
        let v = verify(&text, None);
        assert!(!v.ok);
        let b = v.broken.unwrap_or_else(|| Break {
            line: 0,
            code: String::new(),
            message: String::new(),
        });
        assert_eq!((b.line, b.code.as_str()), (3, "log.chain_broken"));
        assert_eq!(v.entries, 2);
    }

    #[test]
    fn removed_lines_are_found_at_the_start_middle_and_end() {
        let text = log(4);
        let lines: Vec<&str> = text.lines().collect();
        let without = |skip: usize| -> String {
            lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, l)| format!("{l}\n"))
                .collect()
        };
        let code = |v: Verification| v.broken.map(|b| (b.line, b.code));
        assert_eq!(
            code(verify(&without(0), None)),
            Some((1, "log.chain_start".into()))
        );
        assert_eq!(
            code(verify(&without(1), None)),
            Some((2, "log.chain_broken".into()))
        );
        // The last line removed: the chain holds, the head does not.
        let head = verify(&text, None).head;
        assert!(verify(&without(3), None).ok);
        assert_eq!(
            code(verify(&without(3), head.as_deref())),
            Some((3, "log.head_missing".into()))
        );
    }

    #[test]
    fn unreadable_and_undated_lines_name_their_line() {
        let text = format!("{}not json\n", log(2));
        assert_eq!(
            verify(&text, None).broken.map(|b| (b.line, b.code)),
            Some((3, "log.unreadable".into()))
        );
        assert!(matches!(read(&text), Err(LogError::Line { line: 3, .. })));
        let mut undated = entry("u-1", "2026-10-01");
        undated.date = None;
        let text = next_line("", &undated);
        let err = read(&text).err();
        assert_eq!(err.as_ref().map(AdaccessError::code), Some("log.undated"));
        assert_eq!(
            err.as_ref().and_then(AdaccessError::path),
            Some("line[1].date")
        );
        let text = log(1).replace("\"action\":\"update\"", "\"action\":7");
        let err = read(&text).err();
        assert_eq!(
            err.as_ref().and_then(AdaccessError::path),
            Some("line[1].action")
        );
    }

    #[test]
    fn appending_to_a_log_without_a_final_line_break_starts_a_new_line() {
        let text = log(2);
        let cut = text.trim_end_matches('\n').to_string();
        let line = next_line(&cut, &entry("u-7", "2026-10-03"));
        assert!(line.starts_with('\n'));
        let joined = format!("{cut}{line}");
        assert!(verify(&joined, None).ok);
        assert_eq!(read(&joined).map(|l| l.len()).ok(), Some(3));
    }

    #[test]
    fn crlf_and_blank_lines_do_not_change_the_hashes() {
        let text = log(3);
        let crlf = text.replace('\n', "\r\n\n");
        assert!(verify(&crlf, None).ok);
        assert_eq!(verify(&crlf, None).head, verify(&text, None).head);
    }

    #[test]
    fn the_hash_is_sha256_of_the_line() {
        // The SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        assert_eq!(
            line_hash("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
