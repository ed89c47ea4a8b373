//! gongkai — turn Chinese government budget and final-account disclosures into validated JSON.
//!
//! Pipeline (see `../shared/design/pipeline.md`): [`pdf`] (text layer) → [`layout`] (lines, grids) →
//! document → tables → model → checks → output / batch.

pub mod batch;
pub mod checks;
pub mod document;
pub mod extract;
pub mod layout;
pub mod model;
pub mod narrative;
pub mod output;
pub mod pdf;
pub mod quality;
pub mod sqlite;
pub mod tables;
