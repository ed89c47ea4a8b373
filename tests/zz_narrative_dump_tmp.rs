// Throwaway (not to be committed): print narrative facts for files in NARR_FILES.
#[test]
#[ignore]
fn dump() {
    let files = std::env::var("NARR_FILES").unwrap_or_default();
    for f in files.split(':').filter(|s| !s.is_empty()) {
        let d =
            gongkai::extract::extract_file(std::path::Path::new(f), &Default::default()).unwrap();
        println!("=== {f}");
        if let Some(serde_json::Value::Array(a)) = d.narrative.get("facts") {
            for x in a {
                let key = x["key"].as_str().unwrap_or("");
                let printed = x["printed"].as_str().unwrap_or("");
                let ch = x
                    .get("change")
                    .map(|c| {
                        format!(
                            " change={}/{}/{} [{}]",
                            c["direction"],
                            c["amount"],
                            c["percent"],
                            c["printed"].as_str().unwrap_or("")
                        )
                    })
                    .unwrap_or_default();
                let sh = x
                    .get("share_percent")
                    .map(|s| format!(" share={s}"))
                    .unwrap_or_default();
                let q = x
                    .get("quantity")
                    .map(|s| format!(" qty={s}"))
                    .unwrap_or_default();
                let sent: String = x["sentence"]
                    .as_str()
                    .unwrap_or("")
                    .chars()
                    .take(70)
                    .collect();
                println!("p{} {key} = {printed}{q}{ch}{sh}  | {sent}", x["page"]);
            }
        }
    }
}
