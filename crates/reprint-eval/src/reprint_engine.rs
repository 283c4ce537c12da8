//! The [`Engine`] backed by the `reprint` library, used exactly as a user of
//! the library would: `Document::from_bytes`, `Comparer::new(Settings::default())`,
//! `compare`, `sentence_similarity`.

use crate::engine::{Aligned, ByteSpan, ChangeRow, Engine, Kind, Outcome};
use anyhow::Result;
use reprint::{AlignKind, Comparer, Document, Settings};

pub struct Reprint {
    comparer: Comparer,
}

impl Reprint {
    pub fn new() -> Result<Reprint> {
        Ok(Reprint {
            comparer: Comparer::new(Settings::default()),
        })
    }
}

fn kind(k: AlignKind) -> Kind {
    match k {
        AlignKind::Verbatim => Kind::Verbatim,
        AlignKind::NearVerbatim => Kind::NearVerbatim,
        AlignKind::Paraphrase => Kind::Paraphrase,
    }
}

impl Engine for Reprint {
    type Doc = Document;

    fn load(&self, id: &str, bytes: &[u8]) -> Result<Document> {
        Ok(Document::from_bytes(id, bytes)?)
    }

    fn warnings(&self, doc: &Document) -> Vec<String> {
        doc.warnings().to_vec()
    }

    fn compare(&self, a: &Document, b: &Document) -> Outcome {
        let c = self.comparer.compare(a, b);
        Outcome {
            label: c.verdict.label.name().to_string(),
            score: c.verdict.score,
            coverage_a: c.verdict.coverage_a,
            coverage_b: c.verdict.coverage_b,
            words_a: c.doc_a.words,
            words_b: c.doc_b.words,
            alignments: c
                .alignments
                .iter()
                .map(|al| Aligned {
                    a: (al.a.start, al.a.end),
                    b: (al.b.start, al.b.end),
                    kind: kind(al.kind),
                    score: al.score,
                    exact_words: 0,
                })
                .collect(),
            passages: c
                .passages
                .iter()
                .map(|p| Aligned {
                    a: (p.a.start, p.a.end),
                    b: (p.b.start, p.b.end),
                    kind: kind(p.kind),
                    score: 1.0,
                    exact_words: p.words,
                })
                .collect(),
            changes: c
                .changes
                .iter()
                .map(|ch| ChangeRow {
                    // The kind's JSON name, as `reprint compare --json` writes it.
                    kind: serde_json::to_value(ch.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    a_text: ch.a_text.clone(),
                    b_text: ch.b_text.clone(),
                })
                .collect(),
        }
    }

    fn sentence_similarity(&self, a: &str, b: &str) -> f64 {
        self.comparer.sentence_similarity(a, b)
    }

    fn sentences(&self, doc: &Document) -> Vec<ByteSpan> {
        doc.sentence_spans()
            .iter()
            .map(|s| (s.start, s.end))
            .collect()
    }
}
