//! CoNLL-U, the Universal Dependencies file format: reading, writing and checking.
//!
//! The reader keeps what the tagger and the parser learn from (the ten columns of every
//! syntactic word, the multiword tokens that tie words to the raw text, the comments that carry
//! `# text` and `# sent_id`) and drops empty nodes (`8.1`), which belong to the enhanced graph
//! only. It checks what a trainer would otherwise trip over later — column count, word order,
//! head range, multiword ranges — and reports it with the file and line.
//! See <https://universaldependencies.org/format.html>.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;

/// One syntactic word: a CoNLL-U line whose id is an integer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    /// `_` when empty, as in the file.
    pub feats: String,
    /// 0 for the root, else the 1-based position of the head in the sentence's words.
    pub head: usize,
    pub deprel: String,
    pub deps: String,
    pub misc: String,
}

/// A multiword token (`3-4  don't`): the surface form of words `first..=last` (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MultiwordToken {
    pub first: usize,
    pub last: usize,
    pub form: String,
    pub misc: String,
}

/// One sentence: its comment lines (without the leading `# `), words and multiword tokens.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sentence {
    pub comments: Vec<String>,
    pub words: Vec<Word>,
    pub multiword_tokens: Vec<MultiwordToken>,
}

impl Sentence {
    /// The raw text (`# text = ...`): what the tokeniser sees and what spans are measured in.
    pub fn text(&self) -> Option<&str> {
        self.meta("text")
    }

    /// The sentence id (`# sent_id = ...`), for error messages and matching gold to system.
    pub fn sent_id(&self) -> Option<&str> {
        self.meta("sent_id")
    }

    /// The value of the first `key = value` comment with this key, trimmed.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.comments.iter().find_map(|comment| {
            let (k, v) = comment.split_once('=')?;
            (k.trim() == key).then(|| v.trim())
        })
    }
}

/// Why a CoNLL-U input was rejected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    #[error("expected 10 tab-separated columns, found {0}")]
    Columns(usize),
    #[error("empty {0} column (CoNLL-U writes `_` for no value)")]
    EmptyField(&'static str),
    #[error("bad id '{0}'")]
    BadId(String),
    #[error("word id {found} out of order: expected {expected}")]
    IdOutOfOrder { expected: usize, found: usize },
    #[error("bad head '{0}': expected a number")]
    BadHead(String),
    #[error("head {head} out of range: the sentence has {words} words")]
    HeadOutOfRange { head: usize, words: usize },
    #[error("bad multiword token range '{range}': {reason}")]
    MultiwordRange { range: String, reason: &'static str },
    #[error("comment line inside a sentence (comments go before its first token)")]
    CommentInsideSentence,
    #[error("I/O error: {0}")]
    Io(#[source] io::Error),
}

/// A CoNLL-U input error with its place: `en_ewt-ud-train.conllu:1234: expected 10 ...`.
///
/// `line` is 1-based; 0 means the input could not be opened at all. An I/O failure keeps its
/// `io::Error` in [`ErrorKind::Io`] (as that kind's `source()`), and its message in the display.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}:{line}: {kind}")]
pub struct ConlluError {
    /// The file path, or the name the caller gave the input.
    pub source_name: String,
    pub line: usize,
    pub kind: ErrorKind,
}

/// Column names, for error messages.
const COLUMNS: [&str; 10] = [
    "ID", "FORM", "LEMMA", "UPOS", "XPOS", "FEATS", "HEAD", "DEPREL", "DEPS", "MISC",
];

/// Reads sentences one at a time, so a training corpus need not be held as text.
///
/// After the first error the iterator ends: the reader's position inside a broken sentence
/// says nothing reliable about where the next one starts.
pub struct Reader<R> {
    input: R,
    source_name: String,
    line_no: usize,
    line: String,
    failed: bool,
}

impl<R: BufRead> Reader<R> {
    /// `source_name` is what errors call the input: a path or any name the caller chooses.
    pub fn new(input: R, source_name: impl Into<String>) -> Self {
        Reader {
            input,
            source_name: source_name.into(),
            line_no: 0,
            line: String::new(),
            failed: false,
        }
    }

    fn error(&self, line: usize, kind: ErrorKind) -> ConlluError {
        ConlluError {
            source_name: self.source_name.clone(),
            line,
            kind,
        }
    }

    /// Reads the next line into `self.line` without its line end; false at the end of input.
    fn read_line(&mut self) -> Result<bool, ConlluError> {
        self.line.clear();
        self.line_no += 1;
        match self.input.read_line(&mut self.line) {
            Ok(0) => Ok(false),
            Ok(_) => {
                let kept = self.line.trim_end_matches(['\n', '\r']).len();
                self.line.truncate(kept);
                if self.line_no == 1 && self.line.starts_with('\u{feff}') {
                    self.line.drain(..'\u{feff}'.len_utf8());
                }
                Ok(true)
            }
            Err(e) => Err(self.error(self.line_no, ErrorKind::Io(e))),
        }
    }

    fn next_sentence(&mut self) -> Result<Option<Sentence>, ConlluError> {
        let mut builder = Builder::default();
        while self.read_line()? {
            if self.line.trim().is_empty() {
                if let Some(sentence) = self.finish(std::mem::take(&mut builder))? {
                    return Ok(Some(sentence));
                }
            } else {
                builder
                    .push_line(&self.line, self.line_no)
                    .map_err(|kind| self.error(self.line_no, kind))?;
            }
        }
        self.finish(builder)
    }

    fn finish(&self, builder: Builder) -> Result<Option<Sentence>, ConlluError> {
        builder
            .finish()
            .map_err(|(line, kind)| self.error(line, kind))
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<Sentence, ConlluError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let item = self.next_sentence().transpose();
        self.failed = matches!(item, Some(Err(_)));
        item
    }
}

/// One sentence being read, with the line of each word and multiword token for late checks.
#[derive(Default)]
struct Builder {
    sentence: Sentence,
    word_lines: Vec<usize>,
    multiword_lines: Vec<usize>,
}

impl Builder {
    fn has_tokens(&self) -> bool {
        !self.sentence.words.is_empty() || !self.sentence.multiword_tokens.is_empty()
    }

    fn push_line(&mut self, line: &str, line_no: usize) -> Result<(), ErrorKind> {
        if let Some(comment) = line.strip_prefix('#') {
            if self.has_tokens() {
                return Err(ErrorKind::CommentInsideSentence);
            }
            let comment = comment.strip_prefix(' ').unwrap_or(comment);
            self.sentence.comments.push(comment.to_string());
            return Ok(());
        }
        let columns = split_columns(line)?;
        let id = columns[0];
        if id.contains('.') {
            return check_empty_node_id(id);
        }
        if id.contains('-') {
            self.push_multiword(&columns)?;
            self.multiword_lines.push(line_no);
        } else {
            self.push_word(&columns)?;
            self.word_lines.push(line_no);
        }
        Ok(())
    }

    fn push_multiword(&mut self, columns: &[&str; 10]) -> Result<(), ErrorKind> {
        let range = columns[0];
        let (first, last) = range
            .split_once('-')
            .and_then(|(a, b)| Some((parse_number(a)?, parse_number(b)?)))
            .ok_or_else(|| ErrorKind::BadId(range.to_string()))?;
        let bad = |reason| ErrorKind::MultiwordRange {
            range: range.to_string(),
            reason,
        };
        if first != self.sentence.words.len() + 1 {
            return Err(bad("it must start at the next word's id"));
        }
        if last <= first {
            return Err(bad("it must cover at least two words"));
        }
        if self
            .sentence
            .multiword_tokens
            .last()
            .is_some_and(|m| m.last >= first)
        {
            return Err(bad("it overlaps the previous multiword token"));
        }
        self.sentence.multiword_tokens.push(MultiwordToken {
            first,
            last,
            form: columns[1].to_string(),
            misc: columns[9].to_string(),
        });
        Ok(())
    }

    fn push_word(&mut self, columns: &[&str; 10]) -> Result<(), ErrorKind> {
        let id = parse_number(columns[0])
            .filter(|&id| id > 0)
            .ok_or_else(|| ErrorKind::BadId(columns[0].to_string()))?;
        let expected = self.sentence.words.len() + 1;
        if id != expected {
            return Err(ErrorKind::IdOutOfOrder {
                expected,
                found: id,
            });
        }
        let head =
            parse_number(columns[6]).ok_or_else(|| ErrorKind::BadHead(columns[6].to_string()))?;
        let [_, form, lemma, upos, xpos, feats, _, deprel, deps, misc] =
            columns.map(str::to_string);
        self.sentence.words.push(Word {
            form,
            lemma,
            upos,
            xpos,
            feats,
            head,
            deprel,
            deps,
            misc,
        });
        Ok(())
    }

    /// Checks what needs the whole sentence; `None` for a block without tokens (comments only).
    fn finish(self) -> Result<Option<Sentence>, (usize, ErrorKind)> {
        let words = self.sentence.words.len();
        for (m, &line) in self
            .sentence
            .multiword_tokens
            .iter()
            .zip(&self.multiword_lines)
        {
            if m.last > words {
                let range = format!("{}-{}", m.first, m.last);
                return Err((
                    line,
                    ErrorKind::MultiwordRange {
                        range,
                        reason: "it goes past the last word",
                    },
                ));
            }
        }
        for (w, &line) in self.sentence.words.iter().zip(&self.word_lines) {
            if w.head > words {
                return Err((
                    line,
                    ErrorKind::HeadOutOfRange {
                        head: w.head,
                        words,
                    },
                ));
            }
        }
        Ok((words > 0).then_some(self.sentence))
    }
}

fn split_columns(line: &str) -> Result<[&str; 10], ErrorKind> {
    let parts: Vec<&str> = line.split('\t').collect();
    let columns: [&str; 10] = parts
        .as_slice()
        .try_into()
        .map_err(|_| ErrorKind::Columns(parts.len()))?;
    match columns.iter().position(|c| c.is_empty()) {
        Some(i) => Err(ErrorKind::EmptyField(COLUMNS[i])),
        None => Ok(columns),
    }
}

/// A plain decimal number: digits only (no sign, no spaces), as CoNLL-U ids and heads are.
fn parse_number(s: &str) -> Option<usize> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Empty nodes are skipped, but only if their id has the `N.M` shape.
fn check_empty_node_id(id: &str) -> Result<(), ErrorKind> {
    match id.split_once('.') {
        Some((a, b)) if parse_number(a).is_some() && parse_number(b).is_some() => Ok(()),
        _ => Err(ErrorKind::BadId(id.to_string())),
    }
}

/// Reads a whole CoNLL-U file.
pub fn read_path(path: &Path) -> Result<Vec<Sentence>, ConlluError> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(|e| ConlluError {
        source_name: name.clone(),
        line: 0,
        kind: ErrorKind::Io(e),
    })?;
    Reader::new(BufReader::new(file), name).collect()
}

/// Parses CoNLL-U text; `source` names it in errors.
pub fn parse_str(text: &str, source: &str) -> Result<Vec<Sentence>, ConlluError> {
    Reader::new(text.as_bytes(), source).collect()
}

/// Writes one sentence: comments, multiword lines before their first word, ten tab-separated
/// columns per word, then a blank line. Empty strings are written as `_`.
///
/// Fails with `InvalidInput`, before writing anything, when the sentence cannot be written as
/// CoNLL-U that reads back the same: no words, a tab or line break inside a field or comment,
/// or multiword tokens not within the words, in order and apart.
pub fn write_sentence(out: &mut impl Write, s: &Sentence) -> io::Result<()> {
    check_writable(s)?;
    let mut text = String::new();
    for comment in &s.comments {
        text.push('#');
        if !comment.is_empty() {
            text.push(' ');
            text.push_str(comment);
        }
        text.push('\n');
    }
    for (i, w) in s.words.iter().enumerate() {
        let id = i + 1;
        for m in s.multiword_tokens.iter().filter(|m| m.first == id) {
            let range = format!("{}-{}", m.first, m.last);
            push_line(
                &mut text,
                [&range, &m.form, "_", "_", "_", "_", "_", "_", "_", &m.misc],
            );
        }
        let (id, head) = (id.to_string(), w.head.to_string());
        push_line(
            &mut text,
            [
                &id, &w.form, &w.lemma, &w.upos, &w.xpos, &w.feats, &head, &w.deprel, &w.deps,
                &w.misc,
            ],
        );
    }
    text.push('\n');
    out.write_all(text.as_bytes())
}

fn push_line(text: &mut String, columns: [&str; 10]) {
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            text.push('\t');
        }
        text.push_str(if column.is_empty() { "_" } else { column });
    }
    text.push('\n');
}

/// Refuses what would not read back as the same sentence.
fn check_writable(s: &Sentence) -> io::Result<()> {
    let invalid = |what: String| io::Error::new(io::ErrorKind::InvalidInput, what);
    if s.words.is_empty() {
        return Err(invalid(
            "a sentence without words reads back as nothing".into(),
        ));
    }
    if let Some(c) = s.comments.iter().find(|c| c.contains(['\n', '\r'])) {
        return Err(invalid(format!("comment {c:?} contains a line break")));
    }
    let breaks_field = |t: &str| t.contains(['\t', '\n', '\r']);
    let word_fields = s.words.iter().flat_map(|w| {
        [
            &w.form, &w.lemma, &w.upos, &w.xpos, &w.feats, &w.deprel, &w.deps, &w.misc,
        ]
    });
    let multiword_fields = s.multiword_tokens.iter().flat_map(|m| [&m.form, &m.misc]);
    if let Some(f) = word_fields
        .chain(multiword_fields)
        .find(|f| breaks_field(f))
    {
        return Err(invalid(format!("field {f:?} contains a tab or line break")));
    }
    check_multiword_ranges(&s.multiword_tokens, s.words.len()).map_err(invalid)
}

/// Multiword tokens must lie within the words, in order, without overlapping.
fn check_multiword_ranges(tokens: &[MultiwordToken], words: usize) -> Result<(), String> {
    let mut next_free = 1;
    for m in tokens {
        if m.first < next_free || m.last <= m.first || m.last > words {
            return Err(format!(
                "multiword token {}-{} is not within the {words} words, in order and apart",
                m.first, m.last
            ));
        }
        next_free = m.last + 1;
    }
    Ok(())
}

/// Checks that a parser's output is a tree: heads in range, exactly one root, no cycles.
pub fn check_tree(s: &Sentence) -> Result<(), String> {
    let n = s.words.len();
    if n == 0 {
        return Err("the sentence has no words".to_string());
    }
    if let Some((i, w)) = s.words.iter().enumerate().find(|(_, w)| w.head > n) {
        return Err(format!(
            "word {} '{}' has head {} but the sentence has {n} words",
            i + 1,
            w.form,
            w.head
        ));
    }
    let roots = s.words.iter().filter(|w| w.head == 0).count();
    if roots != 1 {
        return Err(format!("{roots} words have head 0, expected exactly one"));
    }
    match find_cycle(s) {
        Some(id) => Err(format!(
            "word {id} '{}' is on a cycle",
            s.words[id - 1].form
        )),
        None => Ok(()),
    }
}

/// Follows heads from each word; returns a word id on a cycle, if any. Linear time: each word
/// is walked once, stamped with the walk that reached it. Heads must be in range (checked first).
fn find_cycle(s: &Sentence) -> Option<usize> {
    const UNSEEN: usize = 0;
    let mut stamp = vec![UNSEEN; s.words.len() + 1];
    for start in 1..=s.words.len() {
        let mut id = start;
        while id != 0 && stamp[id] == UNSEEN {
            stamp[id] = start;
            id = s.words[id - 1].head;
        }
        if id != 0 && stamp[id] == start {
            return Some(id);
        }
    }
    None
}

#[cfg(test)]
pub(crate) mod testdata {
    //! Where the shared treebanks are, for tests that read them (and skip when absent).
    use std::path::PathBuf;

    /// The shared folder: `$SITREP_SHARED`, else `shared/` beside the workspace.
    pub fn shared_dir() -> Option<PathBuf> {
        let dir = match std::env::var_os("SITREP_SHARED") {
            Some(dir) => PathBuf::from(dir),
            None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        };
        dir.is_dir().then_some(dir)
    }

    /// Every `.conllu` file under `shared/treebanks`, sorted; `None` (with a note) when absent.
    pub fn treebank_files() -> Option<Vec<PathBuf>> {
        let Some(dir) = shared_dir()
            .map(|d| d.join("treebanks"))
            .filter(|d| d.is_dir())
        else {
            eprintln!("note: shared treebanks not found (set SITREP_SHARED); skipping");
            return None;
        };
        let mut files = Vec::new();
        let mut pending = vec![dir];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).expect("readable treebank folder") {
                let path = entry.expect("readable folder entry").path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|e| e == "conllu") {
                    files.push(path);
                }
            }
        }
        files.sort();
        Some(files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Normalised CoNLL-U (as the writer writes it), with a multiword token, an empty node
    /// (which the reader drops), comments with and without values, and two sentences.
    const SAMPLE: &str = "# newdoc id = doc1\n\
# sent_id = s1\n\
# text = They don't know.\n\
1\tThey\tthey\tPRON\tPRP\tCase=Nom|Number=Plur\t4\tnsubj\t4:nsubj\t_\n\
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
2\tdo\tdo\tAUX\tVBP\tMood=Ind\t4\taux\t4:aux\t_\n\
3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t4:advmod\t_\n\
4\tknow\tknow\tVERB\tVB\tVerbForm=Inf\t0\troot\t0:root\tSpaceAfter=No\n\
4.1\tknow\tknow\tVERB\tVB\t_\t_\t_\t4:conj\t_\n\
5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t4:punct\t_\n\
\n\
# sent_id = s2\n\
# newpar\n\
# text = Yes\n\
1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t0:root\t_\n\
\n";

    fn parse(text: &str) -> Vec<Sentence> {
        parse_str(text, "sample").expect("sample parses")
    }

    fn write_all(sentences: &[Sentence]) -> String {
        let mut out = Vec::new();
        for s in sentences {
            write_sentence(&mut out, s).expect("writable");
        }
        String::from_utf8(out).expect("UTF-8")
    }

    fn without_empty_nodes(text: &str) -> String {
        text.lines()
            .filter(|l| {
                l.starts_with('#') || !l.split('\t').next().is_some_and(|id| id.contains('.'))
            })
            .flat_map(|l| [l, "\n"])
            .collect()
    }

    fn error(text: &str) -> ConlluError {
        parse_str(text, "t.conllu").expect_err("should be rejected")
    }

    #[test]
    fn reads_words_multiword_tokens_and_comments() {
        let s = parse(SAMPLE);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].words.len(), 5, "the empty node 4.1 is skipped");
        assert_eq!(
            s[0].multiword_tokens,
            vec![MultiwordToken {
                first: 2,
                last: 3,
                form: "don't".into(),
                misc: "_".into()
            }]
        );
        assert_eq!(s[0].words[2].feats, "_");
        assert_eq!(s[0].words[3].head, 0);
        assert_eq!(s[0].text(), Some("They don't know."));
        assert_eq!(s[0].sent_id(), Some("s1"));
        assert_eq!(s[0].meta("newdoc id"), Some("doc1"));
        assert_eq!(s[1].comments, vec!["sent_id = s2", "newpar", "text = Yes"]);
        assert_eq!(s[1].meta("newpar"), None);
    }

    #[test]
    fn round_trips() {
        let first = parse(SAMPLE);
        let written = write_all(&first);
        assert_eq!(written, without_empty_nodes(SAMPLE));
        assert_eq!(parse(&written), first);
    }

    #[test]
    fn tolerates_crlf_blank_runs_missing_final_blank_and_comment_only_blocks() {
        let messy = format!(
            "# orphan comment\n\n\n{}",
            SAMPLE.replace("\n\n", "\n\n\n\n").replace('\n', "\r\n")
        );
        let messy = messy.trim_end();
        assert_eq!(parse(messy), parse(SAMPLE));
        assert_eq!(
            parse("\u{feff}1\ta\ta\tX\tX\t_\t0\troot\t_\t_"),
            parse("1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n")
        );
        assert!(parse("").is_empty());
        assert!(parse("# only a comment\n").is_empty());
    }

    #[test]
    fn errors_carry_source_and_line() {
        let e = error("# c\n1\ta\ta\tX\tX\t_\t0\troot\t_\n");
        assert_eq!(
            e.to_string(),
            "t.conllu:2: expected 10 tab-separated columns, found 9"
        );
        assert!(matches!(e.kind, ErrorKind::Columns(9)));

        let two = "1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n\n";
        let e = error(&format!(
            "{two}1\tb\tb\tX\tX\t_\t0\troot\t_\t_\n3\tc\tc\tX\tX\t_\t1\tdep\t_\t_\n"
        ));
        assert_eq!(
            (e.line, e.to_string()),
            (4, "t.conllu:4: word id 3 out of order: expected 2".into())
        );

        let e = error(&format!(
            "{two}1\tb\tb\tX\tX\t_\t0\troot\t_\t_\n2\tc\tc\tX\tX\t_\t7\tdep\t_\t_\n\n"
        ));
        assert_eq!(
            e.to_string(),
            "t.conllu:4: head 7 out of range: the sentence has 2 words"
        );
    }

    #[test]
    fn rejects_malformed_lines() {
        let word = |id: &str, head: &str| format!("{id}\tw\tw\tX\tX\t_\t{head}\tdep\t_\t_\n");
        let mwt = |range: &str| format!("{range}\tww\t_\t_\t_\t_\t_\t_\t_\t_\n");
        let kind = |text: String| error(&text).kind;
        assert!(matches!(kind(word("x", "0")), ErrorKind::BadId(id) if id == "x"));
        assert!(matches!(kind(word("0", "0")), ErrorKind::BadId(_)));
        assert!(matches!(kind(word("+1", "0")), ErrorKind::BadId(_)));
        assert!(matches!(kind(word("1.x", "0")), ErrorKind::BadId(_)));
        assert!(matches!(kind(word("1", "_")), ErrorKind::BadHead(_)));
        assert!(matches!(kind(word("1", "-1")), ErrorKind::BadHead(_)));
        assert!(matches!(
            kind("1\t\tw\tX\tX\t_\t0\troot\t_\t_\n".into()),
            ErrorKind::EmptyField("FORM")
        ));
        assert!(matches!(
            kind(mwt("2-3") + &word("1", "0")),
            ErrorKind::MultiwordRange { .. }
        ));
        assert!(matches!(
            kind(mwt("1-1") + &word("1", "0")),
            ErrorKind::MultiwordRange { .. }
        ));
        assert!(matches!(kind(mwt("1-a")), ErrorKind::BadId(_)));
        let past_end = mwt("1-3") + &word("1", "0") + &word("2", "1");
        let e = error(&past_end);
        assert_eq!(e.line, 1);
        assert!(matches!(e.kind, ErrorKind::MultiwordRange { .. }));
        let overlap = mwt("1-2") + &word("1", "0") + &mwt("2-3");
        assert!(matches!(kind(overlap), ErrorKind::MultiwordRange { .. }));
        assert!(matches!(
            kind(word("1", "0") + "# late\n"),
            ErrorKind::CommentInsideSentence
        ));
    }

    #[test]
    fn reports_io_errors_and_stops_after_an_error() {
        let mut bytes = b"1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n\n".to_vec();
        bytes.extend_from_slice(
            b"1\t\xff\ta\tX\tX\t_\t0\troot\t_\t_\n\n1\tb\tb\tX\tX\t_\t0\troot\t_\t_\n",
        );
        let mut reader = Reader::new(bytes.as_slice(), "bin");
        assert!(reader.next().is_some_and(|r| r.is_ok()));
        let e = reader
            .next()
            .and_then(Result::err)
            .expect("invalid UTF-8 is an I/O error");
        assert_eq!(e.line, 3);
        assert!(matches!(e.kind, ErrorKind::Io(_)));
        assert!(std::error::Error::source(&e.kind).is_some());
        assert!(reader.next().is_none());

        let e = read_path(Path::new("/nonexistent/x.conllu")).expect_err("missing file");
        assert!(
            e.to_string()
                .starts_with("/nonexistent/x.conllu:0: I/O error"),
            "{e}"
        );
    }

    #[test]
    fn writes_empty_strings_as_underscore_and_refuses_unwritable_sentences() {
        let s = Sentence {
            comments: vec![String::new()],
            words: vec![Word {
                form: "hi".into(),
                ..Word::default()
            }],
            multiword_tokens: vec![],
        };
        assert_eq!(
            write_all(std::slice::from_ref(&s)),
            "#\n1\thi\t_\t_\t_\t_\t0\t_\t_\t_\n\n"
        );

        let mut out = Vec::new();
        let mut tab = s.clone();
        tab.words[0].lemma = "a\tb".into();
        assert!(write_sentence(&mut out, &tab).is_err());
        let mut mwt = s.clone();
        mwt.multiword_tokens.push(MultiwordToken {
            first: 1,
            last: 2,
            form: "x".into(),
            misc: String::new(),
        });
        assert!(write_sentence(&mut out, &mwt).is_err());
        let mut overlap = s.clone();
        overlap.words.extend([Word::default(), Word::default()]);
        for first in [1, 2] {
            overlap.multiword_tokens.push(MultiwordToken {
                first,
                last: first + 1,
                ..MultiwordToken::default()
            });
        }
        assert!(write_sentence(&mut out, &overlap).is_err());
        assert!(write_sentence(&mut out, &Sentence::default()).is_err());
        assert!(out.is_empty(), "nothing is written for a refused sentence");
    }

    fn tree(heads: &[usize]) -> Sentence {
        let words = heads
            .iter()
            .map(|&head| Word {
                form: "w".into(),
                head,
                ..Word::default()
            })
            .collect();
        Sentence {
            words,
            ..Sentence::default()
        }
    }

    #[test]
    fn checks_trees() {
        assert_eq!(check_tree(&tree(&[2, 0, 2])), Ok(()));
        assert_eq!(check_tree(&tree(&[0])), Ok(()));
        assert!(check_tree(&tree(&[])).is_err());
        assert!(check_tree(&tree(&[0, 0]))
            .unwrap_err()
            .contains("2 words have head 0"));
        assert!(check_tree(&tree(&[2, 1])).unwrap_err().contains("0 words"));
        assert!(check_tree(&tree(&[0, 3, 2])).unwrap_err().contains("cycle"));
        assert!(
            check_tree(&tree(&[0, 2])).unwrap_err().contains("cycle"),
            "a self-loop is a cycle"
        );
        assert!(check_tree(&tree(&[0, 9])).unwrap_err().contains("head 9"));
    }

    /// Sentence and word counts of the shared treebanks, as SOURCES.md gives them ("tokens"
    /// there are syntactic words: the integer-id lines, without multiword or empty-node lines).
    const EXPECTED: [(&str, usize, usize); 6] = [
        ("en_ewt-ud-train.conllu", 12_544, 204_577),
        ("en_ewt-ud-dev.conllu", 2_001, 25_147),
        ("en_ewt-ud-test.conllu", 2_077, 25_094),
        ("en_gum-ccby-ud-train.conllu", 6_636, 110_928),
        ("en_gum-ccby-ud-dev.conllu", 873, 14_411),
        ("en_gum-ccby-ud-test.conllu", 775, 14_282),
    ];

    #[test]
    fn reads_every_shared_treebank_with_the_documented_counts() {
        let Some(files) = testdata::treebank_files() else {
            return;
        };
        let mut seen = 0;
        for path in &files {
            let sentences = read_path(path).unwrap_or_else(|e| panic!("{e}"));
            let words: usize = sentences.iter().map(|s| s.words.len()).sum();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if let Some(&(_, want_sentences, want_words)) =
                EXPECTED.iter().find(|(n, ..)| *n == name)
            {
                assert_eq!(
                    (sentences.len(), words),
                    (want_sentences, want_words),
                    "{name}"
                );
                seen += 1;
            }
        }
        assert_eq!(seen, EXPECTED.len(), "every documented file is there");
    }

    #[test]
    fn writes_a_shared_treebank_back_byte_for_byte() {
        let Some(files) = testdata::treebank_files() else {
            return;
        };
        let path = files
            .iter()
            .find(|p| p.ends_with("en_ewt-ud-dev.conllu"))
            .expect("EWT dev");
        let original = std::fs::read_to_string(path).expect("readable");
        let sentences = read_path(path).unwrap_or_else(|e| panic!("{e}"));
        let written = write_all(&sentences);
        let expected = without_empty_nodes(&original).trim_end().to_string() + "\n\n";
        assert_eq!(written, expected);
        assert_eq!(parse(&written), sentences);
    }
}
