//! Tokens, sentences and quotations over an article's normalised text, as byte spans.
//!
//! News prose defeats generic splitters: ranks and titles ("Maj. Gen. Oleg Yegorov"),
//! initials and initialisms ("U.S.", "J. Smith"), curly and straight quotes, quotations that
//! run over several paragraphs, apostrophes inside Arabic names ("Ma'arrat", "Hay’at"),
//! numbers with separators. Every later layer (mentions, statements, events) is built on the
//! spans this crate produces; none of them looks at raw characters again.

use sitrep_core::Span;
use std::collections::HashSet;

/// The abbreviations after which a full stop does not end a sentence.
#[derive(Debug, Clone)]
pub struct Abbreviations(HashSet<String>);

impl Abbreviations {
    /// sitrep's own list's text, `data/abbreviations.txt`.
    pub const BUILTIN_TEXT: &'static str = include_str!("../../../data/abbreviations.txt");

    /// sitrep's own list, `data/abbreviations.txt`.
    pub fn builtin() -> Self {
        Self::parse(Self::BUILTIN_TEXT)
    }

    /// One abbreviation per line, without its final stop; `#` starts a comment.
    pub fn parse(text: &str) -> Self {
        Abbreviations(
            text.lines()
                .map(|l| l.split('#').next().unwrap_or_default().trim())
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
        )
    }

    fn contains(&self, word: &str) -> bool {
        self.0.contains(word)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters and digits, with inner hyphens and apostrophes ("al-Sham", "Yegorov’s") and
    /// the stops of initialisms ("U.S.").
    Word,
    /// Digits with inner separators: "1,200", "3.5", "2023".
    Number,
    OpenQuote,
    CloseQuote,
    /// A dash standing between words: "–", "—", or a spaced "-".
    Dash,
    Punct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
}

/// A quotation: `span` includes the quotation marks, `inner` is what was quoted. A quotation
/// continued over paragraphs (each new paragraph reopening the quote) is one quotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote {
    pub span: Span,
    pub inner: Span,
    /// Curly or straight double quotes (speech), as opposed to single quotes (often scare quotes).
    pub double: bool,
}

/// The layer this crate adds to a text.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Span>,
    pub quotes: Vec<Quote>,
    /// The sentences that are a wire dateline and nothing else ("MOSCOW (Meridian) —"): where
    /// and through whom a story was filed, no statement of its own.
    pub datelines: Vec<Span>,
}

impl Layout {
    /// Tokens inside a span.
    pub fn tokens_in(&self, span: Span) -> &[Token] {
        let start = self.tokens.partition_point(|t| t.span.start < span.start);
        let end = self.tokens.partition_point(|t| t.span.start < span.end);
        &self.tokens[start..end]
    }

    /// The index of the sentence containing a byte offset.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.end <= offset);
        (i < self.sentences.len() && self.sentences[i].start <= offset).then_some(i)
    }
}

/// Tokenises a normalised text and finds its sentences and quotations.
pub fn analyse(text: &str, abbreviations: &Abbreviations) -> Layout {
    let tokens = tokenise(text);
    let (sentences, datelines) = sentences(text, &tokens, abbreviations);
    let quotes = quotations(text, &tokens);
    Layout {
        tokens,
        sentences,
        quotes,
        datelines,
    }
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '‒' | '―' | '‐' | '‑')
}

fn tokenise(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |(o, _)| *o);
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let mut j = i + 1;
            loop {
                match (chars.get(j).map(|x| x.1), chars.get(j + 1).map(|x| x.1)) {
                    (Some(a), _) if a.is_alphanumeric() => j += 1,
                    (Some(joiner), Some(next))
                        if next.is_alphanumeric() && joins(joiner, &chars[i..j], next) =>
                    {
                        j += 2
                    }
                    _ => break,
                }
            }
            let word = &text[start..end_of(j)];
            // "U.S." and "U.N.": an initialism keeps its final stop.
            if chars.get(j).is_some_and(|x| x.1 == '.') && is_initialism(word) {
                j += 1;
            }
            let word = &text[start..end_of(j)];
            let kind = if word
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
            {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            tokens.push(Token {
                span: Span {
                    start,
                    end: end_of(j),
                },
                kind,
            });
            i = j;
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(i + 1).map(|n| n.1);
        // A quotation glued to the sentence before it ("said Thomas.'We have …") opens too.
        let glued = prev.is_some_and(|p| matches!(p, '.' | '!' | '?' | ',' | ';' | ':'))
            && next.is_some_and(char::is_uppercase);
        let opens = glued
            || prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | '—' | '–' | '-'));
        let kind = match c {
            '“' | '«' | '„' => TokenKind::OpenQuote,
            '”' | '»' => TokenKind::CloseQuote,
            '"' | '\'' | '‘' | '’' if opens => TokenKind::OpenQuote,
            '"' | '\'' | '‘' | '’' => TokenKind::CloseQuote,
            c if is_dash(c) => TokenKind::Dash,
            _ => TokenKind::Punct,
        };
        tokens.push(Token {
            span: Span {
                start,
                end: end_of(i + 1),
            },
            kind,
        });
        i += 1;
    }
    tokens
}

/// Whether `joiner` between `word` so far and `next` keeps one token: hyphens and apostrophes
/// inside words, stops and commas inside numbers, stops inside initialisms.
fn joins(joiner: char, word: &[(usize, char)], next: char) -> bool {
    let all_digits = word
        .iter()
        .all(|(_, c)| c.is_ascii_digit() || *c == ',' || *c == '.');
    match joiner {
        '-' | '‐' | '‑' | '\'' | '’' => true,
        '.' | ',' if all_digits => next.is_ascii_digit(),
        '.' => word.len() == 1 || word.iter().rev().nth(1).is_some_and(|(_, c)| *c == '.'),
        _ => false,
    }
}

/// "U.S", "U.N", "e.g" (single letters joined by stops).
fn is_initialism(word: &str) -> bool {
    let parts: Vec<&str> = word.split('.').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
}

/// The text's sentences, and of them the datelines.
fn sentences(
    text: &str,
    tokens: &[Token],
    abbreviations: &Abbreviations,
) -> (Vec<Span>, Vec<Span>) {
    let mut out = Vec::new();
    let mut datelines = Vec::new();
    let mut start: Option<usize> = None;
    let mut first_token = 0;
    for (i, t) in tokens.iter().enumerate() {
        if start.is_none() {
            first_token = i;
        }
        let sentence_start = *start.get_or_insert(t.span.start);
        let next = tokens.get(i + 1);
        let paragraph_ends = next.is_none_or(|n| text[t.span.end..n.span.start].contains("\n\n"));
        let dateline = ends_dateline(text, &tokens[first_token..=i], next);
        if paragraph_ends || ends_sentence(text, tokens, i, abbreviations) || dateline {
            let sentence = Span {
                start: sentence_start,
                end: t.span.end,
            };
            out.push(sentence);
            if dateline {
                datelines.push(sentence);
            }
            start = None;
        }
    }
    (out, datelines)
}

/// Whether token `k` closes what a stop before it ended: a closing quote or bracket, or the
/// asterisks of a note mark glued to it ("…his daughter Yulia.** The U.S. …"; not a bullet).
fn closes_after_stop(text: &str, tokens: &[Token], k: usize) -> bool {
    let token = tokens[k];
    let here = &text[token.span.start..token.span.end];
    let glued = k > 0 && tokens[k - 1].span.end == token.span.start;
    token.kind == TokenKind::CloseQuote
        || matches!(here, ")" | "]")
        || (glued && !here.is_empty() && here.chars().all(|c| c == '*'))
}

/// A sentence ends after `.`, `!`, `?` or `…` (and any closing quotes, brackets or note marks
/// after it) when the next token starts a new sentence and the stop is not an abbreviation's.
fn ends_sentence(text: &str, tokens: &[Token], i: usize, abbreviations: &Abbreviations) -> bool {
    let t = tokens[i];
    let next = tokens.get(i + 1);
    // Walk back over closing marks to the stop they follow.
    let mut stop_at = i;
    while stop_at > 0 && closes_after_stop(text, tokens, stop_at) {
        stop_at -= 1;
    }
    let stop = &text[tokens[stop_at].span.start..tokens[stop_at].span.end];
    let Some(next) = next else {
        return matches!(stop, "." | "!" | "?" | "…") && !(stop_at == 0 && stop == ".");
    };
    if stop_at == i && initialism_ends_sentence(text, t, *next) {
        return true;
    }
    if !matches!(stop, "." | "!" | "?" | "…") || stop_at == 0 && stop == "." {
        return false;
    }
    if closes_after_stop(text, tokens, i + 1) {
        return false; // the closing marks belong to this sentence; end after them
    }
    // No space: "3.5", "example.org" — but a quotation glued to the stop ("said Thomas.'It
    // is …") opens a sentence, as the tokens already decided.
    if next.span.start == t.span.end && next.kind != TokenKind::OpenQuote {
        return false;
    }
    let next_text = &text[next.span.start..next.span.end];
    let starts_sentence = next.kind == TokenKind::OpenQuote
        || next_text
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    if !starts_sentence {
        return false;
    }
    if stop == "." && stop_at > 0 {
        let before = tokens[stop_at - 1];
        let word = &text[before.span.start..before.span.end];
        let adjacent = before.span.end == tokens[stop_at].span.start;
        let is_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
        if adjacent && (abbreviations.contains(word) || is_initial) {
            return false;
        }
    }
    true
}

/// Whether `tokens`, from a sentence's start, are a wire dateline: up to its dash at the start
/// of a line ("WASHINGTON (AP) —", "HORRY COUNTY, SC (WMBF) -", "BEIRUT, March 3 (Reuters) -",
/// "TORONTO —"), or up to its bracketed credit before the story's first capitalised word
/// ("MOSCOW (Sputnik) A total of …", where a feed lost the dash and the line break). The
/// story's first sentence starts after it, so its subject is not read as the place's.
fn ends_dateline(text: &str, tokens: &[Token], next: Option<&Token>) -> bool {
    let Some((last, before)) = tokens.split_last() else {
        return false;
    };
    // Asked at every token: most are neither a dash nor a closing bracket.
    match last.kind {
        TokenKind::Dash => starts_line(text, before) && is_dateline(text, before, false),
        TokenKind::Punct if &text[last.span.start..last.span.end] == ")" => {
            next.is_some_and(|n| {
                n.kind == TokenKind::Word && text[n.span.start..].starts_with(char::is_uppercase)
            }) && is_dateline(text, tokens, true)
        }
        _ => false,
    }
}

fn starts_line(text: &str, tokens: &[Token]) -> bool {
    tokens.first().is_some_and(|first| {
        text[..first.span.start]
            .chars()
            .rev()
            .find(|c| *c != ' ' && *c != '\t')
            .is_none_or(|c| c == '\n')
    })
}

/// Whether `tokens` are a dateline's place and its credit: words in capitals (with their stops
/// and the commas between; after a comma, a country's or state's name or a date: "BEIRUT,
/// Lebanon", "SEVERN, Md.", "BEIRUT, March 3"), then a bracketed credit of a few words, which
/// only a dateline without its dash must have.
fn is_dateline(text: &str, tokens: &[Token], credit_needed: bool) -> bool {
    let mut after_comma = false;
    let place_words = tokens
        .iter()
        .take_while(|t| {
            let word = &text[t.span.start..t.span.end];
            after_comma |= word == ",";
            let name_or_date = after_comma
                && match t.kind {
                    TokenKind::Word => word.starts_with(char::is_uppercase),
                    kind => kind == TokenKind::Number,
                };
            matches!(word, "," | ".")
                || (t.kind == TokenKind::Word && is_capitals(word))
                || name_or_date
        })
        .count();
    let credit = &tokens[place_words..];
    let bracketed = |max: usize| {
        (3..=max).contains(&credit.len())
            && &text[credit[0].span.start..credit[0].span.end] == "("
            && credit
                .last()
                .is_some_and(|t| &text[t.span.start..t.span.end] == ")")
    };
    let credited = if credit_needed {
        // Without the dash, a short credit after a place of three letters or more: "UN (United
        // Nations) Secretary…" is no dateline.
        bracketed(5)
            && tokens[..place_words]
                .iter()
                .any(|t| text[t.span.start..t.span.end].chars().count() >= 3)
    } else {
        credit.is_empty() || bracketed(5)
    };
    tokens.first().is_some_and(|t| t.kind == TokenKind::Word)
        && (1..=6).contains(&place_words)
        && credited
}

/// "TORONTO", "ST.", "SC": letters all in capitals, two or more of them.
fn is_capitals(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && word
            .chars()
            .all(|c| c.is_uppercase() || c == '.' || c == '\'' || c == '-')
}

/// Words that open a sentence and cannot continue a name: after an initialism's stop ("to the
/// U.S. The European Union …", "8:50 a.m. The police …") the sentence has ended.
const SENTENCE_OPENERS: &[&str] = &[
    "The", "A", "An", "This", "These", "Those", "He", "She", "It", "They", "We", "I", "His", "Her",
    "Its", "Their", "Our", "There", "But",
];

/// Whether an initialism's own final stop ("U.S.", "a.m.") ends its sentence: the next word
/// opens one.
fn initialism_ends_sentence(text: &str, initialism: Token, next: Token) -> bool {
    let word = &text[initialism.span.start..initialism.span.end];
    let next_word = &text[next.span.start..next.span.end];
    initialism.kind == TokenKind::Word
        && word.ends_with('.')
        && next.span.start > initialism.span.end
        && SENTENCE_OPENERS.contains(&next_word)
}

/// The quotation opened by `open`, its inner text ending at `inner_end` and its marks at `end`.
fn quote_between(open: Token, inner_end: usize, end: usize, double: bool) -> Quote {
    Quote {
        span: Span {
            start: open.span.start,
            end,
        },
        inner: Span {
            start: open.span.end,
            end: inner_end,
        },
        double,
    }
}

fn quotations(text: &str, tokens: &[Token]) -> Vec<Quote> {
    let is_double = |t: &Token| {
        let s = &text[t.span.start..t.span.end];
        matches!(s, "“" | "”" | "\"" | "«" | "»" | "„")
    };
    let mut quotes = Vec::new();
    let mut open: Option<(Token, bool)> = None;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        match (t.kind, open) {
            (TokenKind::OpenQuote, None) => open = Some((t, is_double(&t))),
            (TokenKind::CloseQuote, Some((o, double))) if is_double(&t) == double => {
                quotes.push(quote_between(o, t.span.start, t.span.end, double));
                open = None;
            }
            _ => {}
        }
        // At a paragraph end inside an open quotation: it goes on if the next paragraph reopens
        // it, else it ends with the paragraph.
        let next = tokens.get(i + 1);
        let paragraph_ends = next.is_none_or(|n| text[t.span.end..n.span.start].contains("\n\n"));
        if let (true, Some((o, double))) = (paragraph_ends, open) {
            match next {
                Some(n) if n.kind == TokenKind::OpenQuote && is_double(n) == double => i += 1,
                _ => {
                    quotes.push(quote_between(o, t.span.end, t.span.end, double));
                    open = None;
                }
            }
        }
        i += 1;
    }
    quotes
}

#[cfg(test)]
mod tests;
