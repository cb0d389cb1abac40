//! Reading the command line's inputs: files (or stdin), profiles, directories, documents.
//! Every failure becomes a [`CliError`] naming the file, the path inside it and a code.

use std::cell::Cell;
use std::fmt;
use std::io::Read;
use std::path::Path;

use adaccess_core::parse_json;
use adaccess_core::{AdaccessError, Directory, Engine, EntityRef, Problem, Profile, Timestamp};
use serde::de::DeserializeOwned;

/// Input the command cannot use: printed on stderr, exit status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// The file (or `<stdin>`) the problem is in.
    pub file: Option<String>,
    /// Where in the file.
    pub path: Option<String>,
    pub message: String,
    /// A stable code: the core error's code, or `input.io` / `input.argument`.
    pub code: String,
    /// Every problem, when there are several (profile checks).
    pub problems: Vec<Problem>,
}

impl CliError {
    /// A file that cannot be read.
    pub fn io(file: &str, message: impl Into<String>) -> Self {
        CliError {
            file: Some(file.to_string()),
            path: None,
            message: message.into(),
            code: "input.io".into(),
            problems: Vec::new(),
        }
    }

    /// A command-line argument that cannot be used.
    pub fn argument(message: impl Into<String>) -> Self {
        CliError {
            file: None,
            path: None,
            message: message.into(),
            code: "input.argument".into(),
            problems: Vec::new(),
        }
    }

    /// Converts an error of the core, read from `file`.
    pub fn from_core(file: Option<&str>, err: &dyn AdaccessError) -> Self {
        let path = err.path().map(str::to_string);
        let mut message = err.to_string();
        if let Some(p) = &path {
            // The core's messages often start with "`path`: "; the path is printed apart.
            if let Some(rest) = message.strip_prefix(&format!("`{p}`: ")) {
                message = rest.to_string();
            }
        }
        CliError {
            file: file.map(str::to_string),
            path,
            message,
            code: err.code().to_string(),
            problems: err.problems().to_vec(),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}: ")?;
        }
        if let Some(path) = &self.path {
            // Some messages already say where ("profile is not valid JSON at x: ...").
            if !path.is_empty() && path != "." && !self.message.contains(path.as_str()) {
                write!(f, "{path}: ")?;
            }
        }
        write!(f, "{} [{}]", self.message, self.code)
    }
}

/// Reads file arguments; `-` is stdin, which can be read once.
#[derive(Debug, Default)]
pub struct Inputs {
    stdin_used: Cell<bool>,
}

/// The name a file argument is shown as in messages.
pub fn display_name(arg: &str) -> &str {
    if arg == "-" {
        "<stdin>"
    } else {
        arg
    }
}

impl Inputs {
    pub fn read_bytes(&self, arg: &str) -> Result<Vec<u8>, CliError> {
        let name = display_name(arg);
        if arg == "-" {
            if self.stdin_used.replace(true) {
                return Err(CliError::argument(
                    "only one argument can be `-`: standard input can be read once",
                ));
            }
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| CliError::io(name, format!("cannot read standard input: {e}")))?;
            return Ok(buf);
        }
        std::fs::read(arg).map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ if Path::new(arg).is_dir() => "is a directory, not a file".to_string(),
                _ => e.to_string(),
            };
            CliError::io(name, format!("cannot read `{arg}`: {why}"))
        })
    }

    pub fn read_text(&self, arg: &str) -> Result<String, CliError> {
        let bytes = self.read_bytes(arg)?;
        String::from_utf8(bytes).map_err(|e| CliError {
            file: Some(display_name(arg).to_string()),
            path: None,
            message: format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            code: "input.syntax".into(),
            problems: Vec::new(),
        })
    }

    /// A JSON document of type `T`; an error names the file and the path of the bad value.
    pub fn read_json<T: DeserializeOwned>(&self, arg: &str) -> Result<T, CliError> {
        let text = self.read_text(arg)?;
        parse_json::<T>(&text, "").map_err(|e| CliError::from_core(Some(display_name(arg)), &e))
    }

    /// `--profile ID|FILE`: a built-in id, or a profile document (`-` for stdin).
    pub fn profile(&self, arg: &str) -> Result<Profile, CliError> {
        let looks_like_file = arg == "-"
            || arg.ends_with(".json")
            || arg.contains('/')
            || arg.contains(std::path::MAIN_SEPARATOR)
            || Path::new(arg).is_file();
        if Profile::builtin_ids().contains(&arg) || !looks_like_file {
            return Profile::builtin(arg).map_err(|e| CliError::from_core(None, &e));
        }
        let text = self.read_text(arg)?;
        Profile::from_json(&text).map_err(|e| CliError::from_core(Some(display_name(arg)), &e))
    }

    /// `--directory FILE`.
    pub fn directory(&self, arg: Option<&str>) -> Result<Option<Directory>, CliError> {
        arg.map(|a| self.read_json::<Directory>(a)).transpose()
    }

    /// An engine for a profile and an optional directory (`--directory` wins over `fallback`,
    /// a directory that came with an export).
    pub fn engine(
        &self,
        profile: Profile,
        directory_arg: Option<&str>,
        fallback: Option<Directory>,
    ) -> Result<Engine, CliError> {
        let (directory, file) = match self.directory(directory_arg)? {
            Some(d) => (Some(d), directory_arg.map(display_name)),
            None => (fallback, Some("<export directory>")),
        };
        Engine::new(profile, directory.as_ref()).map_err(|e| CliError::from_core(file, &e))
    }
}

/// An entity on the command line: `LEVEL:ID`.
pub fn entity(arg: &str) -> Result<EntityRef, CliError> {
    EntityRef::parse(arg).ok_or_else(|| {
        CliError::argument(format!(
            "`{arg}` is not an entity: write LEVEL:ID, e.g. `advertiser:11`"
        ))
    })
}

/// A date or timestamp on the command line (`--now`).
pub fn timestamp(arg: &str, option: &str) -> Result<Timestamp, CliError> {
    Timestamp::parse(arg).map_err(|e| CliError::argument(format!("{option}: {e}")))
}
