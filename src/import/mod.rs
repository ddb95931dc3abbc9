//! `briefing import csv`: rows of a GTD- or ACLED-style CSV (or any CSV, through a mapping
//! file) -> incident and group Markdown files that build as they are (issue 14).
//!
//! Invariants:
//! - Streaming: the file is read twice, row by row; what is kept between rows is the set
//!   of slugs given out and the groups named, never the rows. A 100,000-row file is fine.
//! - All or nothing: the first pass maps every row and reports every row it cannot map,
//!   with its line, like `check`; files are written only by the second pass, and only if
//!   the first found no error.
//! - Never overwrites: an incident whose file already exists is an error (`E-import-exists`),
//!   so importing the same file twice is refused instead of doubling the site.
//! - Deterministic: slugs depend on the rows and the site only. Collisions within an
//!   import get `-2`, `-3`, ... in row order; a slug used by another entry of the site is
//!   skipped the same way.
//! - Groups are matched by title, short name and alias, ignoring case and accents, against
//!   the site's groups and the groups the import has already created.

pub mod acled;
pub mod gtd;
pub mod mapping;
pub mod row;
pub mod write;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, display_path};
use crate::model::slugify;

use mapping::{Mapping, Resolved};
use row::{Row, map_row, name_key};
use write::{Existing, Origin};

/// Which mapping turns columns into fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappingChoice {
    /// The built-in GTD mapping.
    Gtd,
    /// The built-in ACLED mapping.
    Acled,
    /// A mapping file (`docs/import.md`).
    File(PathBuf),
}

impl MappingChoice {
    /// `gtd`, `acled`, or a path.
    pub fn parse(s: &str) -> MappingChoice {
        match s {
            "gtd" => MappingChoice::Gtd,
            "acled" => MappingChoice::Acled,
            path => MappingChoice::File(PathBuf::from(path)),
        }
    }
}

/// What to import, resolved from the command line.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The CSV file.
    pub file: PathBuf,
    /// The mapping.
    pub mapping: MappingChoice,
    /// Site root.
    pub root: PathBuf,
    /// Write nothing; report each file that would be written.
    pub dry_run: bool,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Every problem; any error means nothing was written.
    pub diagnostics: Vec<Diagnostic>,
    /// Data rows read.
    pub rows: u64,
    /// Incident files written (or that would be).
    pub incidents: u64,
    /// Group files written (or that would be).
    pub new_groups: u64,
    /// Distinct groups of the site the rows named.
    pub known_groups: u64,
}

impl ImportReport {
    /// Whether the import succeeded.
    pub fn success(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Import `options.file`. `on_file` sees each file written (or, with `dry_run`, that
/// would be), as a path relative to the root and its text.
pub fn import_csv(options: &ImportOptions, on_file: &mut dyn FnMut(&Path, &str)) -> ImportReport {
    let mut report = ImportReport::default();
    let shown = display_path(&options.file);
    let mapping = match load_mapping(&options.mapping) {
        Ok(m) => m,
        Err(d) => {
            report.diagnostics.push(d);
            return report;
        }
    };
    if !options.root.join(crate::config::CONFIG_FILE).is_file() {
        report.diagnostics.push(
            Diagnostic::error(
                Code::ImportFile,
                format!(
                    "`{}` is not a site folder: it has no `briefing.toml`",
                    display_path(&options.root)
                ),
            )
            .help("create a site with `briefing init DIR`, or pass `--root DIR`"),
        );
        return report;
    }
    let existing = write::existing(&options.root);
    let origin_file = options
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.clone());

    // Pass 1: map every row, give out slugs, collect every problem.
    let mut plan = Planner::new(&existing, &options.root);
    let pass = each_row(&options.file, &mapping, &mut |line, mapped| {
        report.rows += 1;
        match mapped.and_then(|row| plan.plan(row, line).map(|_| ())) {
            Ok(()) => {}
            Err(why) => report
                .diagnostics
                .extend(why.into_iter().map(|(code, msg, help)| {
                    let d = Diagnostic::error(code, msg)
                        .in_file(&options.file)
                        .at_line(line as usize, 1);
                    match help {
                        Some(h) => d.help(h),
                        None => d,
                    }
                })),
        }
    });
    if let Err(d) = pass {
        report.diagnostics.push(d.in_file(&options.file));
    }
    if !report.success() {
        return report;
    }

    // Pass 2: the same rows, the same slugs, now written.
    let mut plan = Planner::new(&existing, &options.root);
    let mut failures = Vec::new();
    let dataset = mapping.name.as_deref();
    let mut emit = |rel: PathBuf, text: String, failures: &mut Vec<Diagnostic>| {
        if !options.dry_run
            && let Err(d) = write_new(&options.root, &rel, &text)
        {
            failures.push(d);
            return false;
        }
        on_file(&rel, &text);
        true
    };
    let pass = each_row(&options.file, &mapping, &mut |line, mapped| {
        let Ok(row) = mapped else { return };
        let (slug, perpetrators) = match plan.plan(row.clone(), line) {
            Ok(planned) => planned,
            Err(why) => {
                // Only if the site changed between the passes.
                let (code, msg, _) = &why[0];
                failures.push(
                    Diagnostic::error(*code, msg.clone())
                        .in_file(&options.file)
                        .at_line(line as usize, 1),
                );
                return;
            }
        };
        let origin = Origin {
            file: &origin_file,
            line,
            dataset,
        };
        let rel = Path::new("content/incidents").join(format!("{slug}.md"));
        if emit(
            rel,
            write::incident_file(&row, &perpetrators, &origin),
            &mut failures,
        ) {
            report.incidents += 1;
        }
    });
    if let Err(d) = pass {
        failures.push(d.in_file(&options.file));
    }
    let mut groups: Vec<&NewGroup> = plan.new_groups.values().collect();
    groups.sort_by_key(|g| g.order);
    for g in groups {
        let origin = Origin {
            file: &origin_file,
            line: g.line,
            dataset,
        };
        let rel = Path::new("content/groups").join(format!("{}.md", g.slug));
        if emit(
            rel,
            write::group_file(&g.name, &g.aliases, &origin),
            &mut failures,
        ) {
            report.new_groups += 1;
        }
    }
    report.known_groups = plan.known_used.len() as u64;
    report.diagnostics.extend(failures);
    report
}

fn load_mapping(choice: &MappingChoice) -> Result<Mapping, Diagnostic> {
    let (text, name) = match choice {
        MappingChoice::Gtd => (gtd::GTD.to_string(), "gtd".to_string()),
        MappingChoice::Acled => (acled::ACLED.to_string(), "acled".to_string()),
        MappingChoice::File(path) => match std::fs::read_to_string(path) {
            Ok(t) => (t, display_path(path)),
            Err(e) => {
                return Err(Diagnostic::error(
                    Code::ImportMapping,
                    format!("cannot read the mapping file `{}`: {e}", display_path(path)),
                )
                .help("use `--mapping gtd`, `--mapping acled` or the path of a mapping file"));
            }
        },
    };
    Mapping::parse(&text).map_err(|why| {
        Diagnostic::error(Code::ImportMapping, format!("mapping `{name}`: {why}"))
            .help("see docs/import.md for the format of a mapping file")
    })
}

/// Stream the rows of `file` to `f` with their line numbers, mapped. A file that cannot be
/// read, or whose header lacks a mapped column, is one `Err` (all missing columns named).
fn each_row(
    file: &Path,
    mapping: &Mapping,
    f: &mut dyn FnMut(u64, Result<Row, Vec<Problem>>),
) -> Result<(), Diagnostic> {
    let shown = display_path(file);
    let cannot = |e: &dyn std::fmt::Display| {
        Diagnostic::error(Code::ImportFile, format!("cannot read `{shown}`: {e}"))
            .help("pass the path of a CSV file with a header row")
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(file)
        .map_err(|e| cannot(&e))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| cannot(&e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let cols: Resolved = mapping.resolve(&header).map_err(|missing| {
        Diagnostic::error(
            Code::ImportMapping,
            format!("the mapping does not fit `{shown}`: {}", missing.join("; ")),
        )
        .at_line(1, 1)
        .help("name the file's own columns in a mapping file (see docs/import.md)")
    })?;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line());
                let mapped = if record.len() != header.len() {
                    Err(vec![row_problem(format!(
                        "the row has {} fields, the header {}",
                        record.len(),
                        header.len()
                    ))])
                } else {
                    map_row(mapping, &cols, &record)
                        .map_err(|errs| errs.into_iter().map(row_problem).collect())
                };
                f(line, mapped);
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                if let csv::ErrorKind::Io(_) = e.kind() {
                    return Err(cannot(&e));
                }
                let why = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8".to_string(),
                    _ => e.to_string(),
                };
                f(line, Err(vec![row_problem(why)]));
            }
        }
    }
}

/// A problem with a row: code, message, help.
type Problem = (Code, String, Option<String>);

fn row_problem(why: String) -> Problem {
    (
        Code::ImportRow,
        format!("cannot import the row: {why}"),
        None,
    )
}

/// A group the import creates.
struct NewGroup {
    slug: String,
    name: String,
    aliases: Vec<String>,
    line: u64,
    order: usize,
}

/// Gives out slugs row by row; the same rows in the same order get the same slugs.
struct Planner<'a> {
    existing: &'a Existing,
    root: &'a Path,
    taken: HashSet<String>,
    next_suffix: HashMap<String, u32>,
    new_groups: HashMap<String, NewGroup>,
    known_used: HashSet<String>,
}

impl<'a> Planner<'a> {
    fn new(existing: &'a Existing, root: &'a Path) -> Self {
        Planner {
            existing,
            root,
            taken: HashSet::new(),
            next_suffix: HashMap::new(),
            new_groups: HashMap::new(),
            known_used: HashSet::new(),
        }
    }

    fn is_free(&self, slug: &str) -> bool {
        !self.taken.contains(slug) && !self.existing.slugs.contains(slug)
    }

    /// `base`, or `base-2`, `base-3`, ... : the first that is free.
    fn free_slug(&mut self, base: &str) -> String {
        let mut slug = base.to_string();
        // Start after the last suffix given to this base: many rows of one day and place
        // would otherwise try every suffix again (quadratic at 100,000 rows).
        let mut n = self.next_suffix.get(base).copied().unwrap_or(2);
        while !self.is_free(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        if slug != base {
            self.next_suffix.insert(base.to_string(), n);
        }
        self.taken.insert(slug.clone());
        slug
    }

    /// The incident's slug and its perpetrators' slugs.
    fn plan(&mut self, row: Row, line: u64) -> Result<(String, Vec<String>), Vec<Problem>> {
        let base = match &row.slug {
            Some(s) => slugify(s).ok_or_else(|| {
                vec![row_problem(format!(
                    "the slug `{s}` has no letters or digits"
                ))]
            })?,
            None => {
                let date = row.date.as_ref().map(|d| d.iso()).unwrap_or_default();
                slugify(&format!("{date} {}", row.title)).unwrap_or_else(|| "incident".into())
            }
        };
        let base: String = base
            .chars()
            .take(120)
            .collect::<String>()
            .trim_end_matches('-')
            .to_string();
        let rel = Path::new("content/incidents").join(format!("{base}.md"));
        // A base this import gave out already is a collision within the import (its file
        // may exist by now, in the writing pass); any other existing file is refused.
        if !self.taken.contains(&base) && self.root.join(&rel).exists() {
            return Err(vec![(
                Code::ImportExists,
                format!(
                    "`{}` exists; an import never overwrites a file",
                    display_path(&rel)
                ),
                Some(
                    "was this file imported before? remove the earlier import's files, or \
                     import only new rows"
                        .into(),
                ),
            )]);
        }
        let slug = self.free_slug(&base);
        let perpetrators = row
            .perpetrators
            .iter()
            .map(|name| self.group(name, line))
            .collect();
        Ok((slug, perpetrators))
    }

    /// The slug of the group called `name`, creating it if the site has none by that name.
    fn group(&mut self, name: &str, line: u64) -> String {
        let key = name_key(name);
        if let Some(slug) = self.existing.groups.get(&key) {
            self.known_used.insert(slug.clone());
            return slug.clone();
        }
        if let Some(g) = self.new_groups.get_mut(&key) {
            if g.name != name && !g.aliases.iter().any(|a| a == name) {
                g.aliases.push(name.to_string());
            }
            return g.slug.clone();
        }
        let slug = self.free_slug(&key);
        let order = self.new_groups.len();
        self.new_groups.insert(
            key,
            NewGroup {
                slug: slug.clone(),
                name: name.to_string(),
                aliases: Vec::new(),
                line,
                order,
            },
        );
        slug
    }
}

/// Write a new file; an existing one is never replaced.
fn write_new(root: &Path, rel: &Path, text: &str) -> Result<(), Diagnostic> {
    use std::io::Write;
    let path = root.join(rel);
    let fail = |e: std::io::Error| {
        let code = if e.kind() == std::io::ErrorKind::AlreadyExists {
            Code::ImportExists
        } else {
            Code::ImportFile
        };
        Diagnostic::error(code, format!("cannot write `{}`: {e}", display_path(rel)))
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)
}
