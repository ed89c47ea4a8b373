//! CMap programs from arbitrary bytes: parsing, splitting the same bytes into codes with the
//! parsed codespace ranges, looking the codes up, and merging a second CMap underneath.
#![no_main]

use gongkai::pdf::cmap::CMap;
use libfuzzer_sys::fuzz_target;

/// Codes looked up with every length 0..=5, whatever the input.
const CODES: [u32; 7] = [0, 0x20, 0xff, 0x100, 0x8140, 0xffff, u32::MAX];

fn exercise(cm: &CMap, data: &[u8]) {
    let _ = (cm.name(), cm.usecmap_name(), cm.vertical());
    let _ = (cm.is_empty(), cm.has_codespace());
    let mut rest = data;
    while !rest.is_empty() {
        let (code, len) = cm.next_code(rest);
        assert!(
            (1..=rest.len().min(4)).contains(&len),
            "next_code consumed {len} of {} bytes",
            rest.len()
        );
        let _ = cm.lookup(code, len);
        rest = &rest[len..];
    }
    for len in 0..=5 {
        for code in CODES {
            let _ = cm.lookup(code, len);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let cm = CMap::parse(data);
    exercise(&cm, data);
    // `usecmap` with an embedded parent: the second half of the input becomes the child.
    let mut child = CMap::parse(&data[data.len() / 2..]);
    child.use_parent(&cm);
    exercise(&child, data);
});
