//! Whole documents from arbitrary bytes: load, interpret the first three pages, render their text.
//! `load` and `page` catch panics themselves, but libfuzzer-sys's panic hook aborts on any panic,
//! so caught panics are still reported here as crashes.
#![no_main]

use gongkai::layout::render_text;
use gongkai::pdf::PdfDocument;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = PdfDocument::load(data) else {
        return;
    };
    let _ = doc.metadata();
    for n in 1..=doc.page_count().min(3) {
        if let Ok(page) = doc.page(n) {
            let _ = render_text(&page);
        }
    }
});
