//! Damaged inputs say what happened (issue 12): a truncated PDF is "damaged: truncated" with the
//! pages read, never "a scan, OCR it first"; a stream beyond the decompression cap is named as
//! such; a blank page is no failure and leaves a document whole.

use std::process::Command;

use gongkai::extract::{extract_bytes, Options};
use gongkai::pdf::Limits;
use lopdf::{dictionary, Document, Object, Stream};

const WHOLE: &str = "../shared/corpus/national/chongqing/chongqing-qxj-2026.pdf";

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gongkai-damaged-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn messages(d: &gongkai::model::Disclosure) -> Vec<String> {
    d.diagnostics.iter().map(|x| x.message.clone()).collect()
}

#[test]
fn a_truncated_pdf_is_damaged_not_a_scan() {
    let bytes = std::fs::read(WHOLE).expect("pdf");
    let cut = &bytes[..20_000];
    let d = extract_bytes("cut.pdf", cut, &Options::default()).expect("reads what it can");
    let m = messages(&d);
    assert!(!m.iter().any(|x| x.contains("OCR")), "{m:?}");
    let damage = m
        .iter()
        .find(|x| x.starts_with("damaged file: truncated (it ends after 20000 bytes"))
        .expect("damage said");
    assert!(
        damage.contains("0 of 22 page(s) read with text"),
        "{damage}"
    );
    assert_eq!(d.source.text_layer, "none");
    assert_eq!(
        d.extraction.status,
        gongkai::model::ExtractionStatus::Partial
    );
    // In a batch: status damaged with that reason, exit status 1.
    let dir = tmp("batch");
    std::fs::write(dir.join("cut.pdf"), cut).expect("write");
    let out = dir.join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["batch", "--quiet", "--out"])
        .arg(&out)
        .arg(dir.join("cut.pdf"))
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(1));
    let docs = std::fs::read_to_string(out.join("documents.ndjson")).expect("docs");
    let row: serde_json::Value =
        serde_json::from_str(docs.lines().next().expect("row")).expect("json");
    assert_eq!(row["status"], "damaged");
    assert!(
        row["reason"]
            .as_str()
            .is_some_and(|r| r.contains("truncated")),
        "{row}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_stream_beyond_the_cap_is_named() {
    let bytes = std::fs::read(WHOLE).expect("pdf");
    let opts = Options {
        limits: Limits {
            max_stream_bytes: 4096,
            ..Limits::default()
        },
    };
    let d = extract_bytes("whole.pdf", &bytes, &opts).expect("reads");
    let m = messages(&d);
    assert!(
        m.iter()
            .any(|x| x.contains("beyond the decompression cap of")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|x| x.starts_with("damaged file: the content of")),
        "{m:?}"
    );
    assert!(!m.iter().any(|x| x.contains("OCR")), "{m:?}");
}

#[test]
fn a_blank_last_page_leaves_a_document_whole() {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let mut kids = Vec::new();
    for content in [&b"BT /F1 12 Tf 72 720 Td (Budget 2024) Tj ET"[..], b""] {
        let c = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
        let p = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => c, "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        });
        kids.push(Object::Reference(p));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 2 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("pdf");
    let d = extract_bytes("blank-last.pdf", &bytes, &Options::default()).expect("reads");
    assert_eq!(d.source.text_layer, "full");
    assert!(!d
        .extraction
        .reasons
        .iter()
        .any(|r| r.code == "partial_text_layer" || r.code == "damaged_file"));
    let dir = tmp("blank");
    std::fs::write(dir.join("blank-last.pdf"), &bytes).expect("write");
    let out = dir.join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["batch", "--quiet", "--out"])
        .arg(&out)
        .arg(dir.join("blank-last.pdf"))
        .output()
        .expect("runs");
    let docs = std::fs::read_to_string(out.join("documents.ndjson")).expect("docs");
    assert!(docs.contains("\"status\":\"ok\""), "{docs}");
    assert_eq!(run.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_whole_file_without_its_eof_marker_is_not_damaged() {
    // The sample with its trailing "%%EOF" cut: every object and the xref are intact.
    let bytes = std::fs::read("samples/yangquan-veterans-service-center-2024.pdf").expect("pdf");
    let at = bytes
        .windows(5)
        .rposition(|w| w == b"%%EOF")
        .expect("an EOF marker");
    let d = extract_bytes("no-eof.pdf", &bytes[..at], &Options::default()).expect("reads");
    assert!(
        !messages(&d).iter().any(|m| m.starts_with("damaged file")),
        "{:?}",
        messages(&d)
    );
    assert_eq!(d.source.text_layer, "full");
}
