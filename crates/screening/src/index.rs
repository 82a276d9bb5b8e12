//! The in-memory index and the matcher. Candidates come from the tokens of the query: each
//! query token finds the list's tokens equal to it, sounding like it (Double Metaphone) or
//! sharing its character trigrams, so a search touches only names that share a word-like
//! token with the query instead of scanning every entry. Candidates are then scored by hand
//! (see [`Index::compare_names`]) and adjusted by date of birth, nationality and gender.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::error::QueryError;
use crate::model::{BirthDate, Entry, EntryKind, Gender, ListVersion, NameKind};
use crate::normalise::{self, TokenRole};

/// What is screened: a person's (or organisation's) name and what else is known.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Query {
    pub name: String,
    /// As precise as known: a full date, a year...
    pub date_of_birth: Option<BirthDate>,
    /// A country name or ISO code; normalised to alpha-2, ignored when unknown.
    pub nationality: Option<String>,
    pub gender: Option<Gender>,
}

impl Query {
    /// A query with only a name.
    pub fn name(name: impl Into<String>) -> Query {
        Query {
            name: name.into(),
            ..Query::default()
        }
    }
}

/// How a search is run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchOptions {
    /// Matches scoring below this are not returned (0..1); see the crate README for the
    /// measured curve this default was chosen from.
    pub threshold: f64,
    /// At most this many matches, best first.
    pub max_results: usize,
    /// Only these lists (by [`ListVersion::name`]): a tenant's screening profile.
    pub lists: Option<HashSet<String>>,
    /// Only these entry ids (monitoring re-screens the added and changed entries of a diff).
    /// Ids are the lists' own; combine with `lists` when ids of two lists could collide.
    pub entry_ids: Option<HashSet<String>>,
    /// Only these kinds of entries (for instance persons only for a person's name).
    pub kinds: Option<HashSet<EntryKind>>,
}

/// The threshold chosen from the benchmark curves (crate README).
pub const DEFAULT_THRESHOLD: f64 = 0.86;

impl Default for SearchOptions {
    fn default() -> SearchOptions {
        SearchOptions {
            threshold: DEFAULT_THRESHOLD,
            max_results: 20,
            lists: None,
            entry_ids: None,
            kinds: None,
        }
    }
}

/// Why a match scored as it did: shown to the reviewer beside the match.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reason {
    /// Every word of both names is the same (after normalisation).
    NameExact,
    /// The names are alike but not equal; `similarity` is the name score before details.
    NameFuzzy {
        similarity: f64,
    },
    /// The same words in another order.
    TokensReordered,
    /// The listed name has words the query lacks (a middle name left out, for instance).
    TokensMissing {
        count: usize,
    },
    /// One side was written in a non-Latin script and compared through transliteration.
    Transliterated,
    /// The hit is on a weak alias, which lists mark as broad and noisy.
    WeakAlias,
    DateOfBirthMatches {
        listed: BirthDate,
    },
    YearOfBirthMatches {
        listed: BirthDate,
    },
    DateOfBirthDiffers {
        listed: Vec<BirthDate>,
    },
    NationalityMatches {
        nationality: String,
    },
    NationalityDiffers {
        listed: Vec<String>,
    },
    GenderDiffers {
        listed: Gender,
    },
}

/// One possible hit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Match {
    pub list: String,
    pub entry_id: String,
    pub entry_kind: EntryKind,
    /// The entry's primary name.
    pub entry_name: String,
    /// The name or alias that matched.
    pub matched_name: String,
    pub matched_kind: NameKind,
    /// 0..1.
    pub score: f64,
    pub programmes: Vec<String>,
    pub reasons: Vec<Reason>,
    /// The entry's content as [`Entry::version`] names it: a review of this match holds only
    /// while the entry stays as it was.
    pub entry_version: String,
}

/// A name compared with another: the score and the name reasons.
#[derive(Clone, Debug, PartialEq)]
pub struct NameScore {
    pub score: f64,
    pub exact: bool,
    pub reordered: bool,
    pub missing: usize,
}

struct Token {
    text: String,
    phonetic: String,
    /// The weight as a name word (inverse document frequency).
    weight: f64,
}

struct IndexedName {
    entry: u32,
    name: u16,
    tokens: Vec<u32>,
    /// How many of the tokens are name words (not particles).
    words: usize,
    non_latin: bool,
}

struct IndexedEntry {
    list: u16,
    entry: Entry,
}

/// The search structure over one or more list versions. Built once per set of lists (at
/// start, and after each import); searches take `&self` and can run on many threads.
pub struct Index {
    lists: Vec<String>,
    entries: Vec<IndexedEntry>,
    names: Vec<IndexedName>,
    vocabulary: Vec<Token>,
    token_ids: HashMap<String, u32>,
    postings: Vec<Vec<u32>>,
    trigrams: HashMap<[u8; 3], Vec<u32>>,
    sounds: HashMap<String, Vec<u32>>,
    /// Each entry id's places in `entries` (one per list that has it), and each entry's names:
    /// a search restricted to a few entries (monitoring) starts from them, not the vocabulary.
    entry_places: HashMap<String, Vec<u32>>,
    entry_names: Vec<Vec<u32>>,
}

/// The weight of a token that no list name has: as informative as the rarest.
const PARTICLE_WEIGHT: f64 = 0.15;

/// How much of the name score rests on the query's words being found (the rest: on the listed
/// name's words being found). The query's words weigh more: a customer's word absent from the
/// listed name is strong evidence of another person, while a listed middle name absent from
/// the customer's entry is common.
const QUERY_SHARE: f64 = 0.6;

/// The factor on a score that rests on a single shared word when either name has more: one
/// common word (`Mohammed`, `Ali`) is not a match.
const SINGLE_WORD_FACTOR: f64 = 0.7;

impl Index {
    /// Indexes the names of every entry of the given lists.
    pub fn build(lists: &[&ListVersion]) -> Index {
        let mut index = Index {
            lists: Vec::new(),
            entries: Vec::new(),
            names: Vec::new(),
            vocabulary: Vec::new(),
            token_ids: HashMap::new(),
            postings: Vec::new(),
            trigrams: HashMap::new(),
            sounds: HashMap::new(),
            entry_places: HashMap::new(),
            entry_names: Vec::new(),
        };
        for list in lists {
            let list_at = index.lists.len() as u16;
            index.lists.push(list.name.clone());
            for entry in &list.entries {
                let entry_at = index.entries.len() as u32;
                let mut names_of_entry = Vec::new();
                for (name_at, name) in entry.names.iter().enumerate() {
                    let tokens = entry_tokens(&name.text);
                    if tokens.is_empty() {
                        continue;
                    }
                    let ids: Vec<u32> = tokens.iter().map(|t| index.token_id(t)).collect();
                    let name_id = index.names.len() as u32;
                    names_of_entry.push(name_id);
                    let mut seen = HashSet::new();
                    for id in &ids {
                        if seen.insert(*id) {
                            if let Some(posting) = index.postings.get_mut(*id as usize) {
                                posting.push(name_id);
                            }
                        }
                    }
                    index.names.push(IndexedName {
                        entry: entry_at,
                        name: name_at.min(u16::MAX as usize) as u16,
                        words: normalise::roles(&tokens)
                            .iter()
                            .filter(|role| **role == TokenRole::Name)
                            .count(),
                        tokens: ids,
                        non_latin: normalise::has_non_latin(&name.text),
                    });
                }
                index.entries.push(IndexedEntry {
                    list: list_at,
                    entry: entry.clone(),
                });
                index.entry_names.push(names_of_entry);
                index
                    .entry_places
                    .entry(entry.id.clone())
                    .or_default()
                    .push(entry_at);
            }
        }
        // Inverse document frequency over names: a word on thousands of names (Mohammed, Ali)
        // weighs a third of a word on one.
        let total = index.names.len().max(1) as f64;
        for (id, token) in index.vocabulary.iter_mut().enumerate() {
            let frequency = index.postings.get(id).map_or(0, Vec::len) as f64;
            token.weight = token_weight(frequency, total);
        }
        index
    }

    fn token_id(&mut self, text: &str) -> u32 {
        if let Some(id) = self.token_ids.get(text) {
            return *id;
        }
        let id = self.vocabulary.len() as u32;
        let phonetic = normalise::phonetic(text);
        for gram in trigrams(text) {
            self.trigrams.entry(gram).or_default().push(id);
        }
        if !phonetic.is_empty() {
            self.sounds.entry(phonetic.clone()).or_default().push(id);
        }
        self.vocabulary.push(Token {
            text: text.to_owned(),
            phonetic,
            weight: 1.0,
        });
        self.postings.push(Vec::new());
        self.token_ids.insert(text.to_owned(), id);
        id
    }

    /// How many entries and names are indexed.
    pub fn len(&self) -> (usize, usize) {
        (self.entries.len(), self.names.len())
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The weight of a token: from the index's frequencies when it knows the token, the
    /// highest otherwise.
    fn weight_of(&self, token: &str) -> f64 {
        match self.token_ids.get(token) {
            Some(id) => self.vocabulary.get(*id as usize).map_or(1.0, |t| t.weight),
            None => token_weight(0.0, self.names.len().max(1) as f64),
        }
    }

    /// Scores one name against another with this index's word frequencies (the product's
    /// name score, also used by the name-pair benchmark).
    pub fn compare_names(&self, query: &str, listed: &str) -> NameScore {
        let left = QueryTokens::new(&query_tokens(query), |t| self.weight_of(t));
        let right = QueryTokens::new(&entry_tokens(listed), |t| self.weight_of(t));
        let (left, right) = (left.sides(), right.sides());
        score_names(
            &left,
            &right,
            &mut |i, j| match (left.get(i), right.get(j)) {
                (Some(a), Some(b)) => {
                    normalise::token_similarity(a.text, b.text, a.phonetic, b.phonetic)
                }
                _ => 0.0,
            },
        )
    }

    /// Screens one query. Errors only for a query that cannot be screened (no name words,
    /// or longer than [`normalise::MAX_NAME_CHARS`]).
    pub fn search(&self, query: &Query, options: &SearchOptions) -> Result<Vec<Match>, QueryError> {
        let chars = query.name.chars().count();
        if chars > normalise::MAX_NAME_CHARS {
            return Err(QueryError::TooLong {
                chars,
                max: normalise::MAX_NAME_CHARS,
            });
        }
        let texts = query_tokens(&query.name);
        if texts.is_empty() {
            return Err(QueryError::NotEnoughData);
        }
        let query_non_latin = normalise::has_non_latin(&query.name);
        let owned = QueryTokens::new(&texts, |t| self.weight_of(t));
        let sides = owned.sides();
        // Where the candidates come from: the whole vocabulary, or, for a search restricted to
        // a few entries (monitoring), those entries' names alone. Both find the same matches
        // among the allowed entries: a token is similar by the same test either way.
        let restricted = options
            .entry_ids
            .as_ref()
            .map(|ids| self.names_of(ids, options));
        // For each query token, the list tokens like it and how alike.
        let similar: Vec<HashMap<u32, f64>> = match &restricted {
            Some((_, tokens)) => sides
                .iter()
                .map(|side| self.similar_among(side, tokens))
                .collect(),
            None => sides.iter().map(|side| self.similar_tokens(side)).collect(),
        };

        // Names sharing at least one token, with which query tokens they share (bit set).
        // Particles (al, bin, de...) are on thousands of names and decide nothing.
        let deciding = |at: usize| sides.get(at).is_none_or(|s| s.role != TokenRole::Particle);
        let mut hits: HashMap<u32, u64> = HashMap::new();
        match &restricted {
            Some((names, _)) => {
                for &name_id in names {
                    let Some(name) = self.names.get(name_id as usize) else {
                        continue;
                    };
                    let mut bits = 0u64;
                    for (at, tokens) in similar.iter().enumerate() {
                        if deciding(at) && name.tokens.iter().any(|id| tokens.contains_key(id)) {
                            bits |= 1u64 << at.min(63);
                        }
                    }
                    if bits != 0 {
                        hits.insert(name_id, bits);
                    }
                }
            }
            None => {
                for (at, tokens) in similar.iter().enumerate() {
                    if !deciding(at) {
                        continue;
                    }
                    let bit = 1u64 << at.min(63);
                    for id in tokens.keys() {
                        for name in self
                            .postings
                            .get(*id as usize)
                            .map_or(&[][..], Vec::as_slice)
                        {
                            *hits.entry(*name).or_default() |= bit;
                        }
                    }
                }
            }
        }
        let query_words = sides
            .iter()
            .filter(|s| s.role == TokenRole::Name)
            .count()
            .max(1);
        let mut best: HashMap<u32, (f64, NameScore, u32)> = HashMap::new();
        for (name_id, bits) in hits {
            let Some(name) = self.names.get(name_id as usize) else {
                continue;
            };
            // A name sharing one word with a query of several words, and having several
            // itself, cannot reach the threshold (the single-word factor): skip it unscored.
            if bits.count_ones() < 2 && query_words > 1 && name.words > 1 {
                continue;
            }
            let Some(indexed) = self.entries.get(name.entry as usize) else {
                continue;
            };
            if !self.allowed(indexed, options) {
                continue;
            }
            let texts: Vec<&str> = name
                .tokens
                .iter()
                .filter_map(|id| self.vocabulary.get(*id as usize))
                .map(|token| token.text.as_str())
                .collect();
            let right: Vec<Side<'_>> = name
                .tokens
                .iter()
                .filter_map(|id| self.vocabulary.get(*id as usize))
                .zip(normalise::roles(&texts))
                .map(|(token, role)| Side::new(&token.text, &token.phonetic, token.weight, role))
                .collect();
            let score = score_names(&sides, &right, &mut |i, j| match (
                similar.get(i),
                name.tokens.get(j),
            ) {
                (Some(map), Some(id)) => map.get(id).copied().unwrap_or(0.0),
                _ => 0.0,
            });
            let kind = indexed
                .entry
                .names
                .get(name.name as usize)
                .map_or(NameKind::Primary, |n| n.kind);
            // A weak alias counts for less: lists mark them as broad.
            let effective = if kind == NameKind::WeakAlias {
                score.score * 0.9
            } else {
                score.score
            };
            let slot = best
                .entry(name.entry)
                .or_insert((-1.0, score.clone(), name_id));
            // Names are visited in no set order: of two equal scores the entry's earlier name
            // (its primary name before its aliases) is reported, the same on every run.
            if effective > slot.0 || (effective == slot.0 && name_id < slot.2) {
                *slot = (effective, score, name_id);
            }
        }

        let mut matches = Vec::new();
        for (entry_at, (name_score, detail, name_id)) in best {
            let (Some(indexed), Some(name)) = (
                self.entries.get(entry_at as usize),
                self.names.get(name_id as usize),
            ) else {
                continue;
            };
            // Details cannot lift a name far below the threshold into a match.
            if name_score < options.threshold - 0.1 {
                continue;
            }
            let entry = &indexed.entry;
            let matched = entry.names.get(name.name as usize);
            let matched_kind = matched.map_or(NameKind::Primary, |n| n.kind);
            let mut reasons = Vec::new();
            if detail.exact {
                reasons.push(Reason::NameExact);
            } else {
                reasons.push(Reason::NameFuzzy {
                    similarity: round(detail.score),
                });
            }
            if detail.reordered {
                reasons.push(Reason::TokensReordered);
            }
            if detail.missing > 0 {
                reasons.push(Reason::TokensMissing {
                    count: detail.missing,
                });
            }
            if query_non_latin || name.non_latin {
                reasons.push(Reason::Transliterated);
            }
            if matched_kind == NameKind::WeakAlias {
                reasons.push(Reason::WeakAlias);
            }
            let adjustment = details(query, entry, &mut reasons);
            let mut score = (name_score + adjustment).clamp(0.0, 1.0);
            // An exact full-name hit is always reported: contradicting details lower it, but
            // never below the threshold. The reviewer decides with the reasons in view.
            if detail.exact && score < options.threshold {
                score = options.threshold;
            }
            if score < options.threshold {
                continue;
            }
            matches.push(Match {
                list: self
                    .lists
                    .get(indexed.list as usize)
                    .cloned()
                    .unwrap_or_default(),
                entry_id: entry.id.clone(),
                entry_kind: entry.kind,
                entry_name: entry.primary_name().to_owned(),
                matched_name: matched.map(|n| n.text.clone()).unwrap_or_default(),
                matched_kind,
                score: round(score),
                programmes: entry.programmes.clone(),
                reasons,
                entry_version: entry.version(),
            });
        }
        matches.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.list.cmp(&b.list))
                .then_with(|| a.entry_id.cmp(&b.entry_id))
        });
        matches.truncate(options.max_results);
        Ok(matches)
    }

    fn allowed(&self, indexed: &IndexedEntry, options: &SearchOptions) -> bool {
        if let Some(lists) = &options.lists {
            let name = self
                .lists
                .get(indexed.list as usize)
                .map_or("", String::as_str);
            if !lists.contains(name) {
                return false;
            }
        }
        if let Some(ids) = &options.entry_ids {
            if !ids.contains(&indexed.entry.id) {
                return false;
            }
        }
        if let Some(kinds) = &options.kinds {
            if !kinds.contains(&indexed.entry.kind) {
                return false;
            }
        }
        true
    }

    /// The names of the allowed entries among `ids`, and their tokens.
    fn names_of(&self, ids: &HashSet<String>, options: &SearchOptions) -> (Vec<u32>, Vec<u32>) {
        let mut names = Vec::new();
        let mut tokens = HashSet::new();
        for id in ids {
            for &at in self.entry_places.get(id).map_or(&[][..], Vec::as_slice) {
                let allowed = self
                    .entries
                    .get(at as usize)
                    .is_some_and(|indexed| self.allowed(indexed, options));
                if !allowed {
                    continue;
                }
                for &name_id in self
                    .entry_names
                    .get(at as usize)
                    .map_or(&[][..], Vec::as_slice)
                {
                    names.push(name_id);
                    if let Some(name) = self.names.get(name_id as usize) {
                        tokens.extend(name.tokens.iter().copied());
                    }
                }
            }
        }
        (names, tokens.into_iter().collect())
    }

    /// [`Index::similar_tokens`] among `tokens` only: each passes the same test (the same
    /// text, the same sound, or enough shared trigrams) without the vocabulary's indexes.
    fn similar_among(&self, side: &Side, tokens: &[u32]) -> HashMap<u32, f64> {
        let grams = (side.text.len() >= 2).then(|| trigrams(side.text));
        let needed = grams
            .as_ref()
            .map_or(0, |grams| needed_trigrams(side.text, grams));
        let mut out = HashMap::new();
        for &id in tokens {
            let Some(token) = self.vocabulary.get(id as usize) else {
                continue;
            };
            let candidate = token.text == side.text
                || grams.as_ref().is_some_and(|grams| {
                    (!token.phonetic.is_empty() && token.phonetic == side.phonetic)
                        || shared_trigrams(grams, &trigrams(&token.text)) >= needed
                });
            if !candidate {
                continue;
            }
            let similarity =
                normalise::token_similarity(side.text, &token.text, side.phonetic, &token.phonetic);
            if similarity > 0.0 {
                out.insert(id, similarity);
            }
        }
        out
    }

    /// The list tokens similar to one query token: the same, sounding alike, or sharing enough
    /// trigrams to be a spelling variant; each with its similarity (only those above 0).
    fn similar_tokens(&self, side: &Side) -> HashMap<u32, f64> {
        let mut out = HashMap::new();
        let consider = |id: u32, out: &mut HashMap<u32, f64>| {
            if out.contains_key(&id) {
                return;
            }
            if let Some(token) = self.vocabulary.get(id as usize) {
                let similarity = normalise::token_similarity(
                    side.text,
                    &token.text,
                    side.phonetic,
                    &token.phonetic,
                );
                if similarity > 0.0 {
                    out.insert(id, similarity);
                }
            }
        };
        if let Some(id) = self.token_ids.get(side.text) {
            consider(*id, &mut out);
        }
        if side.text.len() < 2 {
            return out;
        }
        if let Some(ids) = self.sounds.get(side.phonetic) {
            for id in ids {
                consider(*id, &mut out);
            }
        }
        let grams = trigrams(side.text);
        let mut shared: HashMap<u32, u32> = HashMap::new();
        for gram in &grams {
            if let Some(ids) = self.trigrams.get(gram) {
                for id in ids {
                    *shared.entry(*id).or_default() += 1;
                }
            }
        }
        let needed = needed_trigrams(side.text, &grams);
        for (id, count) in shared {
            if count >= needed {
                consider(id, &mut out);
            }
        }
        out
    }
}

fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// The weight of a name word from how many names have it: inverse document frequency, so
/// rare words decide and common ones only support. (Particles weigh a fixed little instead.)
fn token_weight(frequency: f64, total: f64) -> f64 {
    let idf = ((total + 1.0) / (frequency + 1.0)).ln().max(0.0);
    // Scaled so the rarest word weighs 1; the floor keeps the commonest name words relevant.
    let max = (total + 1.0).ln().max(1.0);
    (idf / max).clamp(0.25, 1.0)
}

/// How many trigrams a spelling variant shares with `text`: with two edits in a short word (a
/// swap, `adbul` / `abdul`) as few as one; longer words keep more.
fn needed_trigrams(text: &str, grams: &[[u8; 3]]) -> u32 {
    if text.len() <= 6 {
        1
    } else {
        (grams.len() as u32).div_ceil(4)
    }
}

/// How many trigrams two sorted, deduplicated trigram lists share.
fn shared_trigrams(left: &[[u8; 3]], right: &[[u8; 3]]) -> u32 {
    left.iter()
        .filter(|gram| right.binary_search(gram).is_ok())
        .count() as u32
}

/// Character trigrams of a token padded with a space each side.
fn trigrams(text: &str) -> Vec<[u8; 3]> {
    let padded: Vec<u8> = std::iter::once(b' ')
        .chain(text.bytes())
        .chain(std::iter::once(b' '))
        .collect();
    let mut grams: Vec<[u8; 3]> = padded.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// The tokens of a query: honorifics and legal forms removed (a query of only those has no
/// name to screen).
fn query_tokens(text: &str) -> Vec<String> {
    normalise::tokens(text)
}

/// The tokens of a listed name. A listed name made only of legal-form words keeps them (it is
/// the entry's name), so it can still be found by its full name.
fn entry_tokens(text: &str) -> Vec<String> {
    let tokens = normalise::tokens(text);
    if !tokens.is_empty() {
        return tokens;
    }
    let ascii = any_ascii::any_ascii(&normalise::strip_controls(text)).to_ascii_lowercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

#[derive(Clone, Copy)]
struct Side<'a> {
    text: &'a str,
    phonetic: &'a str,
    weight: f64,
    role: TokenRole,
}

impl<'a> Side<'a> {
    fn new(text: &'a str, phonetic: &'a str, weight: f64, role: TokenRole) -> Side<'a> {
        let weight = if role == TokenRole::Particle {
            PARTICLE_WEIGHT
        } else {
            weight
        };
        Side {
            text,
            phonetic,
            weight,
            role,
        }
    }
}

/// The query's tokens with their phonetic keys, owned, to lend out as [`Side`]s.
struct QueryTokens {
    tokens: Vec<(String, String, f64)>,
}

impl QueryTokens {
    fn new(texts: &[String], weight: impl Fn(&str) -> f64) -> QueryTokens {
        QueryTokens {
            tokens: texts
                .iter()
                .map(|t| (t.clone(), normalise::phonetic(t), weight(t)))
                .collect(),
        }
    }

    fn sides(&self) -> Vec<Side<'_>> {
        let texts: Vec<&str> = self
            .tokens
            .iter()
            .map(|(text, _, _)| text.as_str())
            .collect();
        self.tokens
            .iter()
            .zip(normalise::roles(&texts))
            .map(|((text, phonetic, weight), role)| Side::new(text, phonetic, *weight, role))
            .collect()
    }
}

/// The name score, word order free:
///
/// 1. each query word is paired with at most one listed word, best pairs first (greedy
///    assignment on token similarity); a query word glued from two listed words
///    (`abdulhai` / `abdul hai`) or the reverse is compared as one;
/// 2. `query coverage` is the weighted share of query words found (weights: rare words more),
///    `listed coverage` the same for the listed name; the score is 0.6 x query coverage +
///    0.4 x listed coverage;
/// 3. a score resting on a single shared word when either name has more is cut by 0.7: one
///    common word is not a match.
fn score_names(
    left: &[Side<'_>],
    right: &[Side<'_>],
    similarity: &mut dyn FnMut(usize, usize) -> f64,
) -> NameScore {
    let none = NameScore {
        score: 0.0,
        exact: false,
        reordered: false,
        missing: 0,
    };
    if left.is_empty() || right.is_empty() {
        return none;
    }
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for i in 0..left.len() {
        for j in 0..right.len() {
            let s = similarity(i, j);
            if s > 0.0 {
                pairs.push((s, i, j));
            }
        }
    }
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut left_used = vec![None; left.len()];
    let mut right_used = vec![None; right.len()];
    for (s, i, j) in pairs {
        if left_used[i].is_none() && right_used[j].is_none() {
            left_used[i] = Some((j, s));
            right_used[j] = Some((i, s));
        }
    }
    // Glued words: an unpaired word equal (or nearly) to two adjacent words of the other side.
    glue(left, right, &mut left_used, &mut right_used);
    glue_reverse(left, right, &mut left_used, &mut right_used);

    let left_total: f64 = left.iter().map(|s| s.weight).sum();
    let right_total: f64 = right.iter().map(|s| s.weight).sum();
    // A word counts by its similarity squared: one typo costs little, but several words that
    // are each only alike (`harris` / `hurras`, `diane` / `din`) add up to much less than a
    // match, which is what two different names look like.
    let left_found: f64 = left
        .iter()
        .zip(&left_used)
        .filter_map(|(side, used)| used.map(|(_, s)| s * s * side.weight))
        .sum();
    let right_found: f64 = right
        .iter()
        .zip(&right_used)
        .filter_map(|(side, used)| used.map(|(_, s)| s * s * side.weight))
        .sum();
    if left_total <= 0.0 || right_total <= 0.0 {
        return none;
    }
    let mut score =
        QUERY_SHARE * (left_found / left_total) + (1.0 - QUERY_SHARE) * (right_found / right_total);
    // Words paired on the side with more (a glued word pairs one with two).
    let paired_words = left
        .iter()
        .zip(&left_used)
        .filter(|(side, used)| used.is_some() && side.role == TokenRole::Name)
        .count()
        .max(
            right
                .iter()
                .zip(&right_used)
                .filter(|(side, used)| used.is_some() && side.role == TokenRole::Name)
                .count(),
        );
    let left_words = left.iter().filter(|s| s.role == TokenRole::Name).count();
    let right_words = right.iter().filter(|s| s.role == TokenRole::Name).count();
    if paired_words <= 1 {
        if left_words > 1 || right_words > 1 {
            score *= SINGLE_WORD_FACTOR;
        }
        // One word alone is a match only as far as the word is rare: `Mohammed` against an
        // alias `Mohammad` is not a hit, a unique company name against itself is.
        let weight = left
            .iter()
            .zip(&left_used)
            .filter(|(side, used)| used.is_some() && side.role == TokenRole::Name)
            .map(|(side, _)| side.weight)
            .fold(0.0, f64::max);
        score = score.min(0.5 + 0.5 * weight);
    }
    let exact = left.len() == right.len()
        && left_used
            .iter()
            .all(|u| matches!(u, Some((_, s)) if *s >= 1.0));
    let order: Vec<usize> = left_used.iter().filter_map(|u| u.map(|(j, _)| j)).collect();
    let reordered = order.windows(2).any(|w| w[0] > w[1]);
    let missing = right_used.iter().filter(|u| u.is_none()).count();
    NameScore {
        score: score.clamp(0.0, 1.0),
        exact,
        reordered,
        missing,
    }
}

fn glue(
    left: &[Side<'_>],
    right: &[Side<'_>],
    left_used: &mut [Option<(usize, f64)>],
    right_used: &mut [Option<(usize, f64)>],
) {
    for i in 0..left.len() {
        if left_used[i].is_some() {
            continue;
        }
        for j in 0..right.len().saturating_sub(1) {
            if right_used[j].is_some() || right_used[j + 1].is_some() {
                continue;
            }
            let joined = format!("{}{}", right[j].text, right[j + 1].text);
            let s = strsim::jaro_winkler(left[i].text, &joined);
            if s >= 0.9 {
                left_used[i] = Some((j, s));
                right_used[j] = Some((i, s));
                right_used[j + 1] = Some((i, s));
                break;
            }
        }
    }
}

fn glue_reverse(
    left: &[Side<'_>],
    right: &[Side<'_>],
    left_used: &mut [Option<(usize, f64)>],
    right_used: &mut [Option<(usize, f64)>],
) {
    for j in 0..right.len() {
        if right_used[j].is_some() {
            continue;
        }
        for i in 0..left.len().saturating_sub(1) {
            if left_used[i].is_some() || left_used[i + 1].is_some() {
                continue;
            }
            let joined = format!("{}{}", left[i].text, left[i + 1].text);
            let s = strsim::jaro_winkler(right[j].text, &joined);
            if s >= 0.9 {
                right_used[j] = Some((i, s));
                left_used[i] = Some((j, s));
                left_used[i + 1] = Some((j, s));
                break;
            }
        }
    }
}

/// How date of birth, nationality and gender move the score, with their reasons. Each only
/// counts when both sides state it; for organisations they do not apply.
fn details(query: &Query, entry: &Entry, reasons: &mut Vec<Reason>) -> f64 {
    let mut adjustment = 0.0;
    if entry.kind != EntryKind::Person {
        return adjustment;
    }
    if let Some(date) = query.date_of_birth {
        if !entry.dates_of_birth.is_empty() {
            adjustment += birth_date(date, &entry.dates_of_birth, reasons);
        }
    }
    if let Some(code) = query
        .nationality
        .as_deref()
        .and_then(crate::country::alpha2)
    {
        if !entry.nationalities.is_empty() {
            if entry.nationalities.iter().any(|n| n == code) {
                reasons.push(Reason::NationalityMatches {
                    nationality: code.to_owned(),
                });
                adjustment += 0.03;
            } else {
                reasons.push(Reason::NationalityDiffers {
                    listed: entry.nationalities.clone(),
                });
                // Weak evidence: dual nationals and a nationality changed since listing.
                adjustment -= 0.05;
            }
        }
    }
    if let (Some(asked), Some(listed)) = (query.gender, entry.gender) {
        if asked != listed {
            reasons.push(Reason::GenderDiffers { listed });
            adjustment -= 0.1;
        }
    }
    adjustment
}

/// A full date equal to a listed one raises the score most, a year inside a listed year or
/// range less; a date a year off lowers it a little (lists and customers misstate years by
/// one), further off more.
fn birth_date(query: BirthDate, listed: &[BirthDate], reasons: &mut Vec<Reason>) -> f64 {
    use chrono::Datelike;
    if let BirthDate::Date(asked) = query {
        for date in listed {
            if let BirthDate::Date(known) = date {
                let swapped = asked.year() == known.year()
                    && asked.month() == known.day()
                    && asked.day() == known.month();
                if *known == asked || swapped {
                    reasons.push(Reason::DateOfBirthMatches { listed: *date });
                    return 0.08;
                }
            }
        }
    }
    let (from, to) = query.years();
    let mut nearest = i32::MAX;
    for date in listed {
        let (low, high) = date.years();
        if from <= high && low <= to {
            reasons.push(Reason::YearOfBirthMatches { listed: *date });
            return 0.04;
        }
        let distance = if to < low { low - to } else { from - high };
        nearest = nearest.min(distance);
    }
    reasons.push(Reason::DateOfBirthDiffers {
        listed: listed.to_vec(),
    });
    if nearest <= 1 {
        -0.05
    } else {
        -0.15
    }
}
