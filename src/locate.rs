//! Finding the place in the input text that a JSON path points at.
//!
//! `serde_json::Value` forgets where values came from, but an officer fixing a
//! 3,000-line scenario needs a line and column. Errors are rare, so rather than
//! keep a span for every value we walk the raw text along the one path asked for,
//! skipping everything else; the text has already been parsed successfully, so
//! the walk only has to be right on valid JSON.

use std::fmt;

/// One step of a path into a JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path into a JSON document, e.g. `trainees[3].skills.jav`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonPath(pub Vec<Seg>);

impl JsonPath {
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }
    pub fn key(&self, k: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
    /// RFC 6901 JSON pointer, for tools: `/trainees/3/skills/jav`.
    pub fn pointer(&self) -> String {
        let mut s = String::new();
        for seg in &self.0 {
            s.push('/');
            match seg {
                Seg::Key(k) => s.push_str(&k.replace('~', "~0").replace('/', "~1")),
                Seg::Index(i) => s.push_str(&i.to_string()),
            }
        }
        s
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return write!(f, "(the whole document)");
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k)
                    if k.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-') =>
                {
                    write!(f, ".{k}")?
                }
                Seg::Key(k) => write!(f, "[{k:?}]")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// Byte range of the value at `path` in `text`; when the path goes deeper than
/// the document (a missing field), the range of the deepest value that exists.
pub fn locate(text: &str, path: &JsonPath) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut pos = skip_ws(b, 0);
    for seg in &path.0 {
        let start = pos;
        let found = match (b.get(pos), seg) {
            (Some(b'{'), Seg::Key(k)) => find_key(b, pos, k),
            (Some(b'['), Seg::Index(i)) => find_index(b, pos, *i),
            _ => None,
        };
        match found {
            Some(p) => pos = p,
            None => return Some((start, value_end(b, start).unwrap_or(start + 1) - start)),
        }
    }
    let end = value_end(b, pos)?;
    Some((pos, end - pos))
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before, |nl| &before[nl + 1..])
        .chars()
        .count()
        + 1;
    (line, col)
}

fn skip_ws(b: &[u8], mut pos: usize) -> usize {
    while pos < b.len() && matches!(b[pos], b' ' | b'\t' | b'\n' | b'\r') {
        pos += 1;
    }
    pos
}

/// Position just after the value starting at `pos`.
fn value_end(b: &[u8], pos: usize) -> Option<usize> {
    match *b.get(pos)? {
        b'"' => string_end(b, pos),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut p = pos;
            while p < b.len() {
                match b[p] {
                    b'"' => {
                        p = string_end(b, p)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(p + 1);
                        }
                    }
                    _ => {}
                }
                p += 1;
            }
            None
        }
        _ => {
            let mut p = pos;
            while p < b.len() && !matches!(b[p], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                p += 1;
            }
            Some(p)
        }
    }
}

fn string_end(b: &[u8], pos: usize) -> Option<usize> {
    let mut p = pos + 1;
    while p < b.len() {
        match b[p] {
            b'\\' => p += 2,
            b'"' => return Some(p + 1),
            _ => p += 1,
        }
    }
    None
}

fn find_key(b: &[u8], obj: usize, key: &str) -> Option<usize> {
    let mut p = skip_ws(b, obj + 1);
    while p < b.len() && b[p] == b'"' {
        let kend = string_end(b, p)?;
        let raw = std::str::from_utf8(&b[p..kend]).ok()?;
        let name: String = serde_json::from_str(raw).ok()?;
        p = skip_ws(b, kend);
        if b.get(p) != Some(&b':') {
            return None;
        }
        p = skip_ws(b, p + 1);
        if name == key {
            return Some(p);
        }
        p = skip_ws(b, value_end(b, p)?);
        if b.get(p) == Some(&b',') {
            p = skip_ws(b, p + 1);
        }
    }
    None
}

fn find_index(b: &[u8], arr: usize, index: usize) -> Option<usize> {
    let mut p = skip_ws(b, arr + 1);
    let mut i = 0;
    while p < b.len() && b[p] != b']' {
        if i == index {
            return Some(p);
        }
        p = skip_ws(b, value_end(b, p)?);
        if b.get(p) == Some(&b',') {
            p = skip_ws(b, p + 1);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "{\n  \"a\": [1, {\"b\": \"x\\\"y\"}],\n  \"c\": {\"d\": true}\n}";

    #[test]
    fn finds_nested_values_with_line_and_column() {
        let p = JsonPath::root().key("a").index(1).key("b");
        let (off, len) = locate(DOC, &p).unwrap();
        assert_eq!(&DOC[off..off + len], "\"x\\\"y\"");
        assert_eq!(line_col(DOC, off), (2, 18));
        let p = JsonPath::root().key("c").key("d");
        let (off, len) = locate(DOC, &p).unwrap();
        assert_eq!(&DOC[off..off + len], "true");
    }

    #[test]
    fn a_missing_key_points_at_its_parent() {
        let p = JsonPath::root().key("c").key("zzz");
        let (off, _) = locate(DOC, &p).unwrap();
        assert_eq!(&DOC[off..off + 1], "{");
        assert_eq!(line_col(DOC, off), (3, 8));
    }

    #[test]
    fn paths_print_for_people_and_for_tools() {
        let p = JsonPath::root()
            .key("trainees")
            .index(3)
            .key("skills")
            .key("jav");
        assert_eq!(p.to_string(), "trainees[3].skills.jav");
        assert_eq!(p.pointer(), "/trainees/3/skills/jav");
    }
}
