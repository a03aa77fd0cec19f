//! The officer's web page, the third front end: `palim serve` answers a
//! browser at `/`.
//!
//! The page is one HTML file, one script and one style sheet, embedded in the
//! binary (nothing to build, no Node toolchain, no request beyond the server).
//! It computes nothing: every number it shows is what the `/v1` JSON API
//! returns, the same API other tools use. What the server adds here is only
//! the page's words: the `ui-*`, `status-*`, `proof-*` and `reason-*` messages
//! of the Fluent catalogues, in all three languages, so that the language
//! switch works without a reload and without losing the officer's work.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::lang::Lang;

const PAGE: &str = include_str!("page.html");
const SCRIPT: &str = include_str!("palim.js");
const STYLE: &str = include_str!("palim.css");
/// The English catalogue, read for the ids of the page's messages.
const CATALOGUE: &str = include_str!("../../../locales/en/palim.ftl");

/// The message families the page shows.
const PREFIXES: [&str; 4] = ["ui-", "status-", "proof-", "reason-"];

/// A file the page loads: its media type and bytes.
pub struct Asset {
    pub media_type: &'static str,
    pub body: &'static str,
}

/// The page's script and style sheet by the name they are linked under.
pub fn asset(name: &str) -> Option<Asset> {
    match name {
        "palim.js" => Some(Asset {
            media_type: "text/javascript; charset=utf-8",
            body: SCRIPT,
        }),
        "palim.css" => Some(Asset {
            media_type: "text/css; charset=utf-8",
            body: STYLE,
        }),
        _ => None,
    }
}

/// The policy the page is served with: nothing but this server, no inline
/// script, so that a name in a scenario can never run as code and the page
/// works offline.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data: blob:; connect-src 'self'; form-action 'none'; base-uri 'none'; \
     frame-ancestors 'none'";

/// The page, opening in `lang`, with the words of every language. It is
/// the same for every request, so it is made once per language and kept.
pub fn page(lang: Lang) -> &'static str {
    static PAGES: OnceLock<Vec<String>> = OnceLock::new();
    let pages = PAGES.get_or_init(|| {
        let messages = serde_json::to_string(&messages())
            .unwrap_or_else(|_| "{}".into())
            // Inside a <script> element, `</` would end it.
            .replace("</", "<\\/");
        Lang::ALL
            .iter()
            .map(|l| {
                PAGE.replace("{{lang}}", l.code())
                    .replace("{{title}}", &escape(&l.text("ui-title")))
                    .replace("{{version}}", env!("CARGO_PKG_VERSION"))
                    .replace("{{messages}}", &messages)
            })
            .collect()
    });
    let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    &pages[i]
}

/// The ids of the page's messages, in catalogue order.
pub fn message_ids() -> Vec<&'static str> {
    CATALOGUE
        .lines()
        .filter_map(|line| line.split_once(" ="))
        .map(|(id, _)| id.trim())
        .filter(|id| PREFIXES.iter().any(|p| id.starts_with(p)))
        .collect()
}

/// `{ "en": { id: text }, "nl": …, "fr": … }`. Messages with arguments are
/// given with `{name}` where the argument goes; the script fills it in.
fn messages() -> Value {
    let ids = message_ids();
    let mut all = Map::new();
    for lang in Lang::ALL {
        let words: Map<String, Value> = ids
            .iter()
            .map(|id| (id.to_string(), Value::String(text(lang, id))))
            .collect();
        all.insert(lang.code().to_string(), Value::Object(words));
    }
    Value::Object(all)
}

/// A message with `{name}` for each of its arguments.
fn text(lang: Lang, id: &str) -> String {
    const ARGS: [&str; 7] = ["n", "k", "total", "name", "what", "from", "to"];
    let placeholders: Vec<(String, String)> = ARGS
        .iter()
        .map(|a| (a.to_string(), format!("{{{a}}}")))
        .collect();
    let args: Vec<crate::lang::Arg> = placeholders
        .iter()
        .map(|(k, v)| crate::lang::arg(k, v.as_str()))
        .collect();
    lang.text_with(id, &args)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_carries_every_message_of_every_language_and_no_placeholder() {
        let html = page(Lang::Nl);
        assert!(html.contains("<html lang=\"nl\""));
        assert!(!html.contains("{{"), "a placeholder is left in the page");
        let ids = message_ids();
        assert!(ids.len() > 50, "only {} messages", ids.len());
        let m = messages();
        for lang in Lang::ALL {
            for id in &ids {
                let t = m[lang.code()][*id].as_str().unwrap();
                assert_ne!(t, *id, "{id} has no text in {}", lang.code());
            }
        }
    }

    #[test]
    fn every_message_the_page_names_is_in_the_catalogue() {
        let ids = message_ids();
        let in_page = PAGE.split("data-t=\"").skip(1);
        // In the script, every quoted `'ui-…'`; one ending in `-` is a family
        // (`'ui-person-' + change`), whose members are checked below.
        let in_script = SCRIPT.split("'ui-").skip(1);
        let named = in_page
            .map(|rest| rest.split('"').next().unwrap_or("").to_string())
            .chain(in_script.map(|rest| format!("ui-{}", rest.split('\'').next().unwrap_or(""))));
        for id in named {
            let id = id.as_str();
            if let Some(family) = id.strip_suffix('-') {
                assert!(
                    ids.iter()
                        .any(|i| i.starts_with(family) && i.len() > id.len()),
                    "the page names the family {id:?}, which has no message"
                );
            } else {
                assert!(
                    ids.contains(&id),
                    "the page names {id:?}, which no catalogue has"
                );
            }
        }
        for change in [
            "moved",
            "newly_matched",
            "newly_unmatched",
            "start_changed",
            "added",
            "removed",
        ] {
            assert!(
                ids.contains(&format!("ui-person-{change}").as_str()),
                "{change}"
            );
        }
        for priority in ["placements", "score"] {
            assert!(
                ids.contains(&format!("ui-priority-{priority}").as_str()),
                "{priority}"
            );
        }
    }
}
