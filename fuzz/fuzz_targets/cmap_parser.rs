//! CMap programs from arbitrary bytes: parsing, splitting the same bytes into codes with the
//! parsed codespace ranges, looking the codes up, and merging a second CMap underneath.
#![no_main]

use gongkai::pdf::cmap::CMap;
use libfuzzer_sys::fuzz_target;

fn exercise(cm: &CMap, data: &[u8]) {
    let _ = (cm.name(), cm.usecmap_name(), cm.vertical(), cm.is_empty(), cm.has_codespace());
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
        for code in [0, 1, 0x20, 0x7f, 0xff, 0x100, 0x8140, 0xffff, 0xff_ffff, u32::MAX] {
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
