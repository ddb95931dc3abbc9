//! Scaffolding for authors: `briefing init` (a new site) and `briefing new` (a new entry).
//!
//! The files written are real files of this repository, embedded at compile time: the
//! example site under `scaffold/site/` and one skeleton per kind under `scaffold/new/`.
//!
//! Invariants:
//! - `init` never writes into a folder that holds anything unless asked to (`--force`),
//!   and what it writes builds at once with zero warnings (a test guards this).
//! - `new` never overwrites: the file is created with `create_new`, so even a file
//!   appearing between the check and the write is left alone. It refuses a slug already
//!   used by an entry of another kind, because slugs share one namespace and the build
//!   would fail on it.
//! - What `new` writes builds: every required field holds a valid value. A statement's
//!   `speaker` must name an existing actor or group; without `--speaker` the first one of
//!   the site stands in as a placeholder and the statement is written as a draft, so a
//!   guessed speaker is never published by accident.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::config::CONFIG_FILE;
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean, display_path};
use crate::load::{CONTENT_DIR, Loaded, load_site};
use crate::model::{Kind, PartialDate, Slug, slugify};
use crate::output::STATIC_DIR;

/// The example site written by `init`.
static SITE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/scaffold/site");
/// One skeleton per kind, written by `new`.
static SKELETONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/scaffold/new");

/// What `init` should do.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The folder to create the site in (created if missing).
    pub dir: PathBuf,
    /// Write into a folder that is not empty, replacing files of the same name.
    pub force: bool,
}

/// What `init` did.
#[derive(Debug, Clone, Default)]
pub struct Initialised {
    /// Files written, relative to the site folder, in order.
    pub written: Vec<PathBuf>,
    /// Of those, the files that existed before and were replaced (`--force`).
    pub replaced: Vec<PathBuf>,
}

/// Scaffold a site: `briefing.toml`, example content of every kind and an empty `static/`.
pub fn init_site(opts: &InitOptions) -> Result<Initialised, Diagnostic> {
    let dir = &opts.dir;
    if dir.exists() && !dir.is_dir() {
        return Err(Diagnostic::error(
            Code::NotEmpty,
            format!("`{}` exists and is not a folder", display_path(dir)),
        )
        .help("choose the path of a new or empty folder"));
    }
    if dir.is_dir() && !opts.force {
        let mut entries = fs::read_dir(dir).map_err(|e| read_error(dir, &e))?;
        if entries.next().is_some() {
            return Err(Diagnostic::error(
                Code::NotEmpty,
                format!("the folder `{}` is not empty", display_path(dir)),
            )
            .help("choose a new or empty folder, or pass `--force` to write the example site into it anyway (files of the same name are replaced)"));
        }
    }
    let mut done = Initialised::default();
    let mut files = Vec::new();
    collect_files(&SITE, &mut files);
    for (rel, bytes) in files {
        let path = dir.join(rel);
        if path.exists() {
            done.replaced.push(rel.to_path_buf());
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| write_error(parent, &e))?;
        }
        fs::write(&path, bytes).map_err(|e| write_error(&path, &e))?;
        done.written.push(rel.to_path_buf());
    }
    let static_dir = dir.join(STATIC_DIR);
    fs::create_dir_all(&static_dir).map_err(|e| write_error(&static_dir, &e))?;
    Ok(done)
}

/// Every file of an embedded folder, depth first, sorted by path.
fn collect_files<'a>(dir: &'a Dir<'a>, out: &mut Vec<(&'a Path, &'a [u8])>) {
    for file in dir.files() {
        out.push((file.path(), file.contents()));
    }
    for sub in dir.dirs() {
        collect_files(sub, out);
    }
    out.sort_by_key(|(p, _)| *p);
}

/// What `new` should create.
#[derive(Debug, Clone)]
pub struct NewOptions {
    /// Site root (holds `briefing.toml`).
    pub root: PathBuf,
    /// Kind of entry.
    pub kind: Kind,
    /// Title, as the author typed it.
    pub title: String,
    /// Slug, instead of the one made from the title.
    pub slug: Option<String>,
    /// Statements: the speaker's slug.
    pub speaker: Option<String>,
    /// The entry's date (incidents and statements); default today.
    pub date: Option<PartialDate>,
}

/// What `new` created.
#[derive(Debug, Clone)]
pub struct Created {
    /// The new file, under the site root as given (`ROOT/content/incidents/x.md`).
    pub path: PathBuf,
    /// The same, relative to the site root.
    pub file: PathBuf,
    /// Things the author should know, e.g. that the speaker is a placeholder.
    pub notes: Vec<String>,
}

/// Create `content/<kind>s/<slug>.md` from the kind's skeleton.
pub fn new_entry(opts: &NewOptions) -> Result<Created, Diagnostic> {
    let root = &opts.root;
    if !root.join(CONFIG_FILE).is_file() {
        return Err(Diagnostic::error(
            Code::Config,
            format!("no `{CONFIG_FILE}` in `{}`", display_path(root)),
        )
        .help("run `briefing new` in a site folder or pass `--root DIR`; `briefing init DIR` creates a site"));
    }
    let title = opts.title.trim();
    if title.is_empty() {
        return Err(Diagnostic::error(Code::EmptyField, "the title is empty")
            .help("give the entry a short, specific title, e.g. `briefing new incident \"Crocus City Hall attack\"`"));
    }
    let slug = entry_slug(title, opts.slug.as_deref())?;
    let file = Path::new(CONTENT_DIR)
        .join(opts.kind.dir())
        .join(format!("{slug}.md"));
    let path = root.join(&file);
    if path.exists() {
        return Err(exists(&file));
    }
    // Slugs share one namespace across kinds, and statements need a real speaker: both
    // need what the site already holds. Problems of other files are not ours to report.
    let loaded = load_site(root, &Diagnostics::new());
    if let Some(by) = slug_user(root, &slug, &loaded) {
        return Err(Diagnostic::error(
            Code::DuplicateSlug,
            format!("slug `{slug}` is already used by `{}`", display_path(&by)),
        )
        .in_file(by)
        .help("slugs are shared by all kinds; pass another one with `--slug`"));
    }

    let mut notes = Vec::new();
    let (speaker, draft) = if opts.kind == Kind::Statement {
        statement_speaker(opts.speaker.as_deref(), &loaded, &mut notes)?
    } else {
        if opts.speaker.is_some() {
            notes.push("`--speaker` is only used by statements; it was ignored".to_string());
        }
        (String::new(), String::new())
    };
    let date = match &opts.date {
        Some(d) => d.iso(),
        None => jiff::ZonedDateTime::now().date().to_string(),
    };
    let skeleton = SKELETONS
        .get_file(format!("{}.md", opts.kind.as_str()))
        .and_then(|f| f.contents_utf8())
        .unwrap_or("---\ntitle: {{title}}\n---\n");
    let text = skeleton
        .replace("{{title}}", &yaml_string(title))
        .replace("{{date}}", &date)
        .replace("{{speaker}}", &speaker)
        .replace("{{draft}}", &draft);
    write_new(&path, &file, &text)?;
    Ok(Created { path, file, notes })
}

/// The slug given, or the one made from the title.
fn entry_slug(title: &str, given: Option<&str>) -> Result<Slug, Diagnostic> {
    match given {
        Some(s) => Slug::parse(s).map_err(|why| {
            Diagnostic::error(Code::InvalidSlug, format!("invalid slug `{s}`: {why}")).help(
                format!(
                    "use lowercase ASCII letters, digits and single hyphens, e.g. `{}`",
                    slugify(s).unwrap_or_else(|| "crocus-city-hall-attack".into())
                ),
            )
        }),
        None => slugify(title)
            .and_then(|s| Slug::parse(&s).ok())
            .ok_or_else(|| {
                Diagnostic::error(
                    Code::InvalidSlug,
                    format!("the title `{title}` has no letters or digits to make a slug from"),
                )
                .help("pass one with `--slug`, e.g. `--slug crocus-city-hall-attack`")
            }),
    }
}

/// The file already using `slug`, as a file name in any kind's folder or as a `slug:`.
fn slug_user(root: &Path, slug: &Slug, loaded: &Loaded) -> Option<PathBuf> {
    Kind::ALL
        .iter()
        .map(|k| {
            Path::new(CONTENT_DIR)
                .join(k.dir())
                .join(format!("{slug}.md"))
        })
        .find(|f| root.join(f).exists())
        .or_else(|| {
            loaded
                .documents
                .iter()
                .find(|d| d.slug == *slug)
                .map(|d| d.file.clone())
        })
}

/// A statement's `speaker` value and `draft` lines: the `--speaker` given (which must
/// exist), else the site's first actor or group as a placeholder, in a draft.
fn statement_speaker(
    given: Option<&str>,
    loaded: &Loaded,
    notes: &mut Vec<String>,
) -> Result<(String, String), Diagnostic> {
    let speakers: Vec<&str> = loaded
        .documents
        .iter()
        .filter(|d| matches!(d.kind, Kind::Actor | Kind::Group))
        .map(|d| d.slug.as_str())
        .collect();
    match (given, speakers.first()) {
        (Some(s), _) if speakers.contains(&s) => Ok((s.to_string(), String::new())),
        (Some(s), first) => {
            let help = match (did_you_mean(s, speakers.iter().copied()), first) {
                (Some(m), _) => format!("did you mean `{m}`?"),
                (None, Some(first)) => format!(
                    "use the slug of a file in `content/actors/` or `content/groups/`, e.g. `{first}`"
                ),
                (None, None) => "the site has no actors or groups yet; create the speaker first with `briefing new actor \"Name\"`".to_string(),
            };
            Err(Diagnostic::error(
                Code::UnknownRef,
                format!("unknown actor or group `{s}` in `--speaker`"),
            )
            .help(help))
        }
        (None, Some(first)) => {
            notes.push(format!(
                "`speaker` is a placeholder (`{first}`) and the statement is a draft: set the real speaker and delete `draft: true` to publish it"
            ));
            Ok((
                format!("{first}   # placeholder: set the real speaker"),
                "# `speaker` above is a placeholder: set the real one, then delete this line to publish.\ndraft: true\n".to_string(),
            ))
        }
        (None, None) => Err(Diagnostic::error(
            Code::NoSpeaker,
            "a statement needs a `speaker`, and the site has no actors or groups yet",
        )
        .help("create the speaker first, e.g. `briefing new actor \"Name\"`, then run `briefing new statement \"Title\" --speaker SLUG`")),
    }
}

/// Create `path` with `text`; never replaces a file, even one created a moment ago.
fn write_new(path: &Path, file: &Path, text: &str) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| write_error(parent, &e))?;
    }
    let mut out = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(exists(file)),
        Err(e) => return Err(write_error(path, &e)),
    };
    out.write_all(text.as_bytes())
        .map_err(|e| write_error(path, &e))
}

fn exists(file: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::Exists,
        format!(
            "`{}` already exists; `new` never overwrites",
            display_path(file)
        ),
    )
    .in_file(file)
    .help("edit the existing file, or choose another title or `--slug`")
}

fn read_error(path: &Path, e: &io::Error) -> Diagnostic {
    Diagnostic::error(
        Code::Read,
        format!("cannot read `{}`: {e}", display_path(path)),
    )
    .help("check that the folder exists and is readable")
}

fn write_error(path: &Path, e: &io::Error) -> Diagnostic {
    Diagnostic::error(
        Code::Write,
        format!("cannot write `{}`: {e}", display_path(path)),
    )
    .help("check the permissions and free space of the folder")
}

/// `s` as a double-quoted YAML scalar: any title survives, colons and quotes included.
fn yaml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn yaml_strings_round_trip() {
        for title in [
            "Plain",
            "With: colon",
            "\"Quoted\" and \\ back",
            "Крокус # not a comment",
        ] {
            let yaml = format!("title: {}\n", yaml_string(title));
            let v: std::collections::BTreeMap<String, String> =
                serde_saphyr::from_str(&yaml).unwrap();
            assert_eq!(v["title"], title);
        }
    }

    /// Field names serde expects in a table, read from its "unknown field" message, so a
    /// setting added to `Config` without a line in the scaffold fails this test.
    fn expected_fields(toml: &str) -> Vec<String> {
        let message = toml::from_str::<Config>(toml)
            .err()
            .map(|e| e.message().to_string())
            .unwrap_or_default();
        message
            .split('`')
            .skip(3)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn scaffold_settings_hold_every_key() {
        let text = SITE
            .get_file(CONFIG_FILE)
            .and_then(|f| f.contents_utf8())
            .unwrap();
        Config::parse(text).expect("the scaffold settings are valid");
        let table: toml::Table = toml::from_str(text).unwrap();
        let cases = [
            ("title = \"x\"\nzzz = 1\n", None),
            ("title = \"x\"\n[build]\nzzz = 1\n", Some("build")),
            ("title = \"x\"\n[markdown]\nzzz = 1\n", Some("markdown")),
        ];
        for (probe, section) in cases {
            let keys = match section {
                None => &table,
                Some(s) => table[s].as_table().unwrap(),
            };
            let fields = expected_fields(probe);
            assert!(fields.len() > 2, "{fields:?}");
            for field in fields {
                assert!(
                    keys.contains_key(&field),
                    "`{field}` ({section:?}) is missing from scaffold/site/briefing.toml"
                );
                // Every setting is explained by a comment right above it.
                let at = text
                    .find(&format!("\n{field} ="))
                    .or_else(|| text.find(&format!("\n[{field}]")))
                    .unwrap_or_else(|| panic!("`{field}` is not set on a line of its own"));
                let before = text[..at].trim_end_matches('\n');
                let last_line = before.rsplit('\n').next().unwrap_or("");
                assert!(
                    last_line.starts_with('#') || last_line.contains(" = "),
                    "`{field}` has no comment"
                );
            }
        }
    }

    #[test]
    fn every_kind_has_a_skeleton() {
        for kind in Kind::ALL {
            let f = SKELETONS
                .get_file(format!("{}.md", kind.as_str()))
                .unwrap_or_else(|| panic!("scaffold/new/{}.md is missing", kind.as_str()));
            assert!(f.contents_utf8().unwrap().contains("title: {{title}}"));
        }
    }
}
