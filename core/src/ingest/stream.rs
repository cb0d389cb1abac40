//! Reading an export without holding it: each user is handed on as soon as it is read.
//!
//! A DV360 `users.list` export (a page, an array of pages or an array of users), an array of
//! users in this crate's own shape and a MediaMath T1 export (an array of permissions
//! documents) are read from a file as a stream, so memory does not grow with the number of
//! users. A T1 export is read twice: its entity tree is complete only at its end, and the
//! users are reviewed against it. A CSV is read twice too: the first pass finds each user's
//! last row (rows of one user need not be together), the second hands each user on once its
//! last row is read. A single T1 document is read whole and then handed on, as is an export
//! already in memory.
//!
//! Errors are the ones [`read_export`](super::read_export) gives: when a streamed file turns
//! out to be broken, it is read again whole to say where, so its error names the same path.

use std::fmt;
use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::path::Path;

use serde::de::{SeqAccess, Visitor};
use serde::Deserializer;

use super::dv360::{self, Layout};
use super::t1;
use super::{from_json_error, read_export, sniff, ExportFormat, IngestError, Shape};
use crate::model::{Directory, User};
use crate::profile::Profile;

/// Where an export is read from.
#[derive(Debug)]
pub enum Source<'a> {
    /// The export's bytes, already in memory: read whole.
    Bytes(&'a [u8]),
    /// An open file, and its path to read it again when it is broken.
    File { file: File, path: &'a Path },
}

/// What receives an export's users.
pub trait UserSink {
    /// Called once, before the first user: the format, and the entity tree when the export
    /// carries one (T1).
    fn start(&mut self, format: ExportFormat, directory: Option<Directory>) -> Result<(), Stop>;
    /// One user, in the order of the export.
    fn user(&mut self, user: User) -> Result<(), Stop>;
}

/// A sink's request to stop reading (its own reason is kept by the sink).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stop;

/// How much of a file is read to tell its format before streaming it.
const HEAD: usize = 64 * 1024;

/// Reads an export from `source` into `sink` (see the [module](self) docs). `Err(None)`: the
/// sink stopped the reading.
pub fn stream_export(
    profile: &Profile,
    source: Source<'_>,
    sink: &mut dyn UserSink,
) -> Result<ExportFormat, Option<IngestError>> {
    let (mut file, path) = match source {
        Source::Bytes(bytes) => return whole(profile, bytes, sink),
        Source::File { file, path } => (file, path),
    };
    let mut head = Vec::with_capacity(HEAD);
    (&mut file)
        .take(HEAD as u64)
        .read_to_end(&mut head)
        .map_err(|e| Some(io_error(&e)))?;
    let Some((plan, skip)) = plan(&head) else {
        file.read_to_end(&mut head)
            .map_err(|e| Some(io_error(&e)))?;
        return whole(profile, &head, sink);
    };
    let rest = head.get(skip..).unwrap_or_default();
    let reader = BufReader::with_capacity(256 * 1024, Cursor::new(rest).chain(file));
    let format = match plan {
        Plan::Dv360(_) => ExportFormat::Dv360UsersList,
        Plan::Users => ExportFormat::Users,
        Plan::T1 => ExportFormat::T1Permissions,
        Plan::Csv => ExportFormat::Csv,
    };
    let mut stopped = false;
    let read = match plan {
        Plan::T1 => t1_passes(profile, reader, path, sink, &mut stopped),
        Plan::Csv => csv_passes(profile, reader, path, skip, sink, &mut stopped),
        Plan::Dv360(_) | Plan::Users => {
            sink.start(format, None).map_err(|Stop| None)?;
            let mut emit = |user: User| {
                sink.user(user).map_err(|Stop| {
                    stopped = true;
                    IngestError::invalid("", "stopped")
                })
            };
            match plan {
                Plan::Dv360(layout) => dv360::stream(profile, reader, layout, &mut emit),
                _ => users(reader, &mut emit),
            }
        }
    };
    match read {
        Ok(()) => Ok(format),
        Err(_) if stopped => Err(None),
        // Read it again whole to say where it breaks; keep the streamed error if that fails.
        Err(streamed) => match std::fs::read(path) {
            Ok(bytes) => match read_export(profile, &bytes) {
                Err(e) => Err(Some(e)),
                Ok(_) => Err(Some(streamed)),
            },
            Err(_) => Err(Some(streamed)),
        },
    }
}

/// An export read whole, then handed on user by user.
fn whole(
    profile: &Profile,
    bytes: &[u8],
    sink: &mut dyn UserSink,
) -> Result<ExportFormat, Option<IngestError>> {
    let export = read_export(profile, bytes).map_err(Some)?;
    sink.start(export.format, export.directory)
        .map_err(|Stop| None)?;
    for user in export.users {
        sink.user(user).map_err(|Stop| None)?;
    }
    Ok(export.format)
}

/// Formats read as a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    Dv360(Layout),
    Users,
    /// An array of T1 permissions documents: read twice, the directory first.
    T1,
    /// A CSV: read twice, each user's last row first.
    Csv,
}

/// A T1 array in two passes: the documents' entity lists make the directory the sink starts
/// with, then the file is read again for the users.
fn t1_passes<R: Read>(
    profile: &Profile,
    first: R,
    path: &Path,
    sink: &mut dyn UserSink,
    stopped: &mut bool,
) -> Result<(), IngestError> {
    let mut listing = t1::Streamed::default();
    each_element(first, &mut |text| listing.list(profile, text))?;
    if sink
        .start(ExportFormat::T1Permissions, listing.directory())
        .is_err()
    {
        *stopped = true;
        return Err(IngestError::invalid("", "stopped"));
    }
    let again = File::open(path).map_err(|e| io_error(&e))?;
    let reader = BufReader::with_capacity(256 * 1024, again);
    each_element(reader, &mut |text| {
        let user = t1::user_of(profile, text)?;
        sink.user(user).map_err(|Stop| {
            *stopped = true;
            IngestError::invalid("", "stopped")
        })
    })
}

/// A CSV in two passes (see `csv::stream_csv`); `skip`: the byte order mark's length.
fn csv_passes<R: Read>(
    profile: &Profile,
    first: R,
    path: &Path,
    skip: usize,
    sink: &mut dyn UserSink,
    stopped: &mut bool,
) -> Result<(), IngestError> {
    let mut again =
        BufReader::with_capacity(256 * 1024, File::open(path).map_err(|e| io_error(&e))?);
    let mut bom = [0u8; 3];
    if skip > 0 {
        again
            .read_exact(bom.get_mut(..skip).unwrap_or_default())
            .map_err(|e| io_error(&e))?;
    }
    if sink.start(ExportFormat::Csv, None).is_err() {
        *stopped = true;
        return Err(IngestError::invalid("", "stopped"));
    }
    super::csv::stream_csv(profile, first, again, &mut |user| {
        sink.user(user).map_err(|Stop| {
            *stopped = true;
            IngestError::invalid("", "stopped")
        })
    })
}

/// Runs `f` on the text of each element of the JSON array `reader` holds.
fn each_element<R: Read>(
    reader: R,
    f: &mut dyn FnMut(&str) -> Result<(), IngestError>,
) -> Result<(), IngestError> {
    let mut elements = Elements::new(reader);
    while let Some(element) = elements.next_element()? {
        let text = std::str::from_utf8(element)
            .map_err(|e| IngestError::invalid("", format!("the export is not UTF-8 text: {e}")))?;
        f(text)?;
    }
    Ok(())
}

/// How to read a file that starts with `head`, and how many bytes (a byte order mark) to skip;
/// `None`: read it whole (another format, or one the head cannot tell: the whole reading
/// gives the errors).
fn plan(head: &[u8]) -> Option<(Plan, usize)> {
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        // The head may end in the middle of a character; an invalid byte is read whole.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(head.get(..e.valid_up_to())?).ok()?
        }
        Err(_) => return None,
    };
    let skip = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = text.get(skip..)?.trim_start();
    if !(body.starts_with('{') || body.starts_with('[')) {
        return super::csv::looks_like_header(body).then_some((Plan::Csv, skip));
    }
    match sniff(body).shape? {
        Shape::Dv360 { bare } => Some((Plan::Dv360(Layout::of(body, bare)), skip)),
        Shape::Users => Some((Plan::Users, skip)),
        // One document is one user: read whole.
        Shape::T1 if body.starts_with('[') => Some((Plan::T1, skip)),
        Shape::T1 => None,
    }
}

/// The format of the export in the file at `path`, from its first bytes (see
/// [`peek_format`]); `None` when it cannot be read or the head does not tell.
pub fn peek_file(path: &Path) -> Option<ExportFormat> {
    let mut head = Vec::with_capacity(HEAD);
    File::open(path)
        .ok()?
        .take(HEAD as u64)
        .read_to_end(&mut head)
        .ok()?;
    peek_format(&head)
}

/// The format of an export that starts with `head`, when the head tells it.
pub fn peek_format(head: &[u8]) -> Option<ExportFormat> {
    if let Some((plan, _)) = plan(head) {
        return Some(match plan {
            Plan::Dv360(_) => ExportFormat::Dv360UsersList,
            Plan::Users => ExportFormat::Users,
            Plan::T1 => ExportFormat::T1Permissions,
            Plan::Csv => ExportFormat::Csv,
        });
    }
    let text = String::from_utf8_lossy(head);
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.starts_with('{') || body.starts_with('[') {
        return (sniff(body).shape == Some(Shape::T1)).then_some(ExportFormat::T1Permissions);
    }
    super::csv::looks_like_header(body).then_some(ExportFormat::Csv)
}

/// A JSON array of users in this crate's own shape, each handed on as it is read.
fn users<R: Read>(
    reader: R,
    emit: &mut dyn FnMut(User) -> Result<(), IngestError>,
) -> Result<(), IngestError> {
    let mut error = None;
    let mut de = serde_json::Deserializer::from_reader(reader);
    let read = de
        .deserialize_seq(UsersVisitor {
            emit,
            error: &mut error,
        })
        .and_then(|()| de.end());
    if let Some(e) = error {
        return Err(e);
    }
    read.map_err(|e| from_json_error(&e, "."))
}

struct UsersVisitor<'a> {
    emit: &'a mut dyn FnMut(User) -> Result<(), IngestError>,
    error: &'a mut Option<IngestError>,
}

impl<'de> Visitor<'de> for UsersVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of users")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(user) = seq.next_element_seed(std::marker::PhantomData::<User>)? {
            if let Err(e) = (self.emit)(user) {
                *self.error = Some(e);
                return Err(serde::de::Error::custom("adaccess: stopped"));
            }
        }
        Ok(())
    }
}

/// The elements of a JSON array read from a stream, each as its bytes: only strings and
/// nesting are tracked to find where an element ends, and the bytes between elements must be
/// white space and one comma. Anything else is an error without a path (the caller reads the
/// file again whole to say where); each element is parsed, and so checked, by serde_json.
pub(crate) struct Elements<R> {
    reader: R,
    buf: Vec<u8>,
    /// Where the next element (or the separator before it) starts in `buf`.
    start: usize,
    /// Whether the `[` has been read, an element has been, and the `]`.
    opened: bool,
    any: bool,
    closed: bool,
    eof: bool,
    /// Bytes read at a time.
    chunk: usize,
}

/// Bytes read at a time.
const READ: usize = 1 << 20;

impl<R: Read> Elements<R> {
    pub(crate) fn new(reader: R) -> Self {
        Self::with_chunk(reader, READ)
    }

    fn with_chunk(reader: R, chunk: usize) -> Self {
        Elements {
            reader,
            chunk,
            buf: Vec::with_capacity(chunk),
            start: 0,
            opened: false,
            any: false,
            closed: false,
            eof: false,
        }
    }

    /// Reads more, keeping the bytes from `start` on; `false` at the end of the stream.
    fn fill(&mut self) -> Result<bool, IngestError> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let before = self.buf.len();
        (&mut self.reader)
            .take(self.chunk as u64)
            .read_to_end(&mut self.buf)
            .map_err(|e| io_error(&e))?;
        if self.buf.len() == before {
            self.eof = true;
            return Ok(false);
        }
        Ok(true)
    }

    /// The next non-white byte at or after `start`, reading more as needed.
    fn next_byte(&mut self) -> Result<Option<u8>, IngestError> {
        loop {
            let rest = self.buf.get(self.start..).unwrap_or_default();
            match rest.iter().position(|b| !b.is_ascii_whitespace()) {
                Some(i) => {
                    self.start += i;
                    return Ok(self.buf.get(self.start).copied());
                }
                None => {
                    self.start = self.buf.len();
                    if !self.fill()? {
                        return Ok(None);
                    }
                }
            }
        }
    }

    /// The next element's bytes, or `None` after the closing `]` (and nothing but white space
    /// after it).
    pub(crate) fn next_element(&mut self) -> Result<Option<&[u8]>, IngestError> {
        if self.closed {
            return Ok(None);
        }
        if !self.opened {
            if self.next_byte()? != Some(b'[') {
                return Err(broken("expected `[`"));
            }
            self.start += 1;
            self.opened = true;
        }
        match self.next_byte()? {
            Some(b']') => {
                self.start += 1;
                self.closed = true;
                return match self.next_byte()? {
                    None => Ok(None),
                    Some(_) => Err(broken("trailing characters after the array")),
                };
            }
            Some(b',') if self.any => {
                self.start += 1;
                if matches!(self.next_byte()?, Some(b']') | None) {
                    return Err(broken("a comma before the end of the array"));
                }
            }
            Some(_) if !self.any => {}
            Some(_) => return Err(broken("expected `,` or `]`")),
            None => return Err(broken("the array is not closed")),
        }
        let mut end = self.start;
        let mut scan = Scan::default();
        loop {
            let bytes = self.buf.get(end..).unwrap_or_default();
            match scan.run(bytes) {
                Some(n) => {
                    end += n;
                    break;
                }
                None => {
                    end = self.buf.len();
                    let offset = end - self.start;
                    if !self.fill()? {
                        // The element runs to the end: serde_json says what is wrong.
                        end = self.buf.len();
                        break;
                    }
                    end = self.start + offset;
                }
            }
        }
        let element = self.buf.get(self.start..end).unwrap_or_default();
        self.start = end;
        self.any = true;
        Ok(Some(element))
    }
}

/// Where a JSON value ends: nesting depth and string state, kept across reads.
#[derive(Debug, Default)]
struct Scan {
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// A scalar (not an object or array) is being read.
    scalar: bool,
    started: bool,
}

impl Scan {
    /// How many bytes of `bytes` the value takes, when it ends within them.
    fn run(&mut self, bytes: &[u8]) -> Option<usize> {
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    i += 1;
                    continue;
                }
                // Most of an export is inside strings: jump to the next quote or backslash.
                match memchr::memchr2(b'"', b'\\', bytes.get(i..).unwrap_or_default()) {
                    None => return None,
                    Some(k) => i += k,
                }
                match bytes.get(i) {
                    Some(b'\\') => self.escaped = true,
                    _ => {
                        self.in_string = false;
                        if self.depth == 0 {
                            return Some(i + 1);
                        }
                    }
                }
                i += 1;
                continue;
            }
            if !self.started {
                self.started = true;
                match b {
                    b'{' | b'[' => self.depth = 1,
                    b'"' => self.in_string = true,
                    _ => self.scalar = true,
                }
            } else if self.scalar {
                if matches!(b, b',' | b']') || b.is_ascii_whitespace() {
                    return Some(i);
                }
            } else {
                match b {
                    b'"' => self.in_string = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' => {
                        self.depth -= 1;
                        if self.depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        None
    }
}

fn broken(message: &str) -> IngestError {
    IngestError::invalid("", format!("malformed JSON: {message}"))
}

fn io_error(e: &std::io::Error) -> IngestError {
    IngestError::invalid("", format!("cannot read the export: {e}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// Collects what a stream hands on.
    #[derive(Default)]
    struct Collect {
        format: Option<ExportFormat>,
        directory: Option<Directory>,
        users: Vec<User>,
        stop_after: Option<usize>,
    }

    impl UserSink for Collect {
        fn start(&mut self, format: ExportFormat, d: Option<Directory>) -> Result<(), Stop> {
            self.format = Some(format);
            self.directory = d;
            Ok(())
        }
        fn user(&mut self, user: User) -> Result<(), Stop> {
            if self.stop_after == Some(self.users.len()) {
                return Err(Stop);
            }
            self.users.push(user);
            Ok(())
        }
    }

    fn dv360() -> Profile {
        Profile::builtin("dv360").unwrap()
    }

    fn file_with(name: &str, text: &[u8]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("adaccess-stream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn streamed(name: &str, text: &[u8]) -> (Result<ExportFormat, Option<IngestError>>, Collect) {
        let path = file_with(name, text);
        let mut sink = Collect::default();
        let file = File::open(&path).unwrap();
        let result = stream_export(&dv360(), Source::File { file, path: &path }, &mut sink);
        (result, sink)
    }

    fn sample() -> Vec<u8> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        std::fs::read(root.join("tests/data/dv360_users_list.json")).unwrap()
    }

    #[test]
    fn a_streamed_file_gives_the_users_read_export_gives() {
        let bytes = sample();
        let expected = read_export(&dv360(), &bytes).unwrap();
        let (result, sink) = streamed("page.json", &bytes);
        assert_eq!(result.unwrap(), ExportFormat::Dv360UsersList);
        assert_eq!(sink.users, expected.users);

        // The same users as one page after an empty one, with a byte order mark, and as a
        // users array.
        let mut pages: Vec<serde_json::Value> = serde_json::from_slice(&bytes).unwrap();
        let users: Vec<serde_json::Value> = pages
            .iter()
            .flat_map(|p| p["users"].as_array().unwrap().clone())
            .collect();
        pages = vec![
            serde_json::json!({"users": []}),
            serde_json::json!({"users": users}),
        ];
        let mut bom = "\u{feff}".as_bytes().to_vec();
        bom.extend(serde_json::to_vec(&pages).unwrap());
        let pages = bom;
        let (result, sink) = streamed("pages.json", &pages);
        assert_eq!(result.unwrap(), ExportFormat::Dv360UsersList);
        assert_eq!(sink.users, expected.users);
        let own = serde_json::to_vec(&expected.users).unwrap();
        let (result, sink) = streamed("users.json", &own);
        assert_eq!(result.unwrap(), ExportFormat::Users);
        assert_eq!(sink.users, expected.users);
    }

    #[test]
    fn errors_name_the_same_path_as_a_whole_reading() {
        let bytes = sample();
        let text = String::from_utf8(bytes).unwrap();
        // A bad value late in the file, past the head that tells the format.
        let broken = text.replacen("\"partnerId\"", "\"partnerId\": {}, \"x\"", 3);
        let whole = read_export(&dv360(), broken.as_bytes()).unwrap_err();
        let (result, sink) = streamed("broken.json", broken.as_bytes());
        assert_eq!(result.unwrap_err(), Some(whole));
        assert!(sink.users.len() < 30);

        let cut = &text[..text.len() / 2];
        let whole = read_export(&dv360(), cut.as_bytes()).unwrap_err();
        assert_eq!(
            streamed("cut.json", cut.as_bytes()).0.unwrap_err(),
            Some(whole)
        );
    }

    #[test]
    fn a_sink_that_stops_stops_the_reading() {
        let path = file_with("stop.json", &sample());
        let mut sink = Collect {
            stop_after: Some(2),
            ..Collect::default()
        };
        let file = File::open(&path).unwrap();
        let result = stream_export(&dv360(), Source::File { file, path: &path }, &mut sink);
        assert_eq!(result.unwrap_err(), None);
        assert_eq!(sink.users.len(), 2);
    }

    fn elements(text: &str, chunk: usize) -> Result<Vec<String>, IngestError> {
        let mut e = Elements::with_chunk(text.as_bytes(), chunk);
        let mut out = Vec::new();
        while let Some(el) = e.next_element()? {
            out.push(String::from_utf8(el.to_vec()).unwrap());
        }
        Ok(out)
    }

    #[test]
    fn elements_are_cut_where_serde_json_would_end_them() {
        let text = r#" [ {"a": "x]}\"{", "b": [1, {"c": []}]} ,
            [1, 2], "s\"]", 12.5e3 , true,null,{} ] "#;
        let expected: Vec<serde_json::Value> = serde_json::from_str(text).unwrap();
        for chunk in [1, 2, 3, 7, 64, 4096] {
            let got = elements(text, chunk).unwrap();
            let parsed: Vec<serde_json::Value> = got
                .iter()
                .map(|e| serde_json::from_str(e).unwrap())
                .collect();
            assert_eq!(parsed, expected, "chunk {chunk}");
        }
        assert_eq!(elements("[]", 1).unwrap(), Vec::<String>::new());
        assert_eq!(elements(" [ ] \n", 2).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn what_lies_between_elements_is_checked() {
        for bad in [
            "", "{}", "[{} {}]", "[{},]", "[,{}]", "[{}", "[{}] x", "[{},,{}]", "[{}]]",
        ] {
            for chunk in [1, 3, 64] {
                let cut = elements(bad, chunk);
                let whole = serde_json::from_str::<Vec<serde_json::Value>>(bad);
                // Either the cutter says it is broken, or an element is, as serde_json would.
                let elements_parse = cut
                    .as_ref()
                    .map(|els| {
                        els.iter()
                            .all(|e| serde_json::from_str::<serde_json::Value>(e).is_ok())
                    })
                    .unwrap_or(false);
                assert!(whole.is_err(), "{bad}");
                assert!(
                    !elements_parse,
                    "{bad:?} (chunk {chunk}) was cut into {cut:?}"
                );
            }
        }
    }

    #[test]
    fn a_t1_export_is_streamed_twice_with_its_directory_first() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let bytes = std::fs::read(root.join("tests/data/t1_permissions.json")).unwrap();
        let profile = Profile::builtin("mediamath").unwrap();
        let expected = read_export(&profile, &bytes).unwrap();
        assert_eq!(plan(&bytes).map(|p| p.0), Some(Plan::T1));
        let path = file_with("t1.json", &bytes);
        let mut sink = Collect::default();
        let file = File::open(&path).unwrap();
        let format = stream_export(&profile, Source::File { file, path: &path }, &mut sink);
        assert_eq!(format.unwrap(), ExportFormat::T1Permissions);
        assert_eq!(sink.users, expected.users);
        assert!(sink.directory.is_some());
        assert_eq!(sink.directory, expected.directory);

        // A user listed twice: the same error as a whole reading, with its path.
        let docs: Vec<serde_json::Value> = serde_json::from_slice(&bytes).unwrap();
        let twice = serde_json::to_vec(&[&docs[0], &docs[1], &docs[0]]).unwrap();
        let whole = read_export(&profile, &twice).unwrap_err();
        let path = file_with("t1-twice.json", &twice);
        let mut sink = Collect::default();
        let file = File::open(&path).unwrap();
        let got = stream_export(&profile, Source::File { file, path: &path }, &mut sink);
        assert_eq!(got.unwrap_err(), Some(whole));
        assert!(
            sink.users.is_empty(),
            "no user before the directory is known"
        );
    }

    #[test]
    fn a_csv_is_streamed_in_the_order_users_first_appear() {
        let profile = Profile::builtin("mediamath").unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let csv = std::fs::read_to_string(root.join("tests/data/mediamath_users.csv")).unwrap();
        let mut lines: Vec<&str> = csv.lines().collect();
        let header = lines.remove(0);
        // The sample's rows, and the same rows reversed (each user's rows apart), with a BOM.
        let reversed: Vec<&str> = lines.iter().rev().copied().collect();
        for (name, rows) in [("sample.csv", lines.clone()), ("reversed.csv", reversed)] {
            let text = format!("\u{feff}{header}\n{}\n", rows.join("\n"));
            let expected = read_export(&profile, text.as_bytes()).unwrap();
            assert_eq!(plan(text.as_bytes()).map(|p| p.0), Some(Plan::Csv));
            let path = file_with(name, text.as_bytes());
            let mut sink = Collect::default();
            let file = File::open(&path).unwrap();
            let format = stream_export(&profile, Source::File { file, path: &path }, &mut sink);
            assert_eq!(format.unwrap(), ExportFormat::Csv, "{name}");
            assert_eq!(sink.users, expected.users, "{name}");
        }
        // A bad cell: the same error, row and column, as a whole reading.
        let bad = csv.replace(",trader,", ",no_such_role,");
        if let Err(whole) = read_export(&profile, bad.as_bytes()) {
            let path = file_with("bad.csv", bad.as_bytes());
            let mut sink = Collect::default();
            let file = File::open(&path).unwrap();
            let got = stream_export(&profile, Source::File { file, path: &path }, &mut sink);
            assert_eq!(got.unwrap_err(), Some(whole));
        } else {
            panic!("the sample has no trader row to break");
        }
    }

    #[test]
    fn other_formats_and_bytes_are_read_whole() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let csv = std::fs::read(root.join("tests/data/mediamath_users.csv")).unwrap();
        let profile = Profile::builtin("mediamath").unwrap();
        let expected = read_export(&profile, &csv).unwrap();
        let mut sink = Collect::default();
        let format = stream_export(&profile, Source::Bytes(&csv), &mut sink).unwrap();
        assert_eq!(format, ExportFormat::Csv);
        assert_eq!(sink.users, expected.users);
    }
}
