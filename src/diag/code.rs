//! Every diagnostic code, in one list: its text form (stable, tools match on it), its
//! severity and what it means. `docs/diagnostics.md` has a row for each, with the fix, and
//! `tests/testsuite/diagnostics/` a test (`every_code_has_a_test_and_docs` checks both).
//!
//! A new code is one line here; the text form is what the human and JSON output print.

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;

use super::Severity;

/// Declares [`Code`] with its text form and severity, and [`Code::ALL`].
macro_rules! codes {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $text:literal, $severity:ident; )+) => {
        /// A stable diagnostic code, e.g. `E-unknown-ref`.
        ///
        /// Compared and sorted by its text form, so the order of diagnostics is the order
        /// of their codes as written.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl Code {
            /// Every code, in the order declared.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The text form, e.g. `"E-unknown-ref"`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => $text, )+
                }
            }

            /// How serious a diagnostic with this code is.
            pub const fn severity(self) -> Severity {
                match self {
                    $( Code::$variant => Severity::$severity, )+
                }
            }
        }
    };
}

codes! {
    // ----- settings -----
    /// `briefing.toml` is missing, a setting has an invalid value, or `--base-url` is invalid.
    Config = "E-config", Error;
    /// A setting or frontmatter field that does not exist, usually a typo.
    UnknownField = "E-unknown-field", Error;
    /// `base_url` is a path, so the site has no `atom.xml` and no `sitemap.xml`.
    RelativeBaseUrl = "W-relative-base-url", Warning;
    /// A key of `[labels]` names no vocabulary value nor any tag, attack type, target or
    /// ideology of the content.
    UnknownLabel = "W-unknown-label", Warning;

    // ----- frontmatter -----
    /// A file without frontmatter, with frontmatter never closed, or empty.
    Frontmatter = "E-frontmatter", Error;
    /// Malformed YAML or TOML.
    Syntax = "E-syntax", Error;
    /// A required field is missing.
    MissingField = "E-missing-field", Error;
    /// A required text field is empty.
    EmptyField = "E-empty-field", Error;
    /// A value outside a closed list (`stance: blamed`).
    UnknownValue = "E-unknown-value", Error;
    /// A value of the wrong type (text where a number or a list is expected).
    WrongType = "E-wrong-type", Error;
    /// The same field is given twice.
    DuplicateField = "E-duplicate-field", Error;
    /// A date that is malformed or does not exist.
    InvalidDate = "E-invalid-date", Error;
    /// A value out of range (coordinates not on Earth, `end_date` before `date`).
    InvalidValue = "E-invalid-value", Error;
    /// A file name or `slug:` that is not a valid slug.
    InvalidSlug = "E-invalid-slug", Error;
    /// A tag without any letter or digit.
    InvalidTag = "E-invalid-tag", Error;
    /// A source URL or a link with a scheme that is not allowed (`javascript:`).
    InvalidUrl = "E-invalid-url", Error;
    /// A country code that is not ISO 3166-1 alpha-2.
    UnknownCountry = "E-unknown-country", Error;

    // ----- references between entries -----
    /// A reference to a slug no file has.
    UnknownRef = "E-unknown-ref", Error;
    /// A reference to an entry of the wrong kind.
    WrongKind = "E-wrong-kind", Error;
    /// An entry refers to itself.
    SelfRef = "E-self-ref", Error;
    /// Two files have the same slug (or `new` refuses a slug in use).
    DuplicateSlug = "E-duplicate-slug", Error;
    /// A published entry refers to one withheld from this build; the reference is left out.
    WithheldRef = "N-withheld-ref", Note;

    // ----- content warnings -----
    /// An incident or statement cites no source.
    NoSources = "W-no-sources", Warning;
    /// An incident, group, actor or statement has no summary.
    NoSummary = "W-no-summary", Warning;
    /// No statement or other entry refers to an actor.
    OrphanActor = "W-orphan-actor", Warning;
    /// A statement that claims, blames or denies is dated before its incident.
    StatementBeforeIncident = "W-statement-before-incident", Warning;
    /// One entry lists the same relation (group and kind) twice in `relations`.
    DuplicateRelation = "W-duplicate-relation", Warning;

    // ----- files and folders -----
    /// The site has no `content/` folder.
    NoContent = "E-no-content", Error;
    /// A file or folder cannot be read.
    Read = "E-read", Error;
    /// A file is not UTF-8 text.
    NotUtf8 = "E-not-utf8", Error;
    /// A content file changed (or vanished) while the site was being built.
    Changed = "E-changed", Error;
    /// A symbolic link (or a site folder) leads outside where it may.
    PathEscape = "E-path-escape", Error;
    /// Input beyond a safety limit (file size, frontmatter size or nesting, Markdown depth).
    Limit = "E-limit", Error;
    /// A symbolic link to a folder inside `content/`, `static/` or `templates/` is not followed.
    SymlinkDir = "W-symlink-dir", Warning;
    /// A Markdown file outside the content folders is ignored.
    UnknownFolder = "W-unknown-folder", Warning;

    // ----- bodies -----
    /// Raw HTML in a body links to an entry page this build does not publish.
    RawLinkUnpublished = "E-raw-link-unpublished", Error;
    /// A raw-text HTML element in a body is never closed.
    UnclosedHtml = "E-unclosed-html", Error;
    /// A code block too big to highlight is shown as plain text.
    Highlight = "N-highlight", Note;
    /// An image in a body is on another host: it is shown as a link unless
    /// `[markdown] allow_remote_images` is set.
    RemoteImage = "W-remote-image", Warning;
    /// An image in a body has no alt text.
    NoAlt = "W-no-alt", Warning;

    // ----- templates and output -----
    /// A template override does not compile or fails to render.
    Template = "E-template", Error;
    /// A file of `templates/` that is neither a template nor a theme file is not published.
    NotPublished = "N-not-published", Note;
    /// The output may not be replaced (it would overwrite the site itself, or is not ours).
    Output = "E-output", Error;
    /// A file of `static/` would overwrite a generated file or folder.
    OutputCollision = "E-output-collision", Error;
    /// The new output is in place, but the previous one could not be removed.
    OldOutput = "W-old-output", Warning;
    /// The output (or a scratch folder, or a file of `init`/`new`) cannot be written.
    Write = "E-write", Error;

    // ----- check -----
    /// An internal link leads to no page or file of the site.
    BrokenLink = "E-broken-link", Error;
    /// A link's `#fragment` names no element on the target page.
    BrokenFragment = "E-broken-fragment", Error;
    /// `check --external`: an outbound URL answered 4xx or 5xx, or got no answer (no such
    /// host, no connection, a timeout).
    DeadLink = "E-dead-link", Error;
    /// `check --external`: an outbound URL redirects permanently (301, 308) to another.
    MovedLink = "W-moved-link", Warning;
    /// `check --external`: its answers could not be kept in `.briefing-cache/`.
    Cache = "W-cache", Warning;

    // ----- init and new -----
    /// `init` was given a folder that is not empty (or is a file).
    NotEmpty = "E-not-empty", Error;
    /// `new` would overwrite an existing file.
    Exists = "E-exists", Error;
    /// `new statement` without `--speaker` on a site with no actors or groups.
    NoSpeaker = "E-no-speaker", Error;

    // ----- import and schema -----
    /// The CSV file of `import` cannot be read, or the site folder is not a site.
    ImportFile = "E-import-file", Error;
    /// The mapping of `import` is malformed or does not fit the file's columns.
    ImportMapping = "E-import-mapping", Error;
    /// A row of the imported file cannot be turned into an entry.
    ImportRow = "E-import-row", Error;
    /// An imported entry would overwrite an existing file.
    ImportExists = "E-import-exists", Error;
    /// `schema` cannot write its files.
    SchemaWrite = "E-schema-write", Error;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Code {
    /// By text form: diagnostics sort as they did when codes were strings.
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_are_unique_and_prefixed_by_severity() {
        let mut seen = std::collections::BTreeSet::new();
        for &code in Code::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "`{text}` twice");
            let prefix = match code.severity() {
                Severity::Error => "E-",
                Severity::Warning => "W-",
                Severity::Note => "N-",
            };
            assert!(
                text.starts_with(prefix),
                "`{text}` is not {}",
                code.severity()
            );
            assert!(
                text[2..]
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "`{text}`"
            );
        }
    }

    #[test]
    fn compares_and_prints_as_text() {
        assert_eq!(Code::UnknownRef, "E-unknown-ref");
        assert_eq!(Code::UnknownRef.to_string(), "E-unknown-ref");
        assert!(Code::BrokenLink < Code::WithheldRef);
        assert_eq!(
            serde_json::to_string(&Code::Output).unwrap(),
            "\"E-output\""
        );
    }
}
