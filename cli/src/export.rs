//! Reading a seat's export whole for `who-can`, and the spinner shown meanwhile.

use std::io::IsTerminal;
use std::time::Duration;

use adaccess_core::{Directory, Profile, User};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::input::{display_name, CliError, Inputs};

/// The users of a seat, and the entity tree when the export carries one.
#[derive(Debug)]
pub struct Export {
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

/// Parses an export, detecting its format from the content: a DV360 users.list response, a
/// CSV, a MediaMath T1 permissions document or a JSON array of users.
fn parse(profile: &Profile, bytes: &[u8]) -> Result<Export, CliError> {
    adaccess_core::ingest::read_export(profile, bytes)
        .map(|e| Export {
            users: e.users,
            directory: e.directory,
        })
        .map_err(|e| CliError::from_core(None, &e))
}

/// A spinner on stderr while a large export is read and reviewed; hidden when stderr is not a
/// terminal or the export is small.
pub struct Spinner(Option<ProgressBar>);

impl Spinner {
    pub fn new(large: bool) -> Self {
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
