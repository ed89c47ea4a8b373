//! The content-stream interpreter on small PDFs built in the test: positions, rotation, CropBox, form
//! XObjects, text state operators, fake bold and ruling extraction, each with concrete numbers.

use gongkai::pdf::{PdfDocument, SegmentKind};
use lopdf::{dictionary, Document, Object, Stream};

/// A one-page PDF with a Helvetica (WinAnsi) font /F1 and a SimSun font /F2 declared WinAnsi
/// (GBK bytes), optional extra page attributes and form XObjects.
fn pdf(
    content: &[u8],
    page_extra: Vec<(&str, Object)>,
    forms: Vec<(&str, Vec<u8>, Vec<f64>)>,
) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let f1 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
        "FirstChar" => 32, "LastChar" => 126,
        "Widths" => (32..=126).map(|_| Object::Integer(500)).collect::<Vec<_>>(),
    });
    let f2 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "SimSun",
        "Encoding" => "WinAnsiEncoding",
        "FirstChar" => 32, "LastChar" => 255,
        "Widths" => (32..=255).map(|_| Object::Integer(500)).collect::<Vec<_>>(),
    });
    let fonts = dictionary! { "F1" => f1, "F2" => f2 };
    let mut xobjects = lopdf::Dictionary::new();
    for (name, body, matrix) in forms {
        // Forms see themselves in their resources, so a form can (wrongly) draw itself.
        let id = doc.new_object_id();
        let mut d = dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 1000.into(), 1000.into()],
            "Resources" => dictionary! { "Font" => fonts.clone(), "XObject" => dictionary! { name => id } },
        };
        if !matrix.is_empty() {
            d.set(
                "Matrix",
                matrix
                    .into_iter()
                    .map(|v| Object::Real(v as f32))
                    .collect::<Vec<_>>(),
            );
        }
        doc.objects.insert(id, Object::Stream(Stream::new(d, body)));
        xobjects.set(name, id);
    }
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
    let mut page = dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
        "Contents" => content_id,
        "Resources" => dictionary! { "Font" => fonts, "XObject" => xobjects },
    };
    for (k, v) in page_extra {
        page.set(k, v);
    }
    let page_id = doc.add_object(page);
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("test PDF written");
    out
}

fn page_of(bytes: &[u8]) -> gongkai::pdf::Page {
    let doc = PdfDocument::load(bytes).expect("test PDF loads");
    doc.page(1).expect("page 1 interprets")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.01
}

#[test]
fn glyph_positions_follow_text_state() {
    // 10 pt Helvetica, widths 500: each glyph advances 5 pt; Tc adds 1, Tw adds 2 on spaces,
    // Tz 50 halves the advance, TJ -1000 moves 10 pt right, Ts raises the baseline.
    let p = page_of(&pdf(
        b"BT /F1 10 Tf 100 700 Td (AB) Tj 1 Tc (C) Tj 0 Tc 2 Tw ( D) Tj 0 Tw [(E) -1000 (F)] TJ 50 Tz (G) Tj 100 Tz 3 Ts (H) Tj ET",
        vec![],
        vec![],
    ));
    let xs: Vec<(String, f64, f64)> = p
        .glyphs
        .iter()
        .map(|g| (g.text.clone(), g.origin[0], g.origin[1]))
        .collect();
    let expect = [
        ("A", 100.0, 100.0),
        ("B", 105.0, 100.0),
        ("C", 110.0, 100.0),
        // C advanced 5 + 1 (Tc); space advanced 5 + 2 (Tw) then D.
        ("D", 123.0, 100.0),
        ("E", 128.0, 100.0),
        // E: 5, then TJ -1000 → +10.
        ("F", 143.0, 100.0),
        ("G", 148.0, 100.0),
        // G advanced 2.5 at Tz 50; H is raised 3 pt (y down on the displayed page).
        ("H", 150.5, 97.0),
    ];
    assert_eq!(xs.len(), expect.len(), "glyphs: {xs:?}");
    for ((t, x, y), (et, ex, ey)) in xs.iter().zip(expect) {
        assert_eq!(t, et);
        assert!(
            close(*x, ex) && close(*y, ey),
            "{t}: got ({x}, {y}), want ({ex}, {ey})"
        );
    }
    assert!(close(p.glyphs[0].size, 10.0));
}

#[test]
fn leading_quote_operators_and_tm() {
    let p = page_of(&pdf(
        b"BT /F1 12 Tf 14 TL 2 0 0 2 50 600 Tm (a) Tj T* (b) Tj (c) ' 1 2 (d) \" ET",
        vec![],
        vec![],
    ));
    let o: Vec<(String, f64, f64, f64)> = p
        .glyphs
        .iter()
        .map(|g| (g.text.clone(), g.origin[0], g.origin[1], g.size))
        .collect();
    // Tm scales by 2: size 24, each T* moves 14 × 2 = 28 pt down.
    assert_eq!(o.len(), 4);
    assert!(
        close(o[0].1, 50.0) && close(o[0].2, 200.0) && close(o[0].3, 24.0),
        "{o:?}"
    );
    assert!(close(o[1].1, 50.0) && close(o[1].2, 228.0), "{o:?}");
    assert!(close(o[2].2, 256.0) && close(o[3].2, 284.0), "{o:?}");
}

#[test]
fn rotate_and_cropbox_map_to_displayed_page() {
    let content = b"BT /F1 10 Tf 100 700 Td (X) Tj ET";
    let p = page_of(&pdf(content, vec![("Rotate", 90.into())], vec![]));
    assert!(close(p.width, 800.0) && close(p.height, 600.0));
    // Rotated 90° clockwise: x_disp = y, y_disp = x.
    let g = &p.glyphs[0];
    assert!(
        close(g.origin[0], 700.0) && close(g.origin[1], 100.0),
        "{:?}",
        g.origin
    );
    assert_eq!(g.dir, 90);

    let crop = vec![50.into(), 100.into(), 550.into(), 750.into()];
    let p = page_of(&pdf(content, vec![("CropBox", crop.into())], vec![]));
    assert!(close(p.width, 500.0) && close(p.height, 650.0));
    let g = &p.glyphs[0];
    assert!(
        close(g.origin[0], 50.0) && close(g.origin[1], 50.0),
        "{:?}",
        g.origin
    );

    // A glyph outside the crop box is dropped.
    let p = page_of(&pdf(
        b"BT /F1 10 Tf 10 10 Td (Z) Tj ET",
        vec![(
            "CropBox",
            vec![50.into(), 100.into(), 550.into(), 750.into()].into(),
        )],
        vec![],
    ));
    assert!(p.glyphs.is_empty());
}

#[test]
fn form_xobject_matrix_and_recursion_guard() {
    let p = page_of(&pdf(
        b"q 1 0 0 1 100 0 cm /Fm1 Do Q BT /F1 10 Tf 0 0 Td (after) Tj ET",
        vec![],
        vec![
            // Fm1 draws "in" at (10, 700) through Matrix [2 0 0 2 0 -700] and calls itself.
            (
                "Fm1",
                b"BT /F1 10 Tf 10 700 Td (in) Tj ET /Fm1 Do".to_vec(),
                vec![2.0, 0.0, 0.0, 2.0, 0.0, -700.0],
            ),
        ],
    ));
    let texts: String = p.glyphs.iter().map(|g| g.text.as_str()).collect();
    assert!(texts.starts_with("in"), "{texts}");
    let i = &p.glyphs[0];
    // (10,700) × Matrix → (20, 700) then cm → (120, 700); displayed y = 800 − 700 = 100; size 20.
    assert!(
        close(i.origin[0], 120.0) && close(i.origin[1], 100.0) && close(i.size, 20.0),
        "{:?}",
        i.origin
    );
    // The recursive call is cut, and the graphics state restored after the form.
    assert_eq!(texts.matches("in").count(), 1);
    assert!(p.diagnostics.iter().any(|d| d.message.contains("cycle")));
    let after = p
        .glyphs
        .iter()
        .find(|g| g.text == "a")
        .expect("text after the form");
    assert!(close(after.origin[0], 0.0) && close(after.origin[1], 800.0));
}

#[test]
fn gbk_bytes_in_winansi_chinese_font_and_fake_bold() {
    // 中国 in GBK is D6 D0 B9 FA. Drawn twice 0.3 pt apart (fake bold), then once elsewhere.
    let mut content =
        b"BT /F2 12 Tf 100 700 Td <D6D0B9FA> Tj ET BT /F2 12 Tf 100.3 700 Td <D6D0B9FA> Tj ET"
            .to_vec();
    content.extend_from_slice(b" BT /F2 12 Tf 100 600 Td <D6D0> Tj ET");
    let p = page_of(&pdf(&content, vec![], vec![]));
    let texts: Vec<&str> = p.glyphs.iter().map(|g| g.text.as_str()).collect();
    assert_eq!(texts, vec!["中", "国", "中"]);
    // Each GBK character advances by both bytes' widths: 2 × 500/1000 × 12 pt.
    assert!(close(p.glyphs[1].origin[0] - p.glyphs[0].origin[0], 12.0));
    assert_eq!(p.glyphs[0].raw_code, 0xD6D0);
    assert!(p
        .diagnostics
        .iter()
        .any(|d| d.message.contains("fake bold")));
}

#[test]
fn rulings_from_strokes_and_thin_fills() {
    let p = page_of(&pdf(
        b"0.5 w 100 100 m 300 100 l S 100 200 200 0.6 re f 50 50 100 80 re f 10 10 m 20 20 30 10 40 40 c S",
        vec![],
        vec![],
    ));
    let strokes: Vec<_> = p
        .segments
        .iter()
        .filter(|s| s.kind == SegmentKind::Stroke)
        .collect();
    let thin: Vec<_> = p
        .segments
        .iter()
        .filter(|s| s.kind == SegmentKind::ThinFill)
        .collect();
    let edges: Vec<_> = p
        .segments
        .iter()
        .filter(|s| s.kind == SegmentKind::RectEdge)
        .collect();
    assert_eq!(strokes.len(), 1, "curves are not rulings");
    let s = strokes[0];
    assert!(close(s.x0, 100.0) && close(s.y0, 700.0) && close(s.x1, 300.0) && close(s.width, 0.5));
    assert_eq!(thin.len(), 1);
    // A 200 × 0.6 rectangle at y 200..200.6 becomes its centre line at displayed y 599.7.
    assert!(
        close(thin[0].y0, 599.7)
            && close(thin[0].x1 - thin[0].x0, 200.0)
            && close(thin[0].width, 0.6)
    );
    assert_eq!(edges.len(), 4);
}

#[test]
fn not_a_pdf_and_truncated_files_are_errors_not_panics() {
    assert!(PdfDocument::load(b"hello world").is_err());
    let good = pdf(b"BT /F1 10 Tf 100 700 Td (A) Tj ET", vec![], vec![]);
    for cut in [10, 100, good.len() / 2, good.len() - 20] {
        if let Ok(doc) = PdfDocument::load(&good[..cut]) {
            let _ = doc.page(1);
        }
    }
}
