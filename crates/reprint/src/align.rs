//! Which sentence became which: sentence similarity from IDF-weighted stems,
//! and an assignment that allows reordering, merges (two sentences rewritten
//! into one) and splits (one into two).
//!
//! Everything here is symmetric: swapping the two documents swaps the result,
//! exactly. Ties are broken by keys that do not depend on which side is "a".

use crate::fasthash::FastMap;

use xxhash_rust::xxh3::xxh3_64;

use crate::document::Document;
use crate::settings::Settings;

/// Term weights for one comparison.
pub(crate) struct Weights {
    idf: FastMap<u64, f32>,
    default_idf: f32,
}

impl Weights {
    /// IDF over the sentences of both documents, optionally blended with a
    /// background table.
    pub fn for_pair(a: &Document, b: &Document, settings: &Settings) -> Weights {
        // Document frequencies over the sentences, counted in place of the weights.
        let (sa, sb) = (a.stems(), b.stems());
        let mut idf: FastMap<u64, f32> = FastMap::with_capacity_and_hasher(
            sa.occurrences() + sb.occurrences(),
            Default::default(),
        );
        let mut n = 0u32;
        for (doc, stems) in [(a, sa), (b, sb)] {
            for i in 0..doc.sentences.len() {
                n += 1;
                // Each sentence's content stems, sorted and unique.
                for &(st, _) in stems.sentence(i) {
                    *idf.entry(st).or_default() += 1.0;
                }
            }
        }
        let n = n.max(1) as f32;
        let bg = settings.background.as_deref();
        for (&st, w) in idf.iter_mut() {
            // `*w` counts sentences exactly (a whole number far below 2^24).
            let local = (1.0 + n / *w).ln();
            *w = match bg.and_then(|t| t.idf(st)) {
                Some(g) => 0.5 * local + 0.5 * g,
                None => local,
            };
        }
        Weights {
            idf,
            default_idf: (1.0 + n).ln(),
        }
    }

    pub fn of(&self, stem: u64) -> f32 {
        self.idf.get(&stem).copied().unwrap_or(self.default_idf)
    }
}

/// The content stems of a document's sentences, each with its boost (numbers count 1.5
/// times), sorted by stem and unique, as [`Terms::of_sentences`] orders them: per sentence
/// and for the whole text. Computed once per document; a comparison weighs them.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocStems {
    /// `(stem, boost)` of every sentence, one after another.
    items: Vec<(u64, f32)>,
    /// Where each sentence's items end in `items`.
    ends: Vec<u32>,
    /// `(stem, boost)` of the whole text, computed on first use.
    all: std::sync::OnceLock<Vec<(u64, f32)>>,
}

impl DocStems {
    pub fn of(doc: &Document) -> DocStems {
        let mut items = Vec::new();
        let mut ends = Vec::with_capacity(doc.sentences.len());
        for i in 0..doc.sentences.len() {
            items.extend(Self::sorted(doc, &[i]));
            ends.push(items.len() as u32);
        }
        DocStems {
            items,
            ends,
            all: std::sync::OnceLock::new(),
        }
    }

    /// The content tokens of sentences `idx` as `(stem, weight(stem, boost))`, in order.
    fn collect(doc: &Document, idx: &[usize], weight: impl Fn(u64, f32) -> f32) -> Vec<(u64, f32)> {
        let mut items: Vec<(u64, f32)> = Vec::new();
        for &i in idx {
            for t in doc.sentences[i].tokens(doc) {
                if t.is_content() {
                    let boost = if t.is_number() { 1.5 } else { 1.0 };
                    items.push((t.stem, weight(t.stem, boost)));
                }
            }
        }
        items
    }

    /// `(stem, boost)` of sentences `idx`, sorted and deduplicated exactly as
    /// [`Terms::of_sentences`] does (the same unstable sort on the same keys, so a stem
    /// held by a number and by a word keeps the same boost).
    fn sorted(doc: &Document, idx: &[usize]) -> Vec<(u64, f32)> {
        let mut items = Self::collect(doc, idx, |_, boost| boost);
        items.sort_unstable_by_key(|x| x.0);
        items.dedup_by_key(|x| x.0);
        items
    }

    /// Sentence `i`'s stems.
    pub fn sentence(&self, i: usize) -> &[(u64, f32)] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.items[start..self.ends[i] as usize]
    }

    /// The whole text's stems (`doc` is the document these stems are of).
    pub fn all(&self, doc: &Document) -> &[(u64, f32)] {
        self.all.get_or_init(|| {
            let idx: Vec<usize> = (0..doc.sentences.len()).collect();
            Self::sorted(doc, &idx)
        })
    }

    /// Stem occurrences over all sentences (each sentence's stems counted once).
    pub fn occurrences(&self) -> usize {
        self.items.len()
    }
}

/// A sentence (or group of sentences) as a sorted set of weighted stems.
#[derive(Debug, Clone, Default)]
pub(crate) struct Terms {
    /// (stem, weight), sorted by stem, unique.
    items: Vec<(u64, f32)>,
    total: f32,
}

impl Terms {
    pub fn of_sentences(doc: &Document, idx: &[usize], w: &Weights) -> Terms {
        // One sentence, or all of them in order: the stems are cached in the document.
        let all = idx.len() == doc.sentences.len() && idx.iter().enumerate().all(|(k, &i)| k == i);
        let cached = match idx {
            [i] => Some(doc.stems().sentence(*i)),
            _ if all => Some(doc.stems().all(doc)),
            _ => None,
        };
        if let Some(stems) = cached {
            let items: Vec<(u64, f32)> = stems
                .iter()
                .map(|&(st, boost)| (st, w.of(st) * boost))
                .collect();
            let total = items.iter().map(|x| x.1).sum();
            return Terms { items, total };
        }
        let mut items = DocStems::collect(doc, idx, |st, boost| w.of(st) * boost);
        items.sort_unstable_by_key(|x| x.0);
        items.dedup_by_key(|x| x.0);
        let total = items.iter().map(|x| x.1).sum();
        Terms { items, total }
    }

    fn union(&self, other: &Terms) -> Terms {
        let mut items = Vec::with_capacity(self.items.len() + other.items.len());
        let (mut i, mut j) = (0, 0);
        while i < self.items.len() || j < other.items.len() {
            let take_a = j >= other.items.len()
                || (i < self.items.len() && self.items[i].0 <= other.items[j].0);
            if take_a {
                if j < other.items.len() && other.items[j].0 == self.items[i].0 {
                    j += 1;
                }
                items.push(self.items[i]);
                i += 1;
            } else {
                items.push(other.items[j]);
                j += 1;
            }
        }
        let total = items.iter().map(|x| x.1).sum();
        Terms { items, total }
    }

    /// Weight and count of the shared stems.
    pub fn shared(&self, other: &Terms) -> (f32, usize) {
        let (mut i, mut j, mut w, mut n) = (0, 0, 0.0f32, 0usize);
        while i < self.items.len() && j < other.items.len() {
            let (x, y) = (self.items[i].0, other.items[j].0);
            if x == y {
                w += self.items[i].1;
                n += 1;
                i += 1;
                j += 1;
            } else if x < y {
                i += 1;
            } else {
                j += 1;
            }
        }
        (w, n)
    }

    /// Weighted Dice coefficient.
    pub fn dice(&self, other: &Terms) -> f32 {
        let denom = self.total + other.total;
        if denom <= 0.0 {
            return 0.0;
        }
        2.0 * self.shared(other).0 / denom
    }

    /// Share of `self`'s weight found in `other` but not in `exclude`.
    fn novel_containment(&self, other: &Terms, exclude: &Terms) -> f32 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let mut w = 0.0;
        for &(st, wt) in &self.items {
            let in_other = other.items.binary_search_by_key(&st, |x| x.0).is_ok();
            let in_excl = exclude.items.binary_search_by_key(&st, |x| x.0).is_ok();
            if in_other && !in_excl {
                w += wt;
            }
        }
        w / self.total
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// A set of sentences of A aligned with a set of sentences of B.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    /// Sorted sentence indices.
    pub a: Vec<usize>,
    pub b: Vec<usize>,
    pub score: f32,
}

/// Content key of a sentence, used to break ties the same way whichever
/// document is "a".
fn sentence_key(doc: &Document, i: usize) -> u64 {
    xxh3_64(doc.sentence_text(i).as_bytes())
}

fn exact_key(doc: &Document, i: usize) -> u64 {
    let mut h = 0x9E37_79B9_7F4A_7C15u64;
    for t in doc.sentences[i].tokens(doc) {
        h = (h ^ t.word).wrapping_mul(0x0100_0000_01B3).rotate_left(17);
    }
    h
}

type Order = (std::cmp::Reverse<u32>, usize, usize, u64);

/// A symmetric ordering key for a candidate pair: higher score first, then
/// positions, then content.
fn pair_order(score: f32, i: usize, j: usize, ki: u64, kj: u64) -> Order {
    (
        std::cmp::Reverse(score.to_bits()),
        i + j,
        i.abs_diff(j),
        ki ^ kj,
    )
}

/// Aligns the sentences of two documents.
pub(crate) fn align(a: &Document, b: &Document, w: &Weights, settings: &Settings) -> Vec<Group> {
    let na = a.sentences.len();
    let nb = b.sentences.len();
    let ta: Vec<Terms> = (0..na).map(|i| Terms::of_sentences(a, &[i], w)).collect();
    let tb: Vec<Terms> = (0..nb).map(|j| Terms::of_sentences(b, &[j], w)).collect();
    let ka: Vec<u64> = (0..na).map(|i| sentence_key(a, i)).collect();
    let kb: Vec<u64> = (0..nb).map(|j| sentence_key(b, j)).collect();
    let mut owner_a: Vec<Option<usize>> = vec![None; na];
    let mut owner_b: Vec<Option<usize>> = vec![None; nb];
    let mut groups: Vec<Group> = Vec::new();

    // Phase 0: identical sentences, matched in order (linear even when one
    // sentence repeats thousands of times).
    let mut by_key: FastMap<u64, Vec<usize>> = FastMap::default();
    for i in 0..na {
        by_key.entry(exact_key(a, i)).or_default().push(i);
    }
    let mut used: FastMap<u64, usize> = FastMap::default();
    for (j, owner) in owner_b.iter_mut().enumerate() {
        let k = exact_key(b, j);
        if let Some(list) = by_key.get(&k) {
            let u = used.entry(k).or_default();
            if let Some(&i) = list.get(*u) {
                *u += 1;
                owner_a[i] = Some(groups.len());
                *owner = Some(groups.len());
                groups.push(Group {
                    a: vec![i],
                    b: vec![j],
                    score: 1.0,
                });
            }
        }
    }

    // Phase 1: candidate pairs through an inverted index of stems, with a
    // document-frequency cap so that no stem makes the work quadratic.
    let cands = candidates(&ta, &tb, &owner_a, &owner_b, &ka, &kb, settings);

    // Phase 2: greedy one-to-one on strong pairs: the anchors.
    greedy(
        &cands,
        settings.min_anchor_similarity,
        &mut groups,
        &mut owner_a,
        &mut owner_b,
    );

    // Phase 3: solve each small gap between consecutive anchors for the
    // best total similarity, with weaker pairs allowed.
    let keys = (&ka[..], &kb[..]);
    fill_gaps(
        &cands,
        keys,
        &mut groups,
        &mut owner_a,
        &mut owner_b,
        settings,
    );

    // Phase 3b: pairs strong enough to stand on their own, anywhere, but
    // only when the texts share at least one strong anchor: a lone weak
    // pair between two different stories (the same person quoted on two
    // subjects) is not reuse.
    if !groups.is_empty() {
        greedy(
            &cands,
            settings.min_pair_similarity,
            &mut groups,
            &mut owner_a,
            &mut owner_b,
        );
    }

    // Phase 4: merges and splits: an unaligned sentence joins the group of a
    // neighbour when the other side explains most of its content.
    grow_groups(
        a,
        b,
        w,
        &ta,
        &tb,
        &ka,
        &kb,
        &cands,
        &mut groups,
        &mut owner_a,
        &mut owner_b,
        settings,
    );

    for g in &mut groups {
        g.a.sort_unstable();
        g.b.sort_unstable();
        if g.a.len() > 1 || g.b.len() > 1 {
            let ga = Terms::of_sentences(a, &g.a, w);
            let gb = Terms::of_sentences(b, &g.b, w);
            g.score = ga.dice(&gb);
        }
    }
    groups.sort_by_key(|g| (g.a[0], g.b[0]));
    groups
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Cand {
    pub i: usize,
    pub j: usize,
    pub score: f32,
    pub shared: usize,
    order: Order,
}

fn candidates(
    ta: &[Terms],
    tb: &[Terms],
    owner_a: &[Option<usize>],
    owner_b: &[Option<usize>],
    ka: &[u64],
    kb: &[u64],
    settings: &Settings,
) -> Vec<Cand> {
    let mut postings: FastMap<u64, Vec<u32>> = FastMap::default();
    for (i, t) in ta.iter().enumerate() {
        if owner_a[i].is_none() {
            for &(st, _) in &t.items {
                postings.entry(st).or_default().push(i as u32);
            }
        }
    }
    let df_cap = settings.max_stem_postings;
    let mut pairs: Vec<Cand> = Vec::new();
    let mut acc: FastMap<u32, ()> = FastMap::default();
    for (j, t) in tb.iter().enumerate() {
        if owner_b[j].is_some() {
            continue;
        }
        acc.clear();
        for &(st, _) in &t.items {
            if let Some(list) = postings.get(&st) {
                if list.len() <= df_cap {
                    for &i in list {
                        acc.insert(i, ());
                    }
                }
            }
        }
        for &i in acc.keys() {
            let i = i as usize;
            let (sw, n) = ta[i].shared(t);
            let denom = ta[i].total + t.total;
            let score = if denom > 0.0 { 2.0 * sw / denom } else { 0.0 };
            if score >= settings.min_candidate_similarity {
                pairs.push(Cand {
                    i,
                    j,
                    score,
                    shared: n,
                    order: pair_order(score, i, j, ka[i], kb[j]),
                });
            }
        }
    }
    pairs.sort_by_key(|c| c.order);
    // Keep each sentence's best few partners (on either side).
    let keep = settings.max_partners;
    let mut per_a = vec![0usize; ta.len()];
    let mut per_b = vec![0usize; tb.len()];
    let mut keep_flags = vec![false; pairs.len()];
    for (k, c) in pairs.iter().enumerate() {
        if per_a[c.i] < keep || per_b[c.j] < keep {
            keep_flags[k] = true;
        }
        per_a[c.i] += 1;
        per_b[c.j] += 1;
    }
    let mut flags = keep_flags.into_iter();
    pairs.retain(|_| flags.next().unwrap_or(false));
    pairs
}

fn greedy(
    cands: &[Cand],
    min: f32,
    groups: &mut Vec<Group>,
    owner_a: &mut [Option<usize>],
    owner_b: &mut [Option<usize>],
) {
    for c in cands {
        if c.score < min || c.shared < 2 && c.score < 0.6 {
            continue;
        }
        if owner_a[c.i].is_none() && owner_b[c.j].is_none() {
            owner_a[c.i] = Some(groups.len());
            owner_b[c.j] = Some(groups.len());
            groups.push(Group {
                a: vec![c.i],
                b: vec![c.j],
                score: c.score,
            });
        }
    }
}

fn fill_gaps(
    cands: &[Cand],
    keys: (&[u64], &[u64]),
    groups: &mut Vec<Group>,
    owner_a: &mut [Option<usize>],
    owner_b: &mut [Option<usize>],
    settings: &Settings,
) {
    if groups.is_empty() {
        return;
    }
    let (na, nb) = (owner_a.len(), owner_b.len());
    // Anchors in A order, with virtual anchors at both ends.
    let mut anchors: Vec<(isize, isize)> = groups
        .iter()
        .map(|g| (g.a[0] as isize, g.b[0] as isize))
        .collect();
    anchors.push((-1, -1));
    anchors.push((na as isize, nb as isize));
    anchors.sort_unstable();
    let mut by_pair: FastMap<(usize, usize), f32> = FastMap::default();
    for c in cands {
        if c.score >= settings.min_gap_similarity {
            by_pair.insert((c.i, c.j), c.score);
        }
    }
    let mut by_b: Vec<isize> = anchors.iter().map(|x| x.1).collect();
    by_b.sort_unstable();
    for w in anchors.windows(2) {
        let ((i0, j0), (i1, j1)) = (w[0], w[1]);
        if j1 <= j0 || (i0 < 0 && i1 >= na as isize) {
            continue; // crossing anchors, or no real anchor at all
        }
        // The two anchors must be neighbours in B's order too.
        if by_b.partition_point(|&j| j <= j0) != by_b.partition_point(|&j| j < j1) {
            continue;
        }
        let ra: Vec<usize> = ((i0 + 1)..i1)
            .map(|x| x as usize)
            .filter(|&x| owner_a[x].is_none())
            .collect();
        let rb: Vec<usize> = ((j0 + 1)..j1)
            .map(|x| x as usize)
            .filter(|&x| owner_b[x].is_none())
            .collect();
        if ra.is_empty()
            || rb.is_empty()
            || ra.len() > settings.max_gap
            || rb.len() > settings.max_gap
        {
            continue;
        }
        let mut best = Best {
            sum: 0.0,
            tie: u64::MAX,
            pairs: Vec::new(),
        };
        let mut current = Vec::new();
        let mut search = GapSearch {
            ra: &ra,
            rb: &rb,
            w: &by_pair,
            keys,
            used: vec![false; rb.len()],
        };
        search.run(0, 0.0, &mut current, &mut best);
        for (i, j) in best.pairs {
            let score = by_pair[&(i, j)];
            owner_a[i] = Some(groups.len());
            owner_b[j] = Some(groups.len());
            groups.push(Group {
                a: vec![i],
                b: vec![j],
                score,
            });
        }
    }
}

/// The best one-to-one matching found so far in a gap: the highest total
/// similarity, ties broken by a key that does not depend on which document
/// is "a" (the sum of the XORed sentence keys of its pairs).
struct Best {
    sum: f32,
    tie: u64,
    pairs: Vec<(usize, usize)>,
}

/// Exhaustive maximum-weight matching on a tiny gap (at most a few
/// sentences a side).
struct GapSearch<'g> {
    ra: &'g [usize],
    rb: &'g [usize],
    w: &'g FastMap<(usize, usize), f32>,
    keys: (&'g [u64], &'g [u64]),
    used: Vec<bool>,
}

impl GapSearch<'_> {
    fn run(&mut self, k: usize, sum: f32, current: &mut Vec<(usize, usize)>, best: &mut Best) {
        if k == self.ra.len() {
            let tie = current.iter().fold(0u64, |acc, &(i, j)| {
                acc.wrapping_add(self.keys.0[i] ^ self.keys.1[j])
            });
            if sum > best.sum || sum == best.sum && sum > 0.0 && tie < best.tie {
                best.sum = sum;
                best.tie = tie;
                best.pairs = current.clone();
            }
            return;
        }
        self.run(k + 1, sum, current, best);
        for m in 0..self.rb.len() {
            if self.used[m] {
                continue;
            }
            let (i, j) = (self.ra[k], self.rb[m]);
            if let Some(&x) = self.w.get(&(i, j)) {
                self.used[m] = true;
                current.push((i, j));
                self.run(k + 1, sum + x, current, best);
                current.pop();
                self.used[m] = false;
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn grow_groups(
    a: &Document,
    b: &Document,
    w: &Weights,
    ta: &[Terms],
    tb: &[Terms],
    ka: &[u64],
    kb: &[u64],
    cands: &[Cand],
    groups: &mut [Group],
    owner_a: &mut [Option<usize>],
    owner_b: &mut [Option<usize>],
    settings: &Settings,
) {
    // Every unaligned neighbour of a group is a proposal. Proposals are
    // ranked once by how much of the sentence the group's other side
    // explains, then applied in order, each re-checked against the group as
    // it stands. A few passes let groups of three form. Work is linear in
    // the number of groups per pass.
    let _ = cands;
    for _pass in 0..3 {
        let mut proposals: Vec<(Order, bool, usize, usize)> = Vec::new();
        for (g, grp) in groups.iter().enumerate() {
            for side_a in [true, false] {
                let (same, other, owner, n) = if side_a {
                    (&grp.a, &grp.b, &*owner_a, owner_a.len())
                } else {
                    (&grp.b, &grp.a, &*owner_b, owner_b.len())
                };
                if same.len() >= settings.max_group {
                    continue;
                }
                let lo = same.iter().min().copied().unwrap_or(0);
                let hi = same.iter().max().copied().unwrap_or(0);
                for x in [lo.checked_sub(1), Some(hi + 1)].into_iter().flatten() {
                    if x >= n || owner[x].is_some() {
                        continue;
                    }
                    let (doc_x, doc_y) = if side_a { (a, b) } else { (b, a) };
                    let tx = if side_a { &ta[x] } else { &tb[x] };
                    let t_other = Terms::of_sentences(doc_y, other, w);
                    let t_same = Terms::of_sentences(doc_x, same, w);
                    let novel = tx.novel_containment(&t_other, &t_same);
                    if novel < settings.min_merge_containment {
                        continue;
                    }
                    let y = other[0];
                    let (kx, ky) = if side_a {
                        (ka[x], kb[y])
                    } else {
                        (kb[x], ka[y])
                    };
                    proposals.push((pair_order(novel, x, y, kx, ky), side_a, x, g));
                }
            }
        }
        if proposals.is_empty() {
            break;
        }
        proposals.sort_by_key(|p| p.0);
        let mut changed = false;
        for (_, side_a, x, g) in proposals {
            let own_x = if side_a { &*owner_a } else { &*owner_b };
            if own_x[x].is_some() {
                continue;
            }
            let grp = &groups[g];
            let (same_side, other_side) = if side_a {
                (&grp.a, &grp.b)
            } else {
                (&grp.b, &grp.a)
            };
            if same_side.len() >= settings.max_group
                || !same_side.iter().any(|&m| m.abs_diff(x) == 1)
            {
                continue;
            }
            let (doc_x, doc_y) = if side_a { (a, b) } else { (b, a) };
            let tx = if side_a { &ta[x] } else { &tb[x] };
            let t_other = Terms::of_sentences(doc_y, other_side, w);
            let t_same = Terms::of_sentences(doc_x, same_side, w);
            if tx.novel_containment(&t_other, &t_same) < settings.min_merge_containment {
                continue;
            }
            if t_same.union(tx).dice(&t_other) <= t_same.dice(&t_other) {
                continue;
            }
            if side_a {
                groups[g].a.push(x);
                owner_a[x] = Some(g);
            } else {
                groups[g].b.push(x);
                owner_b[x] = Some(g);
            }
            changed = true;
        }
        if !changed {
            break;
        }
    }
}

/// Similarity of two standalone sentences (or short texts), in `[0, 1]`.
pub(crate) fn text_similarity(a: &Document, b: &Document, settings: &Settings) -> f32 {
    let w = Weights::for_pair(a, b, settings);
    let ia: Vec<usize> = (0..a.sentences.len()).collect();
    let ib: Vec<usize> = (0..b.sentences.len()).collect();
    let ta = Terms::of_sentences(a, &ia, &w);
    let tb = Terms::of_sentences(b, &ib, &w);
    if ta.is_empty() && tb.is_empty() {
        return 0.0;
    }
    ta.dice(&tb)
}
