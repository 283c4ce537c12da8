//! `compare` on arbitrary byte pairs (split at the first 0xFF 0x00 pair, else in the
//! middle): no panic, spans inside their inputs, scores in range.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reprint::{Comparer, Document};

fuzz_target!(|data: &[u8]| {
    let cut = data
        .windows(2)
        .position(|w| w == [0xFF, 0x00])
        .map_or(data.len() / 2, |i| i);
    let (a, b) = (&data[..cut], &data[(cut + 2).min(data.len())..]);
    let (Ok(da), Ok(db)) = (Document::from_bytes("a", a), Document::from_bytes("b", b)) else {
        return;
    };
    let c = Comparer::default().compare(&da, &db);
    assert!((0.0..=1.0).contains(&c.verdict.score), "{}", c.verdict.score);
    assert!((0.0..=1.0).contains(&c.direction.confidence));
    for p in &c.passages {
        assert!(p.a.end <= a.len() && p.b.end <= b.len(), "{p:?}");
        assert!(p.a.start <= p.a.end && p.b.start <= p.b.end);
    }
    for al in &c.alignments {
        assert!(al.a.end <= a.len() && al.b.end <= b.len());
    }
});
