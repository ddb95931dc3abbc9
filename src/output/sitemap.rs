//! `sitemap.xml` and `robots.txt` (issue 15).
//!
//! Takes the [`OutputContext`] (the files of the pages written); gives the files to write
//! with their writers. A site with at most `[build] sitemap_limit` pages (the protocol's
//! 50,000 by default) has one `sitemap.xml`; a bigger one has `sitemap-1.xml`,
//! `sitemap-2.xml`, ... of that many URLs each and a `sitemap.xml` that is their sitemap
//! index, so the address given to search engines never changes.
//!
//! Invariants: only pages the write stage wrote are listed (never `404.html`), so withheld
//! entities cannot appear; a sitemap needs absolute URLs, so none is written when
//! `base_url` is a path (and `check` warns); `robots.txt` follows [`Plan::robots`] and
//! names the sitemap when there is one; a site's own `static/robots.txt` wins over it.

use std::io::{self, Write};

use super::export::Writer;
use super::static_files::STATIC_DIR;
use super::streamed::OutputContext;
use crate::config::Robots;
use crate::markdown::escape_text;
use crate::plan::Plan;
use crate::routes;

/// The sitemap files and `robots.txt` of the build of `ctx`, with their writers.
pub fn outputs<'a>(ctx: &OutputContext<'a>) -> Vec<(String, Writer<'a>)> {
    let ctx = *ctx;
    let mut out: Vec<(String, Writer<'a>)> = Vec::new();
    if !has_own_robots(ctx.plan) {
        out.push((
            routes::ROBOTS.into(),
            Box::new(move |w: &mut dyn Write| write_robots(&ctx, w)),
        ));
    }
    if !ctx.plan.base_url.is_absolute() {
        return out;
    }
    let limit = ctx.plan.config.build.sitemap_limit.max(1);
    let urls = listed(&ctx).count();
    if urls <= limit {
        out.push((
            routes::SITEMAP.into(),
            Box::new(move |w: &mut dyn Write| write_urlset(&ctx, 0, usize::MAX, w)),
        ));
        return out;
    }
    let parts = urls.div_ceil(limit);
    out.push((
        routes::SITEMAP.into(),
        Box::new(move |w: &mut dyn Write| write_index(&ctx, parts, w)),
    ));
    for n in 1..=parts {
        out.push((
            routes::sitemap_part(n),
            Box::new(move |w: &mut dyn Write| write_urlset(&ctx, (n - 1) * limit, limit, w)),
        ));
    }
    out
}

/// Whether the site publishes a `robots.txt` of its own from `static/`.
fn has_own_robots(plan: &Plan) -> bool {
    plan.root.join(STATIC_DIR).join(routes::ROBOTS).is_file()
}

/// The site paths of the pages a sitemap lists, in file order.
fn listed<'a>(ctx: &OutputContext<'a>) -> impl Iterator<Item = &'a str> + 'a {
    ctx.pages
        .iter()
        .filter(|f| f.as_str() != routes::NOT_FOUND)
        .map(|f| routes::path_of_file(f))
}

/// A `<urlset>` of `count` pages from the `skip`-th on.
fn write_urlset(
    ctx: &OutputContext<'_>,
    skip: usize,
    count: usize,
    w: &mut dyn Write,
) -> io::Result<()> {
    w.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    )?;
    // The last modification of an entity page, found through the slug index rather than
    // a map of every page (which a big site would have to hold in memory).
    let lastmod = |dir: &str| {
        let e = ctx.site.get(ctx.routes.entity_at(dir)?);
        e.common.updated.as_ref().or(e.date()).map(|d| d.rfc3339())
    };
    for dir in listed(ctx).skip(skip).take(count) {
        w.write_all(b"  <url><loc>")?;
        w.write_all(escape_text(&ctx.url(dir)).as_bytes())?;
        w.write_all(b"</loc>")?;
        if let Some(d) = lastmod(dir) {
            w.write_all(b"<lastmod>")?;
            w.write_all(d.as_bytes())?;
            w.write_all(b"</lastmod>")?;
        }
        w.write_all(b"</url>\n")?;
    }
    w.write_all(b"</urlset>\n")?;
    w.flush()
}

/// The `<sitemapindex>` of `parts` sitemaps.
fn write_index(ctx: &OutputContext<'_>, parts: usize, w: &mut dyn Write) -> io::Result<()> {
    w.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    )?;
    for n in 1..=parts {
        let url = ctx.url(&routes::sitemap_part(n));
        writeln!(w, "  <sitemap><loc>{}</loc></sitemap>", escape_text(&url))?;
    }
    w.write_all(b"</sitemapindex>\n")?;
    w.flush()
}

/// `robots.txt`: everyone welcome and the sitemap named, or everyone asked to stay out.
fn write_robots(ctx: &OutputContext<'_>, w: &mut dyn Write) -> io::Result<()> {
    match ctx.plan.robots() {
        Robots::Allow | Robots::Auto => {
            w.write_all(b"User-agent: *\nAllow: /\n")?;
            if ctx.plan.base_url.is_absolute() {
                writeln!(w, "\nSitemap: {}", ctx.url(routes::SITEMAP))?;
            }
        }
        Robots::Disallow => w.write_all(
            b"# This site is not for search engines ([build] robots in briefing.toml).\nUser-agent: *\nDisallow: /\n",
        )?,
    }
    Ok(())
}
