//! `reprint-bench viral`: one story printed by many outlets, lightly edited by each, among
//! unrelated articles (the viral-story benchmark of issue 9).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use crate::gen::{article, finish, headline, name, write_record, Article, Model, Rng};

/// Viral corpus settings.
#[derive(Debug, Clone, Serialize)]
pub struct ViralSettings {
    /// Lightly edited copies of the story.
    pub copies: usize,
    /// Unrelated articles around them.
    pub others: usize,
    pub seed: u64,
}

/// What was written.
#[derive(Debug, Default, Serialize)]
pub struct ViralReport {
    pub articles: usize,
    pub copies: usize,
    pub others: usize,
    pub bytes: u64,
    /// Copies identical to the story (no edit was drawn for them).
    pub unedited_copies: usize,
    pub settings: Option<ViralSettings>,
}

/// A random lower-case word position of the article, as (paragraph, sentence, word).
fn plain_position(a: &Article, rng: &mut Rng) -> Option<(usize, usize, usize)> {
    for _ in 0..50 {
        let p = rng.below(a.paras.len());
        let s = rng.below(a.paras[p].len());
        let words: Vec<&str> = a.paras[p][s].split(' ').collect();
        let w = rng.below(words.len());
        if words[w].len() > 3 && words[w].chars().all(|c| c.is_ascii_lowercase()) {
            return Some((p, s, w));
        }
    }
    None
}

/// A light edit of `src`, as an outlet reprinting a wire story makes it: each of these
/// independently: a headline of its own (half of the copies), one sentence dropped (30%),
/// a credit line added at the end (half), and 1 to 3 plain words replaced (always).
pub fn light_copy(model: &Model, rng: &mut Rng, src: &Article) -> Article {
    let mut a = src.clone();
    if rng.chance(0.5) {
        let names = vec![name(rng)];
        a.headline = headline(model, rng, &names);
    }
    let sentences: usize = a.paras.iter().map(Vec::len).sum();
    if sentences > 4 && rng.chance(0.3) {
        let p = rng.below(a.paras.len());
        if a.paras[p].len() > 1 {
            let s = rng.below(a.paras[p].len());
            a.paras[p].remove(s);
        } else if a.paras.len() > 2 {
            a.paras.remove(p);
        }
    }
    for _ in 0..rng.range(1, 3) {
        if let Some((p, s, w)) = plain_position(&a, rng) {
            let mut words: Vec<String> = a.paras[p][s].split(' ').map(str::to_string).collect();
            words[w] = model.plain_word(rng).to_string();
            a.paras[p][s] = words.join(" ");
        }
    }
    if rng.chance(0.5) {
        a.paras.push(vec![format!(
            "Reporting by {} and {}; editing by {}.",
            name(rng),
            name(rng),
            name(rng)
        )]);
    }
    a
}

/// Writes `dir/corpus.jsonl` (the story `story`, copies `copy0000`..., others `other0000`...,
/// shuffled; the story is dated first, its copies over the next four days, the others over
/// the year) and `dir/truth.jsonl` (`story` -> each copy, kind `viral`).
pub fn generate(model: &Model, s: &ViralSettings, dir: &Path) -> Result<ViralReport> {
    std::fs::create_dir_all(dir)?;
    let mut corpus = BufWriter::with_capacity(1 << 20, File::create(dir.join("corpus.jsonl"))?);
    let mut truth = BufWriter::new(File::create(dir.join("truth.jsonl"))?);
    let mut rng = Rng::new(s.seed);
    let story = article(model, &mut rng, (5, 8));
    // Input order: a shuffle of story, copies and others.
    let mut order: Vec<usize> = (0..1 + s.copies + s.others).collect();
    for i in (1..order.len()).rev() {
        let j = rng.below(i + 1);
        order.swap(i, j);
    }
    let mut rep = ViralReport {
        copies: s.copies,
        others: s.others,
        settings: Some(s.clone()),
        ..Default::default()
    };
    let story_day = 60;
    for k in order {
        let (id, art, day, series) = if k == 0 {
            ("story".to_string(), story.clone(), story_day, 0)
        } else if k <= s.copies {
            let c = light_copy(model, &mut rng, &story);
            if c.text() == story.text() {
                rep.unedited_copies += 1;
            }
            let day = story_day + rng.range(1, 4);
            (format!("copy{:04}", k - 1), c, day, k)
        } else {
            let a = article(model, &mut rng, (4, 9));
            let day = rng.below(365);
            (format!("other{:04}", k - 1 - s.copies), a, day, k)
        };
        let text = art.text();
        write_record(&mut corpus, &id, format!("outlet{series:04}"), day, &text)?;
        rep.articles += 1;
        rep.bytes += text.len() as u64;
        if id.starts_with("copy") {
            serde_json::to_writer(
                &mut truth,
                &serde_json::json!({"source": "story", "copy": id, "kind": "viral"}),
            )?;
            truth.write_all(b"\n")?;
        }
    }
    finish(corpus, truth, dir, &rep)?;
    Ok(rep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_light_edits() {
        let texts = vec![
            "The ministry said on Monday that exports rose 12 pct in March. Officials in Tanvor expected a further rise. The bank said prices were stable.".to_string(),
            "Exports rose sharply in March, the ministry said. The bank said on Monday that it would cut rates by 50 basis points. Prices were stable in Tanvor.".to_string(),
        ];
        let m = Model::train(&texts);
        let mut rng = Rng::new(3);
        let story = article(&m, &mut rng, (5, 8));
        let words = |a: &Article| -> Vec<String> {
            a.paras
                .iter()
                .flatten()
                .flat_map(|s| s.split(' ').map(str::to_string))
                .collect()
        };
        let sw = words(&story);
        for _ in 0..50 {
            let c = light_copy(&m, &mut rng, &story);
            let cw = words(&c);
            // Most of the story's words survive, in order: count the shared prefix and suffix
            // of the word sequences, which a light edit keeps long.
            let kept = sw.iter().filter(|w| cw.contains(w)).count();
            assert!(kept * 10 >= sw.len() * 7, "{kept} of {}", sw.len());
        }
    }
}
