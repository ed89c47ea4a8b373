//! Validation of output JSON against the published contract, `schema/gongkai.schema.json`
//! (JSON Schema draft 2020-12, the machine-readable form of `design/schema.md`).
//!
//! Shared by the integration tests. Include it from a file in `tests/` with
//!
//! ```ignore
//! mod common {
//!     pub mod schema;
//! }
//! use common::schema::validate;
//! ```
//!
//! (Cargo builds only the top-level files of `tests/` as test crates, so this file is not one.)
//! The schema is read and compiled once per test binary; it has no remote references, and the
//! `jsonschema` crate is built without its HTTP/file resolvers.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

/// Where the schema lives in the repository.
pub fn schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join("gongkai.schema.json")
}

/// The schema document, parsed once.
pub fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let path = schema_path();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
    })
}

/// The compiled draft 2020-12 validator, built once.
pub fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        jsonschema::draft202012::new(schema())
            .unwrap_or_else(|e| panic!("{} does not compile: {e}", schema_path().display()))
    })
}

/// One schema violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// JSON Pointer into the validated document ("" is the root), e.g. `/tables/0/rows/3/values/total`.
    pub instance_path: String,
    /// JSON Pointer of the failing keyword in the schema, e.g. `/required` or `/$defs/amount/pattern`.
    pub schema_path: String,
    pub message: String,
}

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.instance_path.is_empty() {
            "/"
        } else {
            &self.instance_path
        };
        write!(f, "{at}: {} (schema {})", self.message, self.schema_path)
    }
}

/// Every violation of the schema by `value`, in the validator's order (empty when valid).
pub fn errors(value: &Value) -> Vec<SchemaError> {
    validator()
        .iter_errors(value)
        .map(|e| SchemaError {
            instance_path: e.instance_path().as_str().to_string(),
            schema_path: e.schema_path().as_str().to_string(),
            message: e.to_string(),
        })
        .collect()
}

/// Validate one output document: `Ok(())`, or every violation as `"<instance path>: <message>
/// (schema <keyword path>)"`.
pub fn validate(value: &Value) -> Result<(), Vec<String>> {
    let errs = errors(value);
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.iter().map(ToString::to_string).collect())
    }
}
