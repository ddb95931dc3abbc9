//! [`BaseUrl`]: where the site is published, checked once.

use std::fmt;

use super::Config;

/// Where the site is published: an absolute http(s) URL (`https://example.org/b/`) or a
/// path (`/b/`), with exactly one trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Check a base URL and give it exactly one trailing slash; `Err` says why it is not one.
    pub fn parse(url: &str) -> Result<BaseUrl, String> {
        let url = url.trim();
        let ok_scheme = url.starts_with("https://") || url.starts_with("http://");
        if !(ok_scheme || url.starts_with('/')) {
            return Err(format!(
                "`{url}` is neither an http(s) URL nor a path starting with `/`"
            ));
        }
        if ok_scheme
            && url
                .split_once("://")
                .is_none_or(|(_, h)| h.is_empty() || h.starts_with('/'))
        {
            return Err(format!("`{url}` has no host"));
        }
        if url.contains(['?', '#', '"', '<', '>', ' ', '\'', '\\']) {
            return Err(format!(
                "`{url}` contains characters a base URL may not have"
            ));
        }
        Ok(BaseUrl(format!("{}/", url.trim_end_matches('/'))))
    }

    /// Whether it names a host: feeds and sitemaps need absolute URLs, which a path such
    /// as `/` cannot give.
    pub fn is_absolute(&self) -> bool {
        self.0.starts_with("https://") || self.0.starts_with("http://")
    }

    /// The URL of a site-relative path (`incidents/x/` -> `https://example.org/incidents/x/`).
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }

    /// The base URL of settings read by [`Config::parse`], which checked and normalised it.
    pub(crate) fn from_config(config: &Config) -> BaseUrl {
        BaseUrl(config.base_url.clone())
    }

    /// The URL as text, ending with `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for BaseUrl {
    fn default() -> Self {
        BaseUrl("/".to_string())
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_gets_one_trailing_slash() {
        let parse = |u: &str| BaseUrl::parse(u).map(|b| b.as_str().to_string());
        assert_eq!(parse("https://ex.org/b").unwrap(), "https://ex.org/b/");
        assert_eq!(parse("https://ex.org/b//").unwrap(), "https://ex.org/b/");
        assert_eq!(parse("/").unwrap(), "/");
        assert!(parse("javascript:alert(1)").is_err());
        assert!(parse("https://").is_err());
    }

    #[test]
    fn base_url_joins_site_paths() {
        let abs = BaseUrl::parse("https://ex.org/b").unwrap();
        assert!(abs.is_absolute());
        assert_eq!(abs.join("incidents/x/"), "https://ex.org/b/incidents/x/");
        let path = BaseUrl::parse("/sub").unwrap();
        assert!(!path.is_absolute());
        assert_eq!(path.join(""), "/sub/");
    }
}
