//! Speed of `compare` on 1,000-word articles, end to end (ingest of both
//! texts included) and alignment alone. Checks its own answers.
//!
//! Run: `cargo bench -p reprint --bench compare`. When `../shared/data/bbc-news`
//! exists, also times real BBC articles against a rewrite of themselves.

use std::hint::black_box;
use std::time::{Duration, Instant};

use reprint::{Comparer, Document, Label};

/// A deterministic pseudo-random generator (SplitMix64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A made-up word from syllables, so the vocabulary is large and varied.
fn word(rng: &mut Rng) -> String {
    const SYL: &[&str] = &[
        "ka", "lo", "mer", "tis", "an", "dru", "vel", "sor", "pi", "nu", "gat", "rel", "om", "bre",
        "sti",
    ];
    let n = 1 + rng.below(3);
    (0..n).map(|_| SYL[rng.below(SYL.len())]).collect()
}

/// A news-like article of about `words` words: Zipf-ish vocabulary,
/// sentences of 12 to 30 words, a few numbers and capitalised names.
fn article(rng: &mut Rng, words: usize) -> Vec<Vec<String>> {
    let vocab: Vec<String> = (0..3000).map(|_| word(rng)).collect();
    let common = [
        "the", "of", "and", "to", "in", "a", "said", "on", "for", "that", "with", "was",
    ];
    let mut sentences = Vec::new();
    let mut total = 0;
    while total < words {
        let len = 12 + rng.below(19);
        let mut s = Vec::with_capacity(len);
        for k in 0..len {
            let r = rng.below(100);
            let w = if r < 40 {
                common[rng.below(common.len())].to_string()
            } else if r < 45 {
                format!("{}", rng.below(5000))
            } else {
                // Zipf-like: squares favour the head of the vocabulary.
                let x = rng.below(vocab.len());
                let w = vocab[x * x / vocab.len()].clone();
                if r < 50 || k == 0 {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or(w)
                } else {
                    w
                }
            };
            s.push(w);
        }
        total += len;
        sentences.push(s);
    }
    sentences
}

/// A rewrite: about 20% of words substituted, two sentence pairs merged,
/// one sentence dropped, two sentences swapped.
fn rewrite(rng: &mut Rng, src: &[Vec<String>]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = src
        .iter()
        .map(|s| {
            s.iter()
                .map(|w| {
                    if rng.below(100) < 20 {
                        word(rng)
                    } else {
                        w.clone()
                    }
                })
                .collect()
        })
        .collect();
    if out.len() > 10 {
        let tail = out.remove(4);
        out[3].extend(tail);
        let tail = out.remove(8);
        out[7].extend(tail);
        out.remove(1);
        out.swap(5, 6);
    }
    out
}

fn render(s: &[Vec<String>]) -> String {
    s.iter()
        .map(|w| format!("{}.", w.join(" ")))
        .collect::<Vec<_>>()
        .join(" ")
}

fn time<F: FnMut()>(mut f: F) -> Duration {
    // Warm up, then run for at least half a second.
    for _ in 0..5 {
        f();
    }
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < Duration::from_millis(500) || n < 20 {
        f();
        n += 1;
    }
    start.elapsed() / n
}

fn bench_pair(name: &str, ta: &str, tb: &str) {
    let cmp = Comparer::default();
    let (a, b) = (Document::from_text("a", ta), Document::from_text("b", tb));
    let c = cmp.compare(&a, &b);
    assert_eq!(c.verdict.label, Label::Derived, "{name}: {:?}", c.verdict);
    assert!(c.verdict.coverage_b > 0.5, "{name}: {:?}", c.verdict);
    let align = time(|| {
        black_box(cmp.compare(black_box(&a), black_box(&b)));
    });
    let end_to_end = time(|| {
        let a = Document::from_text("a", black_box(ta));
        let b = Document::from_text("b", black_box(tb));
        black_box(cmp.compare(&a, &b));
    });
    println!(
        "{name}: words {} + {}, sentences {} + {}, alignments {}: compare {:.3} ms, end to end (ingest both + compare) {:.3} ms",
        a.word_count(),
        b.word_count(),
        a.sentence_spans().len(),
        b.sentence_spans().len(),
        c.alignments.len(),
        align.as_secs_f64() * 1e3,
        end_to_end.as_secs_f64() * 1e3
    );
}

fn main() {
    let mut rng = Rng(7);
    let src = article(&mut rng, 1000);
    let dst = rewrite(&mut rng, &src);
    bench_pair("synthetic 1000-word rewrite", &render(&src), &render(&dst));

    let bbc = std::path::Path::new("../../../shared/data/bbc-news/business");
    if let Ok(entries) = std::fs::read_dir(bbc) {
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        // Real articles of about 1,000 words, each against a rewrite of itself.
        let mut done = 0;
        for f in files {
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            let n = text.split_whitespace().count();
            if !(800..=1300).contains(&n) {
                continue;
            }
            let sents: Vec<Vec<String>> = text
                .split(". ")
                .map(|s| s.split_whitespace().map(str::to_string).collect())
                .collect();
            let re = render(&rewrite(&mut rng, &sents));
            bench_pair(&format!("bbc {}", f.display()), &text, &re);
            done += 1;
            if done == 3 {
                break;
            }
        }
    } else {
        println!("(../shared/data/bbc-news not found: real-article bench skipped)");
    }
}
