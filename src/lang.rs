//! The officer's language: every sentence a person reads in a workbook, a
//! report or a table header comes from a Fluent catalogue (`locales/LANG/palim.ftl`),
//! so a translator works in one plain-text file per language and never in Rust.
//!
//! Reason codes, JSON field names and ids never change with the language; only
//! what people read does. English is the default and the fallback, and a test
//! holds the three catalogues to the same set of messages.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{static_loader, Loader};
use unic_langid::LanguageIdentifier;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Bidirectional isolation marks around arguments would end up inside
        // spreadsheet cells and file names; palim's languages are all left to right.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language palim speaks.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Hash, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Dutch as spoken at VDAB.
    Nl,
    /// French as at Enabel and ANAPEC.
    Fr,
}

/// An argument of a message: a text or a number, formatted by the language.
pub type Arg<'a> = (&'a str, FluentValue<'a>);

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Nl, Lang::Fr];

    /// The BCP 47 tag: `en`, `nl`, `fr`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
            Lang::Fr => "fr",
        }
    }

    /// The language of a tag such as `nl-BE` or `FR`; `None` for others.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The best of palim's languages for an HTTP `Accept-Language` header
    /// (RFC 9110 §12.5.4): the highest `q` wins, ties go to the first listed,
    /// and English when nothing listed is spoken here.
    pub fn negotiate(header: &str) -> Lang {
        let mut best: Option<(f64, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::parse) else {
                continue;
            };
            // A weight that is not a number in [0, 1] makes the entry unusable.
            let q = match pieces.find_map(|p| p.trim().strip_prefix("q=")) {
                None => 1.0,
                Some(q) => match q.trim().parse::<f64>() {
                    Ok(q) if (0.0..=1.0).contains(&q) => q,
                    _ => continue,
                },
            };
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::En, |(_, l)| l)
    }

    fn id(self) -> LanguageIdentifier {
        self.code().parse().unwrap_or_default()
    }

    /// The message `key` in this language (English when this catalogue lacks
    /// it, which a test forbids; the key itself when no catalogue has it).
    pub fn text(self, key: &str) -> String {
        LOCALES
            .try_lookup(&self.id(), key)
            .unwrap_or_else(|| key.to_string())
    }

    /// The message `key` with its arguments.
    pub fn text_with(self, key: &str, args: &[Arg]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Owned((*k).to_string()), v.clone()))
            .collect();
        LOCALES
            .try_lookup_with_args(&self.id(), key, &map)
            .unwrap_or_else(|| key.to_string())
    }

    /// The message `key` in this language, if the catalogue has it.
    pub fn lookup(self, key: &str) -> Option<String> {
        LOCALES.try_lookup(&self.id(), key)
    }

    /// A number for people: `0.25` in English, `0,25` in Dutch and French.
    pub fn decimal(self, x: f64, places: usize) -> String {
        let s = format!("{x:.places$}");
        match self {
            Lang::En => s,
            Lang::Nl | Lang::Fr => s.replace('.', ","),
        }
    }
}

/// A text argument.
pub fn arg<'a>(name: &'a str, value: impl Into<FluentValue<'a>>) -> Arg<'a> {
    (name, value.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_highest_quality_spoken_here() {
        assert_eq!(Lang::negotiate("nl-BE,nl;q=0.9,en;q=0.8"), Lang::Nl);
        assert_eq!(Lang::negotiate("de-DE, fr;q=0.5, en;q=0.4"), Lang::Fr);
        assert_eq!(Lang::negotiate("de, es"), Lang::En);
        assert_eq!(Lang::negotiate("fr;q=0, nl;q=0.1"), Lang::Nl);
        assert_eq!(Lang::negotiate(""), Lang::En);
        assert_eq!(Lang::negotiate("en;q=NaN, fr"), Lang::Fr);
    }

    #[test]
    fn messages_take_arguments_without_isolation_marks() {
        let args = [arg("count", 3), arg("trainees", 120), arg("positions", 137)];
        let s = Lang::Nl.text_with("placed-count", &args);
        assert_eq!(
            s,
            "3 van 120 kandidaten geplaatst (137 plaatsen aangeboden)"
        );
        assert!(s.contains('3') && !s.contains('\u{2068}'), "{s}");
    }
}
