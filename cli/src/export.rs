//! Reading a seat's export for `audit` and `who-can`.

use std::io::IsTerminal;
use std::time::Duration;

use adaccess_core::{Directory, Profile, User};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::input::{display_name, CliError, Inputs};

/// The users of a seat, and the entity tree when the export carries one.
#[derive(Debug)]
pub struct Export {
    /// Which format was detected.
    pub format: String,
    pub users: Vec<User>,
    pub directory: Option<Directory>,
}

/// Exports at least this big show a spinner (when stderr is a terminal).
const SPINNER_FROM_BYTES: usize = 256 * 1024;

/// Reads EXPORT (a file or `-`), detecting its format.
pub fn read(inputs: &Inputs, profile: &Profile, arg: &str) -> Result<(Export, Spinner), CliError> {
    let bytes = inputs.read_bytes(arg)?;
    let spinner = Spinner::new(bytes.len() >= SPINNER_FROM_BYTES);
    spinner.say(format!("reading {}", display_name(arg)));
    let export = parse(profile, &bytes).map_err(|e| match e.file {
        Some(_) => e,
        None => CliError {
            file: Some(display_name(arg).to_string()),
            ..e
        },
    })?;
    Ok((export, spinner))
}

/// Parses an export. Today: a JSON array of users. When `adaccess_core::ingest` lands, the
/// body becomes its detecting reader (users.list, CSV, T1 permissions, users array):
///
/// ```text
/// adaccess_core::ingest::read_export(profile, bytes)
///     .map(|e| Export { format: e.format.to_string(), users: e.users, directory: e.directory })
///     .map_err(|e| CliError::from_core(None, &e))
/// ```
fn parse(_profile: &Profile, bytes: &[u8]) -> Result<Export, CliError> {
    let text = std::str::from_utf8(bytes).map_err(|e| CliError {
        file: None,
        path: None,
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ),
        code: "input.syntax".into(),
        problems: Vec::new(),
    })?;
    let users = adaccess_core::error::parse_json::<Vec<User>>(text, "")
        .map_err(|e| CliError::from_core(None, &e))?;
    Ok(Export {
        format: "users".into(),
        users,
        directory: None,
    })
}

/// A spinner on stderr while a large export is read and reviewed; hidden when stderr is not a
/// terminal or the export is small.
pub struct Spinner(Option<ProgressBar>);

impl Spinner {
    fn new(large: bool) -> Self {
        if !large || !std::io::stderr().is_terminal() {
            return Spinner(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(120));
        Spinner(Some(bar))
    }

    pub fn say(&self, message: String) {
        if let Some(bar) = &self.0 {
            bar.set_message(message);
        }
    }

    pub fn done(self) {
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }
}
