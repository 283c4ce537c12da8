//! Clusters: connected components of verified pairs, each with a root (the likely original)
//! and cascade edges (a spanning tree from the root).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use crate::direction::Basis;

/// Which text of a verified pair is the source, as the comparison judged it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    A,
    B,
    Unknown,
}

/// A verified pair, compact.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edge {
    pub a: u32,
    pub b: u32,
    pub score: f32,
    pub dir: Dir,
    pub confidence: f32,
    /// What the direction rests on.
    pub basis: Basis,
}

/// Why an edge of the cascade points the way it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// The parent is dated earlier than the child.
    Date,
    /// The parent's news dateline is dated earlier than the child's.
    Dateline,
    /// The comparison of the two texts says the parent is the source (no
    /// content signal is measured good enough today, so this does not occur).
    Text,
    /// Neither: the edge only links the child to the tree.
    Tree,
}

/// How the root of a cluster was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RootBy {
    /// The earliest dated member.
    Date,
    /// Inferred from the pairs' directions (no dates).
    Direction,
    /// No dates and no direction: the first member in input order.
    InputOrder,
}

/// One cluster, in document indices.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cluster {
    pub members: Vec<u32>,
    pub root: u32,
    pub root_by: RootBy,
    /// (parent, child, score, evidence)
    pub edges: Vec<(u32, u32, f32, Evidence)>,
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[x as usize];
        parent[x as usize] = parent[p as usize];
        x = p;
    }
    x
}

#[derive(PartialEq)]
struct Cand {
    score: f32,
    node: u32,
    parent: u32,
    edge: usize,
}
impl Eq for Cand {}
impl PartialOrd for Cand {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Cand {
    fn cmp(&self, o: &Self) -> Ordering {
        self.score
            .total_cmp(&o.score)
            .then_with(|| o.node.cmp(&self.node))
            .then_with(|| o.parent.cmp(&self.parent))
    }
}

/// Groups verified pairs into clusters. `day(d)` is a document's date in days, if any.
/// Clusters come out ordered by their smallest member.
pub(crate) fn clusters(
    n_docs: usize,
    edges: &[Edge],
    day: impl Fn(u32) -> Option<i32>,
) -> Vec<Cluster> {
    let mut parent: Vec<u32> = (0..n_docs as u32).collect();
    for e in edges {
        let (ra, rb) = (find(&mut parent, e.a), find(&mut parent, e.b));
        if ra != rb {
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            parent[hi as usize] = lo;
        }
    }
    // Component of each edge, and members of each component.
    let mut by_comp: HashMap<u32, (Vec<u32>, Vec<usize>)> = HashMap::new();
    for (i, e) in edges.iter().enumerate() {
        let r = find(&mut parent, e.a);
        by_comp.entry(r).or_default().1.push(i);
    }
    for d in 0..n_docs as u32 {
        let r = find(&mut parent, d);
        if let Some(c) = by_comp.get_mut(&r) {
            c.0.push(d);
        }
    }
    let mut comps: Vec<_> = by_comp.into_iter().collect();
    comps.sort_unstable_by_key(|c| c.0);
    comps
        .into_iter()
        .map(|(_, (members, edge_ids))| one_cluster(members, &edge_ids, edges, &day))
        .collect()
}

fn one_cluster(
    members: Vec<u32>,
    edge_ids: &[usize],
    edges: &[Edge],
    day: &impl Fn(u32) -> Option<i32>,
) -> Cluster {
    // Direction score: + for being judged the source, - for being judged derived.
    let mut dir_score: HashMap<u32, f32> = HashMap::new();
    let mut any_dir = false;
    for &i in edge_ids {
        let e = &edges[i];
        let c = e.confidence.max(0.01);
        match e.dir {
            Dir::A => {
                *dir_score.entry(e.a).or_default() += c;
                *dir_score.entry(e.b).or_default() -= c;
                any_dir = true;
            }
            Dir::B => {
                *dir_score.entry(e.b).or_default() += c;
                *dir_score.entry(e.a).or_default() -= c;
                any_dir = true;
            }
            Dir::Unknown => {}
        }
    }
    let ds = |d: u32| dir_score.get(&d).copied().unwrap_or(0.0);
    let dated = members
        .iter()
        .filter_map(|&m| day(m).map(|t| (t, m)))
        .min_by(|x, y| {
            x.0.cmp(&y.0)
                .then_with(|| ds(y.1).total_cmp(&ds(x.1)))
                .then_with(|| x.1.cmp(&y.1))
        });
    let (root, root_by) = if let Some((_, m)) = dated {
        (m, RootBy::Date)
    } else if any_dir {
        let best = members
            .iter()
            .copied()
            .max_by(|&x, &y| ds(x).total_cmp(&ds(y)).then_with(|| y.cmp(&x)))
            .unwrap_or(members[0]);
        (best, RootBy::Direction)
    } else {
        (members[0], RootBy::InputOrder)
    };

    // Maximum spanning tree from the root (Prim), edges oriented parent -> child.
    let mut adj: HashMap<u32, Vec<usize>> = HashMap::new();
    for &i in edge_ids {
        adj.entry(edges[i].a).or_default().push(i);
        adj.entry(edges[i].b).or_default().push(i);
    }
    let mut in_tree: HashMap<u32, bool> = members.iter().map(|&m| (m, false)).collect();
    let mut heap = BinaryHeap::new();
    let mut tree = Vec::with_capacity(members.len().saturating_sub(1));
    let push_from = |node: u32, heap: &mut BinaryHeap<Cand>, in_tree: &HashMap<u32, bool>| {
        for &i in adj.get(&node).map(Vec::as_slice).unwrap_or(&[]) {
            let e = &edges[i];
            let other = if e.a == node { e.b } else { e.a };
            if !in_tree.get(&other).copied().unwrap_or(true) {
                heap.push(Cand {
                    score: e.score,
                    node: other,
                    parent: node,
                    edge: i,
                });
            }
        }
    };
    in_tree.insert(root, true);
    push_from(root, &mut heap, &in_tree);
    while let Some(c) = heap.pop() {
        if in_tree.get(&c.node).copied().unwrap_or(true) {
            continue;
        }
        in_tree.insert(c.node, true);
        let e = &edges[c.edge];
        let evidence = match (day(c.parent), day(c.node)) {
            (Some(p), Some(n)) if p < n => Evidence::Date,
            _ => {
                let parent_is_source =
                    (e.dir == Dir::A && e.a == c.parent) || (e.dir == Dir::B && e.b == c.parent);
                match (parent_is_source, e.basis) {
                    (false, _) | (_, Basis::None) => Evidence::Tree,
                    // Dated apart within one day: the comparison ordered the date-times.
                    (true, Basis::Dates) => Evidence::Date,
                    (true, Basis::Datelines) => Evidence::Dateline,
                    (true, Basis::Content) => Evidence::Text,
                }
            }
        };
        tree.push((c.parent, c.node, c.score, evidence));
        push_from(c.node, &mut heap, &in_tree);
    }
    Cluster {
        members,
        root,
        root_by,
        edges: tree,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(a: u32, b: u32, score: f32, dir: Dir) -> Edge {
        Edge {
            a,
            b,
            score,
            dir,
            confidence: 0.8,
            basis: if dir == Dir::Unknown {
                Basis::None
            } else {
                Basis::Datelines
            },
        }
    }

    #[test]
    fn components_roots_and_trees() {
        // {0,2,5} and {3,4}; 1 alone.
        let edges = [
            e(0, 2, 0.9, Dir::B),
            e(2, 5, 0.7, Dir::A),
            e(0, 5, 0.5, Dir::Unknown),
            e(3, 4, 0.6, Dir::B),
        ];
        let days = [Some(10), None, Some(5), None, None, Some(7)];
        let cs = clusters(6, &edges, |d| days[d as usize]);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].members, vec![0, 2, 5]);
        assert_eq!(cs[0].root, 2);
        assert_eq!(cs[0].root_by, RootBy::Date);
        assert_eq!(cs[0].edges.len(), 2);
        assert!(cs[0].edges.contains(&(2, 0, 0.9, Evidence::Date)));
        assert!(cs[0].edges.contains(&(2, 5, 0.7, Evidence::Date)));
        // No dates: the direction decides (4 is the source of 3).
        assert_eq!(cs[1].members, vec![3, 4]);
        assert_eq!(cs[1].root, 4);
        assert_eq!(cs[1].root_by, RootBy::Direction);
        assert_eq!(cs[1].edges, vec![(4, 3, 0.6, Evidence::Dateline)]);
    }

    #[test]
    fn edge_evidence_follows_the_direction_basis() {
        // Same day: the comparison ordered the date-times, so the edge rests on dates.
        let mut timed = e(0, 1, 0.9, Dir::A);
        timed.basis = Basis::Dates;
        let cs = clusters(2, &[timed], |_| Some(3));
        assert_eq!(cs[0].edges, vec![(0, 1, 0.9, Evidence::Date)]);
        // Undirected pair: only a link.
        let cs = clusters(2, &[e(0, 1, 0.9, Dir::Unknown)], |_| None);
        assert_eq!(cs[0].edges, vec![(0, 1, 0.9, Evidence::Tree)]);
    }

    #[test]
    fn no_evidence_falls_back_to_input_order() {
        let cs = clusters(3, &[e(2, 1, 0.5, Dir::Unknown)], |_| None);
        assert_eq!(cs[0].root, 1);
        assert_eq!(cs[0].root_by, RootBy::InputOrder);
        assert_eq!(cs[0].edges, vec![(1, 2, 0.5, Evidence::Tree)]);
    }
}
