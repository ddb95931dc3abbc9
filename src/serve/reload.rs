//! Live reload and the error overlay: the script served pages load, and how it is added.
//!
//! The hook is one `<script>` element pointing at the server ([`SCRIPT`]), added to HTML
//! as it is sent, never written into a build. The script listens on Server-Sent Events
//! ([`EVENTS`]); it reloads the page (keeping the scroll position) after a build that
//! changed the site, swaps the stylesheets in place (no reload) after one that changed
//! stylesheets only, and after a failed one shows an overlay with every diagnostic: `role=alert`,
//! dismissable with its button or Escape, all text set as text (never as HTML). Because the
//! event stream stays open through failures, reload works again as soon as the error is
//! fixed; `EventSource` reconnects by itself after the server restarts, and a new server
//! (or a build missed meanwhile) reloads the page. The site itself needs no script.

/// Where the server's own URLs start; no site path can (`_`-prefixed names are not
/// generated).
pub const PREFIX: &str = "/__briefing/";

/// The event stream.
pub const EVENTS: &str = "/__briefing/events";

/// The reload script.
pub const SCRIPT: &str = "/__briefing/reload.js";

/// The element added to served HTML.
pub const HOOK: &str = "<script src=\"/__briefing/reload.js\"></script>";

/// `html` with [`HOOK`] before its last `</body>` (or at its end without one).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + HOOK.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(HOOK.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The script, self-contained (no CDN, no framework).
pub const JS: &str = include_str!("reload.js");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hook_goes_before_the_last_body_end() {
        let out = inject(b"<html><body><p>a</body></html>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("<html><body><p>a{HOOK}</body></html>")
        );
        assert_eq!(inject(b"<p>x"), format!("<p>x{HOOK}").into_bytes());
    }
}
