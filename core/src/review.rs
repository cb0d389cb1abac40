//! The access review of an export read as a stream (not in WebAssembly): one thread reads and
//! converts users while the others review them, and each user's findings are handed on as
//! soon as they are known. Memory grows with the findings kept by the caller and what the
//! seat-wide checks count, not with the number of users.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use rayon::prelude::*;

use crate::audit::{AuditCall, Report, ReviewError, Reviewer, Summary, Tally};
use crate::engine::Engine;
use crate::finding::{sort_findings, Finding};
use crate::ingest::{stream_export, ExportFormat, IngestError, Source, Stop, UserSink};
use crate::model::{Directory, User};

/// Users handed from the reading thread to the reviewers at a time.
const BATCH: usize = 4_096;
/// Users per reviewing task within a batch.
const CHUNK: usize = 512;

/// What a streamed review says once every user has been read.
#[derive(Debug, Clone, PartialEq)]
pub struct Streamed {
    pub format: ExportFormat,
    pub users: usize,
    /// The seat-wide findings (admins per top-level entity, billing), sorted; they are not
    /// handed to the sink.
    pub seat: Vec<Finding>,
    /// Counts over every finding, the seat-wide ones included.
    pub summary: Summary,
}

/// From the reading thread to the reviewers.
enum Message {
    Start(ExportFormat, Option<Directory>),
    Users(Vec<User>),
}

/// The reading thread's end of the channel.
struct Sender {
    tx: SyncSender<Message>,
    batch: Vec<User>,
}

impl UserSink for Sender {
    fn start(&mut self, format: ExportFormat, directory: Option<Directory>) -> Result<(), Stop> {
        self.tx
            .send(Message::Start(format, directory))
            .map_err(|_| Stop)
    }

    fn user(&mut self, user: User) -> Result<(), Stop> {
        self.batch.push(user);
        if self.batch.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }
}

impl Sender {
    fn flush(&mut self) -> Result<(), Stop> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        self.tx.send(Message::Users(batch)).map_err(|_| Stop)
    }
}

impl Engine {
    /// Reviews the export in `source` as it is read (see the [module](self) docs): `sink`
    /// gets each batch of users' findings in the order of the export, not sorted; the
    /// seat-wide findings and the summary come back at the end. The directory is this
    /// engine's, else the one the export carries (T1).
    pub fn audit_stream<E>(
        &self,
        source: Source<'_>,
        call: &AuditCall,
        sink: &mut dyn FnMut(&[Finding]) -> Result<(), E>,
    ) -> Result<Streamed, ReviewError<E>> {
        let profile = self.profile();
        std::thread::scope(|scope| {
            let (tx, rx) = sync_channel::<Message>(2);
            let reader = scope.spawn(move || {
                let mut sender = Sender {
                    tx,
                    batch: Vec::with_capacity(BATCH),
                };
                let read = stream_export(profile, source, &mut sender);
                match read {
                    Ok(_) => sender.flush().map_err(|Stop| None),
                    Err(e) => Err(e),
                }
            });
            let reviewed = self.review_messages(&rx, call, sink);
            drop(rx);
            // The reader stops at its next send once the receiver is gone.
            let read = reader
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            match (reviewed, read) {
                (Err(e), _) => Err(e),
                (Ok(_), Err(Some(e))) => Err(ReviewError::Ingest(e)),
                (Ok(Some(done)), Ok(())) => Ok(done),
                // The reader stopped on its own (no start, or a receiver gone): cannot be, but
                // say so rather than report an empty seat.
                (Ok(_), _) => Err(ReviewError::Ingest(IngestError::invalid(
                    "",
                    "the export's reading stopped before its end",
                ))),
            }
        })
    }

    /// The reviewing side of [`audit_stream`](Engine::audit_stream). `Ok(None)`: the reader
    /// ended without a start (its error says why).
    fn review_messages<E>(
        &self,
        rx: &Receiver<Message>,
        call: &AuditCall,
        sink: &mut dyn FnMut(&[Finding]) -> Result<(), E>,
    ) -> Result<Option<Streamed>, ReviewError<E>> {
        let Ok(Message::Start(format, directory)) = rx.recv() else {
            return Ok(None);
        };
        let engine = self
            .with_export_directory(directory.as_ref())
            .map_err(ReviewError::Directory)?;
        let options = call.options();
        let reviewer = engine.reviewer(call.now.as_ref(), call.activity.as_deref(), &options);
        let mut tally = Tally::default();
        let mut index = 0;
        for message in rx {
            let Message::Users(batch) = message else {
                continue;
            };
            let (part, findings) = review_batch(&reviewer, &batch, index);
            index += batch.len();
            tally.merge(part);
            sink(&findings).map_err(ReviewError::Sink)?;
        }
        let mut end = reviewer.finish(tally);
        sort_findings(&mut end.findings);
        Ok(Some(Streamed {
            format,
            users: end.users,
            seat: end.findings,
            summary: end.summary,
        }))
    }

    /// Reads and reviews the export in `source` whole: the [`Report`] `audit` gives for its
    /// users, without holding them all (only their findings).
    pub fn audit_source(
        &self,
        source: Source<'_>,
        call: &AuditCall,
    ) -> Result<(ExportFormat, Report), ReviewError<std::convert::Infallible>> {
        let mut findings = Vec::new();
        let streamed = self.audit_stream(source, call, &mut |batch: &[Finding]| {
            findings.extend_from_slice(batch);
            Ok(())
        })?;
        findings.extend(streamed.seat);
        sort_findings(&mut findings);
        Ok((
            streamed.format,
            Report {
                users: streamed.users,
                findings,
                summary: streamed.summary,
            },
        ))
    }
}

/// Reviews one batch in chunks on the thread pool; the findings in the batch's order.
fn review_batch(reviewer: &Reviewer<'_>, batch: &[User], offset: usize) -> (Tally, Vec<Finding>) {
    let parts: Vec<(Tally, Vec<Finding>)> = batch
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(k, chunk)| {
            let mut tally = Tally::default();
            let mut findings = Vec::new();
            for (i, user) in chunk.iter().enumerate() {
                reviewer.user(offset + k * CHUNK + i, user, &mut tally, &mut findings);
            }
            (tally, findings)
        })
        .collect();
    let mut tally = Tally::default();
    let mut findings = Vec::new();
    for (part, found) in parts {
        tally.merge(part);
        findings.extend(found);
    }
    (tally, findings)
}
