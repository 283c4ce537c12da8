//! reprint
mod align;
mod changes;
mod compare;
mod document;
mod error;
mod normalize;
mod passages;
mod settings;
mod span;
mod tokens;
pub use changes::{Change, ChangeKind, Edit, EditOp};
pub use compare::{
    AlignKind, Alignment, Comparer, Comparison, Direction, DocInfo, Hints, Label, Passage, Source,
    Unmatched, Verdict,
};
pub use document::Document;
pub use error::{Error, Result};
pub use settings::{IdfTable, Options, Settings};
pub use span::Span;
