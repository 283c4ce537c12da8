//! Sinks: where verified pairs, clusters and the summary go, as they are produced.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::value::RawValue;

use super::cluster::{Cluster, Evidence, RootBy};
use super::dups::Link;
use super::input::Corpus;
use super::verify::Verified;
use super::ScanSummary;
use crate::error::{Error, Result};

/// One verified pair, as handed to a sink.
#[derive(Debug, Clone, Copy)]
pub struct VerifiedPair<'a> {
    /// Id of the first document (earlier in input order).
    pub a: &'a str,
    /// Id of the second document.
    pub b: &'a str,
    /// The verdict label.
    pub label: &'a str,
    /// The verdict score.
    pub score: f32,
    /// The whole pair as one line of JSON (the `pairs.jsonl` record).
    pub json: &'a str,
}

/// A document as it appears in the output.
#[derive(Debug, Clone, Serialize)]
pub struct DocRef<'a> {
    /// The document id.
    pub id: &'a str,
    /// The series (outlet), if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<&'a str>,
    /// The date exactly as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<&'a str>,
    /// Other fields of the input record, passed through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<&'a RawValue>,
}

/// A cascade edge: `from` is the likely source of `to`.
#[derive(Debug, Clone, Serialize)]
pub struct CascadeEdge<'a> {
    /// The parent (source side).
    pub from: &'a str,
    /// The child (derived side).
    pub to: &'a str,
    /// The verified pair's score.
    pub score: f32,
    /// What orients the edge.
    pub evidence: Evidence,
}

/// One cluster, as written to `clusters.jsonl`.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterRecord<'a> {
    /// Cluster id, `c1`, `c2`, ... in order of the clusters' first member in the input.
    pub cluster: String,
    /// Number of members.
    pub size: usize,
    /// The likely original.
    pub root: &'a str,
    /// How the root was chosen.
    pub root_by: RootBy,
    /// Members in input order.
    pub members: Vec<DocRef<'a>>,
    /// A spanning tree from the root over verified pairs, strongest pairs first.
    pub edges: Vec<CascadeEdge<'a>>,
    /// The duplicate families inside the cluster (omitted when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub families: Vec<FamilyRecord<'a>>,
}

/// A duplicate family: documents that are exact or near copies of its representative.
#[derive(Debug, Clone, Serialize)]
pub struct FamilyRecord<'a> {
    /// The member that stood for the family in the n-gram and rare-term stages: the earliest
    /// dated, else the first read.
    pub representative: &'a str,
    /// Number of members, the representative included.
    pub size: usize,
    /// The other members, in input order, each with how it was linked.
    pub members: Vec<FamilyMember<'a>>,
}

/// A family member other than the representative.
#[derive(Debug, Clone, Serialize)]
pub struct FamilyMember<'a> {
    /// The document id.
    pub id: &'a str,
    /// `exact` (same normalised words) or `near`.
    pub link: Link,
    /// Estimated resemblance to the representative (share of equal MinHash bins; 1 when exact).
    pub similarity: f32,
}

/// Where a scan's results go. Pairs arrive in a deterministic order.
pub trait ScanSink {
    /// A verified pair.
    fn pair(&mut self, pair: &VerifiedPair<'_>) -> Result<()>;
    /// A cluster (all pairs have been given before the first cluster).
    fn cluster(&mut self, cluster: &ClusterRecord<'_>) -> Result<()>;
    /// The summary, last.
    fn summary(&mut self, summary: &ScanSummary) -> Result<()>;
}

/// The output files, in the order they are put in place; `summary.json` is last.
const OUTPUTS: [&str; 3] = ["pairs.jsonl", "clusters.jsonl", "summary.json"];

/// The temporary name an output is written under until the run finishes.
fn partial(name: &str) -> String {
    format!("{name}.partial")
}

/// Held while a directory's outputs are put in place or abandoned, so an interruption
/// (a signal handler calling [`DirSink::abandon`]) never interleaves with the renames.
static COMMIT: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Writes `pairs.jsonl`, `clusters.jsonl` and `summary.json` into a directory, so that the
/// directory never holds a mix of two runs or a result that looks complete and is not.
///
/// While the scan runs, results stream into `pairs.jsonl.partial` and
/// `clusters.jsonl.partial`, and a marker file [`DirSink::MARKER`] says a run is under
/// way; the previous result, if any, is untouched. When the summary arrives, the old
/// `summary.json` is removed, the new files are renamed into place, `summary.json` last, and
/// the marker is removed. So `summary.json` without a marker is a complete result, and
/// after a failure, an interruption or a kill the directory holds the previous complete
/// result or no `summary.json`, and the marker says the run did not finish. A sink dropped
/// before its summary (a failed scan) removes its partial files and leaves the marker.
#[derive(Debug)]
pub struct DirSink {
    dir: PathBuf,
    pairs: BufWriter<File>,
    clusters: BufWriter<File>,
    done: bool,
}

impl DirSink {
    /// The marker file kept in the directory while a run has not finished.
    pub const MARKER: &'static str = "INCOMPLETE";

    /// Creates the directory if needed, removes partial files an earlier interrupted run
    /// left, writes the marker and opens the partial output files.
    pub fn create(dir: &Path) -> Result<DirSink> {
        let shown = || dir.display().to_string();
        if dir.exists() && !dir.is_dir() {
            return Err(Error::Input {
                path: shown(),
                message: "exists and is not a directory: the output must be a directory \
                          (it receives pairs.jsonl, clusters.jsonl and summary.json)"
                    .into(),
            });
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(shown(), e))?;
        for name in OUTPUTS {
            remove_if_present(&dir.join(partial(name)))?;
        }
        let marker = dir.join(Self::MARKER);
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let note = format!(
            "A reprint scan (process {}, started at {started} s since 1970) is writing here and \
             has not finished.\nIf this file is still here, that run failed or was \
             interrupted: summary.json, if present, is from an earlier complete run, and \
             *.partial files are unfinished output.\n",
            std::process::id()
        );
        std::fs::write(&marker, note).map_err(|e| Error::io(marker.display().to_string(), e))?;
        let open = |name: &str| -> Result<BufWriter<File>> {
            let p = dir.join(partial(name));
            let f = File::create(&p).map_err(|e| Error::io(p.display().to_string(), e))?;
            Ok(BufWriter::with_capacity(1 << 20, f))
        };
        Ok(DirSink {
            dir: dir.to_path_buf(),
            pairs: open(OUTPUTS[0])?,
            clusters: open(OUTPUTS[1])?,
            done: false,
        })
    }

    fn err(&self, name: &str, e: std::io::Error) -> Error {
        Error::io(self.dir.join(partial(name)).display().to_string(), e)
    }

    /// Marks a run in `dir` as not finished: removes its partial files and rewrites the
    /// marker with `why`. Returns `false` (and does nothing) when no run is under way there,
    /// e.g. because it has just finished. Safe to call from another thread while the run
    /// goes on (a signal handler does, before the process exits).
    pub fn abandon(dir: &Path, why: &str) -> bool {
        let _held = COMMIT.lock().unwrap_or_else(|e| e.into_inner());
        let marker = dir.join(DirSink::MARKER);
        if !marker.exists() {
            return false;
        }
        for name in OUTPUTS {
            let _ = std::fs::remove_file(dir.join(partial(name)));
        }
        let previous = if dir.join("summary.json").exists() {
            "summary.json and the files beside it are from an earlier complete run."
        } else {
            "There is no complete result here."
        };
        let note = format!("A reprint scan did not finish: {why}.\n{previous}\n");
        let _ = std::fs::write(&marker, note);
        true
    }

    /// Puts the finished outputs in place (see the type's docs for the order).
    fn commit(&mut self, summary_text: &str) -> Result<()> {
        let sync = |w: &mut BufWriter<File>| w.flush().and_then(|_| w.get_ref().sync_all());
        sync(&mut self.pairs).map_err(|e| self.err(OUTPUTS[0], e))?;
        sync(&mut self.clusters).map_err(|e| self.err(OUTPUTS[1], e))?;
        let p = self.dir.join(partial(OUTPUTS[2]));
        File::create(&p)
            .and_then(|mut f| {
                f.write_all(summary_text.as_bytes())
                    .and_then(|_| f.sync_all())
            })
            .map_err(|e| Error::io(p.display().to_string(), e))?;
        let _held = COMMIT.lock().unwrap_or_else(|e| e.into_inner());
        let marker = self.dir.join(Self::MARKER);
        if !marker.exists() {
            // Abandoned meanwhile (interrupted): the partial files are gone.
            return Err(Error::Input {
                path: self.dir.display().to_string(),
                message: "the run was interrupted before its results were put in place".into(),
            });
        }
        remove_if_present(&self.dir.join(OUTPUTS[2]))?;
        for name in OUTPUTS {
            let (from, to) = (self.dir.join(partial(name)), self.dir.join(name));
            std::fs::rename(&from, &to).map_err(|e| Error::io(to.display().to_string(), e))?;
        }
        remove_if_present(&marker)?;
        self.done = true;
        Ok(())
    }
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(Error::io(path.display().to_string(), e))
        }
        _ => Ok(()),
    }
}

impl Drop for DirSink {
    fn drop(&mut self) {
        if !self.done {
            DirSink::abandon(&self.dir, "the scan stopped with an error");
        }
    }
}

impl ScanSink for DirSink {
    fn pair(&mut self, pair: &VerifiedPair<'_>) -> Result<()> {
        let r = self
            .pairs
            .write_all(pair.json.as_bytes())
            .and_then(|_| self.pairs.write_all(b"\n"));
        r.map_err(|e| self.err(OUTPUTS[0], e))
    }

    fn cluster(&mut self, cluster: &ClusterRecord<'_>) -> Result<()> {
        let r = serde_json::to_writer(&mut self.clusters, cluster)
            .map_err(std::io::Error::from)
            .and_then(|_| self.clusters.write_all(b"\n"));
        r.map_err(|e| self.err(OUTPUTS[1], e))
    }

    fn summary(&mut self, summary: &ScanSummary) -> Result<()> {
        let text =
            serde_json::to_string_pretty(summary).map_err(|e| self.err(OUTPUTS[2], e.into()))?;
        self.commit(&(text + "\n"))
    }
}

/// Keeps everything in memory (for tests and library users with small corpora).
#[derive(Debug, Default)]
pub struct MemorySink {
    /// `pairs.jsonl` lines.
    pub pairs: Vec<String>,
    /// `clusters.jsonl` lines.
    pub clusters: Vec<String>,
    /// The summary as JSON.
    pub summary: Option<String>,
}

impl ScanSink for MemorySink {
    fn pair(&mut self, pair: &VerifiedPair<'_>) -> Result<()> {
        self.pairs.push(pair.json.to_string());
        Ok(())
    }
    fn cluster(&mut self, cluster: &ClusterRecord<'_>) -> Result<()> {
        self.clusters
            .push(serde_json::to_string(cluster).unwrap_or_default());
        Ok(())
    }
    fn summary(&mut self, summary: &ScanSummary) -> Result<()> {
        self.summary = serde_json::to_string(summary).ok();
        Ok(())
    }
}

pub(crate) fn doc_ref(corpus: &Corpus, d: usize) -> DocRef<'_> {
    let m = &corpus.docs[d];
    DocRef {
        id: &m.id,
        series: corpus.series_name(d),
        date: m.date.as_deref(),
        fields: m.extra.as_deref(),
    }
}

#[derive(Serialize)]
struct PairLine<'a> {
    a: DocRef<'a>,
    b: DocRef<'a>,
    label: &'a str,
    score: f32,
    shared: Shared,
    #[serde(skip_serializing_if = "Option::is_none")]
    duplicate: Option<Duplicate>,
    comparison: Option<&'a RawValue>,
}

/// On a pair between a family's representative and a member: how the member was linked.
#[derive(Serialize)]
struct Duplicate {
    link: Link,
    similarity: f32,
}

#[derive(Serialize)]
struct Shared {
    ngrams: u32,
    rare_terms: u32,
}

/// The `pairs.jsonl` line for a verified pair; `dup` (link, estimated resemblance) for a
/// pair of a duplicate family's representative and a member.
pub(crate) fn pair_line(
    a: DocRef<'_>,
    b: DocRef<'_>,
    (ngrams, rare): (u32, u32),
    v: &Verified,
    dup: Option<(Link, f32)>,
) -> String {
    let comparison = serde_json::from_str::<&RawValue>(&v.json).ok();
    let line = PairLine {
        a,
        b,
        label: v.label.name(),
        score: v.score,
        shared: Shared {
            ngrams,
            rare_terms: rare,
        },
        duplicate: dup.map(|(link, similarity)| Duplicate { link, similarity }),
        comparison,
    };
    serde_json::to_string(&line).unwrap_or_default()
}

pub(crate) fn cluster_record<'a>(
    corpus: &'a Corpus,
    number: usize,
    c: &Cluster,
) -> ClusterRecord<'a> {
    cluster_record_with(number, c, |d| doc_ref(corpus, d as usize))
}

/// [`cluster_record`] with each document's reference given by `doc`.
pub(crate) fn cluster_record_with<'a>(
    number: usize,
    c: &Cluster,
    doc: impl Fn(u32) -> DocRef<'a>,
) -> ClusterRecord<'a> {
    let id = |d: u32| -> &'a str { doc(d).id };
    ClusterRecord {
        cluster: format!("c{number}"),
        size: c.members.len(),
        root: id(c.root),
        root_by: c.root_by,
        members: c.members.iter().map(|&m| doc(m)).collect(),
        edges: c
            .edges
            .iter()
            .map(|&(from, to, score, evidence)| CascadeEdge {
                from: id(from),
                to: id(to),
                score,
                evidence,
            })
            .collect(),
        families: Vec::new(),
    }
}
