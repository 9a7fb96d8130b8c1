//! Progress on a terminal: one spinner per running probe, on stderr; nothing otherwise.
//! Every line passes through the process-wide redactor first (a probe's title or summary may
//! quote a URL or a value from the user's input).

use crate::engine::{ProbeOutcome, Progress};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

pub struct Spinners {
    multi: Option<MultiProgress>,
    bars: Mutex<HashMap<String, ProgressBar>>,
}

impl Spinners {
    pub fn new(enabled: bool) -> Spinners {
        Spinners {
            multi: enabled.then(MultiProgress::new),
            bars: Mutex::new(HashMap::new()),
        }
    }

    /// Removes every line the spinners drew.
    pub fn clear(&self) {
        if let Some(m) = &self.multi {
            let _ = m.clear();
        }
    }
}

impl Progress for Spinners {
    fn start(&self, id: &str, title: &str) {
        let Some(m) = &self.multi else { return };
        let bar = m.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(crate::secret::global::scrub(title));
        bar.enable_steady_tick(Duration::from_millis(100));
        self.bars
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.to_string(), bar);
    }

    fn finish(&self, id: &str, outcome: &ProbeOutcome) {
        if let Some(bar) = self
            .bars
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id)
        {
            let mark = outcome.status.mark(unicode_ok());
            bar.finish_with_message(crate::secret::global::scrub(&format!(
                "{mark} {}",
                outcome.summary
            )));
        }
    }
}

/// Whether the terminal can show ✓/✗ (a UTF-8 locale).
pub fn unicode_ok() -> bool {
    let vars = ["LC_ALL", "LC_CTYPE", "LANG"];
    for v in vars {
        if let Ok(val) = std::env::var(v)
            && !val.is_empty()
        {
            let l = val.to_ascii_lowercase();
            return l.contains("utf-8") || l.contains("utf8");
        }
    }
    // No locale set at all: most terminals today are UTF-8.
    true
}
