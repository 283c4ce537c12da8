//! The scan's JSONL reader on arbitrary bytes, plain or gzipped (first byte odd): no panic,
//! no hang, and what it keeps is well formed (checked inside `read_jsonl`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    reprint::fuzzing::read_jsonl(rest, mode & 1 == 1);
});
