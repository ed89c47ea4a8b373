//! `gongkai extract` on inputs that are not disclosures: exit codes, `kind`, `text_layer` and the
//! messages a user sees (issue: budgets to JSON, must-show 4).

use std::process::Command;

use lopdf::{dictionary, Document, Object, Stream};

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gongkai-extract-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

/// A one-page PDF with the given content stream and an optional image XObject /Im1.
fn one_page_pdf(content: &[u8], with_image: bool) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let mut resources = dictionary! { "Font" => dictionary! { "F1" => font } };
    if with_image {
        let img = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
            },
            vec![0, 255, 255, 0],
        ));
        resources.set("XObject", dictionary! { "Im1" => img });
    }
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content_id, "Resources" => resources,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("pdf written");
    out
}

fn run_extract(path: &std::path::Path) -> (i32, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("extract")
        .arg(path)
        .output()
        .expect("gongkai runs");
    let code = out.status.code().unwrap_or(-1);
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        code,
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_pdf_that_is_not_a_disclosure_is_unknown_with_diagnostics() {
    let p = tmp("invoice.pdf");
    std::fs::write(
        &p,
        one_page_pdf(
            b"BT /F1 12 Tf 72 700 Td (Invoice 2024-001 Total 1,234.00 EUR) Tj ET",
            false,
        ),
    )
    .expect("written");
    let (code, json, _) = run_extract(&p);
    assert_eq!(code, 0);
    assert_eq!(json["document"]["kind"], "unknown");
    assert_eq!(json["source"]["text_layer"], "full");
    assert_eq!(json["tables"].as_array().map(Vec::len), Some(0));
    let diags = json["diagnostics"].to_string();
    assert!(diags.contains("not recognized as a budget"), "{diags}");
}

#[test]
fn a_scanned_pdf_has_no_text_layer_and_says_so() {
    let p = tmp("scan.pdf");
    std::fs::write(&p, one_page_pdf(b"q 595 0 0 842 0 0 cm /Im1 Do Q", true)).expect("written");
    let (code, json, _) = run_extract(&p);
    assert_eq!(code, 0);
    assert_eq!(json["source"]["text_layer"], "none");
    assert_eq!(json["document"]["kind"], "unknown");
    let diags = json["diagnostics"].to_string();
    assert!(diags.contains("no text layer"), "{diags}");
}

#[test]
fn an_unreadable_file_exits_non_zero_with_the_reason() {
    let p = tmp("broken.pdf");
    std::fs::write(&p, b"%PDF-1.7\n garbage garbage").expect("written");
    let (code, json, stderr) = run_extract(&p);
    assert_eq!(code, 2);
    assert!(json.is_null());
    assert!(
        stderr.contains("broken.pdf") && stderr.contains("PDF"),
        "{stderr}"
    );

    let missing = tmp("does-not-exist.pdf");
    let (code, _, stderr) = run_extract(&missing);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot read"), "{stderr}");

    let binary = tmp("random.bin");
    std::fs::write(&binary, [0u8, 159, 146, 150, 0, 1, 2]).expect("written");
    let (code, _, stderr) = run_extract(&binary);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a PDF"), "{stderr}");
}

#[test]
fn check_exit_status_and_formats() {
    let seed =
        std::fs::read_to_string("../shared/corpus/seed/yangquan-veterans-service-center-2024.txt")
            .expect("seed");
    let clean = tmp("seed.txt");
    std::fs::write(&clean, &seed).expect("written");
    let broken = tmp("unbalanced.txt");
    std::fs::write(
        &broken,
        seed.replace(
            "收入总计\t774.48\t支出总计\t774.48",
            "收入总计\t774.48\t支出总计\t775.48",
        ),
    )
    .expect("written");
    let garbage = tmp("garbage.pdf");
    std::fs::write(&garbage, b"%PDF-1.4 nothing").expect("written");
    let run = |args: &[&std::path::Path], json: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
        c.arg("check");
        if json {
            c.args(["--format", "json"]);
        }
        c.args(args);
        let out = c.output().expect("runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    // Warnings only (the narrative's 0万元 statements): exit 0, the report names rule and place.
    let (code, text) = run(&[&clean], false);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("warnings (0 errors, 5 warnings"), "{text}");
    assert!(
        text.contains("narrative.amounts") && text.contains("支出预算0万元"),
        "{text}"
    );
    // An unbalanced summary: exit 1, the error and where it is.
    let (code, text) = run(&[&clean, &broken], false);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("ERROR summary.balance") && text.contains("775.48万元"),
        "{text}"
    );
    assert!(text.contains("预算收支总表 / 支出总计 [total]"), "{text}");
    // Unreadable: exit 2.
    let (code, _) = run(&[&clean, &garbage], false);
    assert_eq!(code, 2);
    // JSON: one object per file with the verdict and every check.
    let (code, text) = run(&[&broken], true);
    assert_eq!(code, 1);
    let v: serde_json::Value =
        serde_json::from_str(text.lines().next().unwrap_or("")).expect("json line");
    assert_eq!(v["verdict"]["status"], "errors");
    assert!(v["checks"].as_array().is_some_and(|c| c
        .iter()
        .any(|c| c["rule"] == "summary.balance" && c["passed"] == false)));
}
