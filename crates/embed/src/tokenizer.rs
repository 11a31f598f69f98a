//! The XLM-RoBERTa SentencePiece tokenizer (unigram model) that multilingual-e5 was trained with.
//!
//! Text is normalized code point by code point with the map stored in the model file (the
//! SentencePiece NFKC-style table), runs of spaces collapse to one, a leading space is added
//! unless present, spaces become the metaspace `▁` (U+2581), and the best segmentation under the
//! unigram piece scores is found with a Viterbi pass over characters. A character no piece covers
//! becomes `<unk>`. Ids are the model's own (XLM-R's fairseq numbering as stored in the file).

use crate::format::VocabData;
use rustc_hash::FxHashMap;

const METASPACE: char = '\u{2581}';

/// SentencePiece unigram tokenizer over the vocabulary of a model file.
#[derive(Debug, Clone)]
pub struct Tokenizer {
    pieces: FxHashMap<Box<[u8]>, u32>,
    scores: Vec<f32>,
    norm: FxHashMap<u32, Box<[char]>>,
    unk: u32,
    unk_score: f32,
    max_piece_bytes: usize,
    /// Id of `<s>`.
    pub bos: u32,
    /// Id of `</s>`.
    pub eos: u32,
}

impl Tokenizer {
    pub(crate) fn new(v: &VocabData) -> Tokenizer {
        let mut pieces = FxHashMap::default();
        pieces.reserve(v.pieces.len());
        for (i, p) in v.pieces.iter().enumerate() {
            if !p.is_empty() {
                // The first piece with given bytes wins, as in the reference lookup.
                pieces
                    .entry(p.clone().into_boxed_slice())
                    .or_insert(i as u32);
            }
        }
        let min_score = v.scores.iter().copied().fold(f32::INFINITY, f32::min);
        let max_piece_bytes = v.pieces.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let norm = v
            .norm
            .iter()
            .map(|(cp, outs)| {
                let outs: Box<[char]> = outs.iter().filter_map(|&o| char::from_u32(o)).collect();
                (*cp, outs)
            })
            .collect();
        Tokenizer {
            pieces,
            scores: v.scores.clone(),
            norm,
            unk: v.unk,
            unk_score: min_score - 10.0,
            max_piece_bytes,
            bos: v.bos,
            eos: v.eos,
        }
    }

    /// The normalized text the segmentation runs on, with `▁` for spaces.
    pub fn normalize(&self, text: &str) -> String {
        // A C string ends at NUL: the reference never sees what follows.
        let text = text.split('\0').next().unwrap_or("");
        let mut out = String::with_capacity(text.len() + 4);
        let mut last_space = false;
        let mut push = |c: char, out: &mut String| {
            if c == ' ' {
                if last_space {
                    return;
                }
                last_space = true;
            } else {
                last_space = false;
            }
            out.push(c);
        };
        for c in text.chars() {
            match self.norm.get(&(c as u32)) {
                Some(outs) => outs.iter().for_each(|&o| push(o, &mut out)),
                None => push(c, &mut out),
            }
        }
        let mut result = String::with_capacity(out.len() + 3);
        if !out.starts_with(' ') {
            result.push(METASPACE);
        }
        result.extend(out.chars().map(|c| if c == ' ' { METASPACE } else { c }));
        result
    }

    /// Piece ids of `text`, without `<s>` and `</s>`.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let norm = self.normalize(text);
        let bytes = norm.as_bytes();
        // Byte offset of every character start, and the end.
        let starts: Vec<usize> = norm
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(bytes.len()))
            .collect();
        let n = starts.len() - 1;
        const NONE: f32 = -1e30;
        let mut best = vec![NONE; n + 1];
        // (piece id or u32::MAX for unknown, start character of the piece)
        let mut back = vec![(u32::MAX, 0usize); n + 1];
        best[0] = 0.0;
        for i in 0..n {
            if best[i] <= -1e29 {
                continue;
            }
            let from = starts[i];
            for e in i + 1..=n {
                let len = starts[e] - from;
                if len > self.max_piece_bytes {
                    break;
                }
                if let Some(&id) = self.pieces.get(&bytes[from..starts[e]])
                    && id != self.unk
                {
                    let s = best[i] + self.scores[id as usize];
                    if s > best[e] {
                        best[e] = s;
                        back[e] = (id, i);
                    }
                }
            }
            let s = best[i] + self.unk_score;
            if s > best[i + 1] {
                best[i + 1] = s;
                back[i + 1] = (u32::MAX, i);
            }
        }
        let mut ids = Vec::new();
        let mut i = n;
        while i > 0 {
            let (id, from) = back[i];
            ids.push(if id == u32::MAX { self.unk } else { id });
            i = from;
        }
        ids.reverse();
        ids
    }
}
