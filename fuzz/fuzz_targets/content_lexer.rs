//! The content-stream lexer over arbitrary bytes: it must end (return `None`), never panic, and
//! move forward through the input with every operation it returns.
#![no_main]

use gongkai::pdf::lexer::Lexer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut lx = Lexer::new(data);
    let mut last = lx.position();
    while let Some(op) = lx.next() {
        let pos = lx.position();
        assert!(pos > last, "no progress at {pos} (operator {:?})", op.op);
        assert!(
            pos <= data.len(),
            "position {pos} past the end ({})",
            data.len()
        );
        for o in &op.operands {
            let _ = o.as_f64();
        }
        last = pos;
    }
    assert!(lx.position() >= last && lx.position() <= data.len());
});
