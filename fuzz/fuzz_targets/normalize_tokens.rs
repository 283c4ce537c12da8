//! Normalisation, tokenising and sentence splitting of arbitrary bytes: no panic, and every
//! sentence span lies inside the input on character boundaries when the input is UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reprint::Document;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = Document::from_bytes("fuzz", data) else {
        return;
    };
    assert!(doc.word_count() > 0);
    let utf8 = std::str::from_utf8(data).ok();
    let mut last_end = 0;
    for span in doc.sentence_spans() {
        assert!(span.start <= span.end && span.end <= data.len(), "{span:?}");
        assert!(span.start >= last_end, "sentences overlap: {span:?}");
        last_end = span.end;
        if let Some(text) = utf8 {
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
    }
    let _ = doc.repaired_text();
});
