//! SQLite export of a batch run: `documents`, `line_items` and `checks` tables, one row per record
//! of the corresponding NDJSON file, so a corpus can be queried with SQL instead of re-parsed.
//!
//! Amounts are stored twice: as TEXT exact decimals ("7744800.00", as in the NDJSON) and beside
//! them as INTEGER 分 (`amount_fen` = 774480000), which sorts and sums exactly (REAL would round;
//! TEXT sorts "479100.00" above "3900.00" above "10000.00"). JSON-valued fields (`meta`,
//! `locations`) are stored as JSON text; `passed` as INTEGER 0/1.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use rusqlite::{params_from_iter, Connection};
use serde_json::{Map, Value};

/// How a JSON field is stored in (and read back from) its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Text,
    Integer,
    /// JSON boolean stored as INTEGER 0/1.
    Bool,
    /// JSON object or array stored as its JSON text.
    Json,
    /// An amount in yuan: TEXT as printed by the JSON, and a `<name>_fen` INTEGER column beside it.
    Amount,
}

/// The suffix of the integer-分 column beside each amount.
const FEN: &str = "_fen";

/// An exact decimal amount in yuan as integer 分, when it is a whole number of 分.
fn fen(text: &str) -> Option<i64> {
    let v: rust_decimal::Decimal = text.trim().parse().ok()?;
    let f = v * rust_decimal::Decimal::ONE_HUNDRED;
    if f.fract().is_zero() {
        i64::try_from(f.trunc()).ok()
    } else {
        None
    }
}

impl Col {
    fn sql_type(self) -> &'static str {
        match self {
            Col::Text | Col::Json | Col::Amount => "TEXT",
            Col::Integer | Col::Bool => "INTEGER",
        }
    }
}

struct Table {
    name: &'static str,
    columns: &'static [(&'static str, Col)],
    primary_key: Option<&'static str>,
}

const DOCUMENTS: Table = Table {
    name: "documents",
    columns: &[
        ("id", Col::Text),
        ("file", Col::Text),
        ("sha256", Col::Text),
        ("pages", Col::Integer),
        ("producer", Col::Text),
        ("text_layer", Col::Text),
        ("kind", Col::Text),
        ("fiscal_year", Col::Integer),
        ("unit_name", Col::Text),
        ("title", Col::Text),
        ("status", Col::Text),
        ("reason", Col::Text),
        ("verdict", Col::Text),
        ("errors", Col::Integer),
        ("warnings", Col::Integer),
        ("extraction", Col::Text),
        ("income_total", Col::Amount),
        ("expenditure_total", Col::Amount),
        ("general_budget_expenditure_total", Col::Amount),
        ("general_budget_basic_total", Col::Amount),
        ("general_budget_project_total", Col::Amount),
        ("three_public_total", Col::Amount),
        ("meta", Col::Json),
        ("output", Col::Text),
    ],
    primary_key: Some("id"),
};

const LINE_ITEMS: Table = Table {
    name: "line_items",
    columns: &[
        ("doc_id", Col::Text),
        ("table_index", Col::Integer),
        ("table_kind", Col::Text),
        ("table_title", Col::Text),
        ("amount_unit", Col::Text),
        ("row_index", Col::Integer),
        ("code", Col::Text),
        ("name", Col::Text),
        ("role", Col::Text),
        ("side", Col::Text),
        ("parent", Col::Integer),
        ("level", Col::Integer),
        ("row_unit", Col::Text),
        ("table_extraction", Col::Text),
        ("column_key", Col::Text),
        ("phase", Col::Text),
        ("amount", Col::Amount),
        ("raw", Col::Text),
        ("page", Col::Integer),
    ],
    primary_key: None,
};

const CHECKS: Table = Table {
    name: "checks",
    columns: &[
        ("doc_id", Col::Text),
        ("rule", Col::Text),
        ("severity", Col::Text),
        ("passed", Col::Bool),
        ("message", Col::Text),
        ("locations", Col::Json),
    ],
    primary_key: None,
};

const PERFORMANCE_TARGETS: Table = Table {
    name: "performance_targets",
    columns: &[
        ("doc_id", Col::Text),
        ("table_index", Col::Integer),
        ("form_index", Col::Integer),
        ("project_name", Col::Text),
        ("department", Col::Text),
        ("department_code", Col::Text),
        ("implementing_unit", Col::Text),
        ("project_attribute", Col::Text),
        ("project_period", Col::Text),
        ("funds_period_total", Col::Amount),
        ("funds_period_central", Col::Amount),
        ("funds_period_provincial", Col::Amount),
        ("funds_period_local", Col::Amount),
        ("funds_period_self_raised", Col::Amount),
        ("funds_period_other", Col::Amount),
        ("funds_annual_total", Col::Amount),
        ("funds_annual_central", Col::Amount),
        ("funds_annual_provincial", Col::Amount),
        ("funds_annual_local", Col::Amount),
        ("funds_annual_self_raised", Col::Amount),
        ("funds_annual_other", Col::Amount),
        ("goal_period", Col::Text),
        ("goal_annual", Col::Text),
        ("goal_achieved", Col::Text),
        ("executed_total", Col::Amount),
        ("total_score", Col::Text),
        ("indicators", Col::Integer),
        ("page", Col::Integer),
    ],
    primary_key: None,
};

const PERFORMANCE_INDICATORS: Table = Table {
    name: "performance_indicators",
    columns: &[
        ("doc_id", Col::Text),
        ("table_index", Col::Integer),
        ("form_index", Col::Integer),
        ("project_name", Col::Text),
        ("target", Col::Text),
        ("level1", Col::Text),
        ("level2", Col::Text),
        ("level3", Col::Text),
        ("value", Col::Text),
        ("page", Col::Integer),
    ],
    primary_key: None,
};

const UNITS: Table = Table {
    name: "units",
    columns: &[
        ("doc_id", Col::Text),
        ("unit_name", Col::Text),
        ("unit_name_normalized", Col::Text),
        ("unit_id", Col::Text),
        ("unit_scope", Col::Text),
        ("kind", Col::Text),
        ("fiscal_year", Col::Integer),
        ("disclosure_id", Col::Text),
        ("parent_disclosure_id", Col::Text),
        ("income_total", Col::Amount),
        ("expenditure_total", Col::Amount),
        ("general_budget_expenditure_total", Col::Amount),
        ("general_budget_basic_total", Col::Amount),
        ("general_budget_project_total", Col::Amount),
        ("three_public_total", Col::Amount),
        ("first_page", Col::Integer),
    ],
    primary_key: None,
};

const NARRATIVE_ITEMS: Table = Table {
    name: "narrative_items",
    columns: &[
        ("doc_id", Col::Text),
        ("unit_name", Col::Text),
        ("fiscal_year", Col::Integer),
        ("kind", Col::Text),
        ("page", Col::Integer),
        ("level", Col::Integer),
        ("code", Col::Text),
        ("class_name", Col::Text),
        ("section_name", Col::Text),
        ("item_name", Col::Text),
        ("this_year", Col::Amount),
        ("final", Col::Amount),
        ("initial_budget", Col::Amount),
        ("adjusted_budget", Col::Amount),
        ("executed_last_year", Col::Amount),
        ("last_year", Col::Amount),
        ("printed", Col::Text),
        ("change_direction", Col::Text),
        ("change_amount", Col::Amount),
        ("change_percent", Col::Text),
        ("compared_with", Col::Text),
        ("compared_year", Col::Integer),
        ("share_percent", Col::Text),
        ("completion_percent", Col::Text),
        ("reason", Col::Text),
        ("sentence", Col::Text),
    ],
    primary_key: None,
};

const TABLES: [&Table; 7] = [
    &DOCUMENTS,
    &LINE_ITEMS,
    &CHECKS,
    &PERFORMANCE_TARGETS,
    &PERFORMANCE_INDICATORS,
    &UNITS,
    &NARRATIVE_ITEMS,
];

/// (index name, table, columns): the filters and joins the corpus queries use.
/// Views for the common questions, over the tables above (amounts with their exact 分 beside).
const VIEWS: &[(&str, &str)] = &[
    (
        "three_public_by_unit_year",
        "SELECT unit_name, fiscal_year, kind, id AS doc_id, three_public_total, \
         three_public_total_fen FROM documents WHERE three_public_total IS NOT NULL",
    ),
    (
        "general_budget_by_class",
        "SELECT d.unit_name, d.fiscal_year, d.kind, li.doc_id, li.code, li.name, li.amount, \
         li.amount_fen FROM line_items li JOIN documents d ON d.id = li.doc_id \
         WHERE li.table_kind = 'general_budget_expenditure' AND length(li.code) = 3 \
         AND li.column_key = 'total' AND li.row_unit IS NULL",
    ),
    (
        "documents_with_errors",
        "SELECT id, file, unit_name, fiscal_year, kind, errors, warnings, verdict, status \
         FROM documents WHERE errors > 0",
    ),
];

const INDEXES: &[(&str, &str, &str)] = &[
    ("documents_kind_year", "documents", "kind, fiscal_year"),
    ("documents_unit_name", "documents", "unit_name"),
    ("documents_status", "documents", "status"),
    ("line_items_doc_id", "line_items", "doc_id"),
    ("line_items_kind_code", "line_items", "table_kind, code"),
    ("checks_doc_id", "checks", "doc_id"),
    ("checks_rule_passed", "checks", "rule, passed"),
    (
        "performance_targets_doc_id",
        "performance_targets",
        "doc_id",
    ),
    (
        "performance_indicators_doc_id",
        "performance_indicators",
        "doc_id",
    ),
    ("units_doc_id", "units", "doc_id"),
    ("units_unit_id", "units", "unit_id"),
    ("narrative_items_doc_id", "narrative_items", "doc_id"),
];

/// Write the three record sets into a fresh SQLite database at `path`, replacing it atomically
/// (written to `path.tmp`, then renamed) so readers never see a half-written database.
///
/// Rows are inserted in the given order in one transaction; fields missing or null become NULL,
/// fields not listed as columns are ignored. [`DbWriter`] does the same one record at a time.
pub fn write_db(
    path: &Path,
    documents: &[Value],
    line_items: &[Value],
    checks: &[Value],
) -> Result<()> {
    let mut db = DbWriter::create(path)?;
    for record in documents {
        db.document(record)?;
    }
    for record in line_items {
        db.line_item(record)?;
    }
    for record in checks {
        db.check(record)?;
    }
    db.finish()
}

/// Streaming form of [`write_db`]: records go straight to SQLite, so memory stays flat however
/// many documents a batch has. Nothing replaces `path` until [`DbWriter::finish`]; dropping the
/// writer unfinished deletes the temp file and leaves any existing database alone.
pub struct DbWriter {
    conn: Option<Connection>,
    path: PathBuf,
    tmp: PathBuf,
    inserts: [String; 7],
    counts: [usize; 7],
}

impl DbWriter {
    /// Start a fresh database at `path.tmp` (a stale one from a crashed run is replaced).
    pub fn create(path: &Path) -> Result<Self> {
        let tmp = tmp_path(path);
        if tmp.exists() {
            std::fs::remove_file(&tmp)
                .with_context(|| format!("removing stale {}", tmp.display()))?;
        }
        let conn = Connection::open(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        let writer = DbWriter {
            conn: Some(conn),
            path: path.to_path_buf(),
            tmp,
            inserts: TABLES.map(insert_sql),
            counts: [0; 7],
        };
        let conn = writer.conn()?;
        // A fresh file replaced by rename needs no rollback journal; this makes 100k inserts fast.
        conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;")?;
        for table in TABLES {
            conn.execute_batch(&create_sql(table))?;
        }
        Ok(writer)
    }

    /// Add one `documents` row.
    pub fn document(&mut self, record: &Value) -> Result<()> {
        self.insert(0, record)
    }

    /// Add one `line_items` row.
    pub fn line_item(&mut self, record: &Value) -> Result<()> {
        self.insert(1, record)
    }

    /// Add one `checks` row.
    pub fn check(&mut self, record: &Value) -> Result<()> {
        self.insert(2, record)
    }

    /// Add one `performance_targets` row.
    pub fn target(&mut self, record: &Value) -> Result<()> {
        self.insert(3, record)
    }

    /// Add one `performance_indicators` row.
    pub fn indicator(&mut self, record: &Value) -> Result<()> {
        self.insert(4, record)
    }

    /// Add one `units` row.
    pub fn unit(&mut self, record: &Value) -> Result<()> {
        self.insert(5, record)
    }

    /// Add one `narrative_items` row.
    pub fn narrative_item(&mut self, record: &Value) -> Result<()> {
        self.insert(6, record)
    }

    /// Build the indexes, commit, and move the database into place.
    pub fn finish(mut self) -> Result<()> {
        let result = self.commit_and_rename();
        if result.is_err() {
            // Best effort: the error returned is what matters.
            let _ = std::fs::remove_file(&self.tmp);
        }
        result
    }

    fn commit_and_rename(&mut self) -> Result<()> {
        let conn = self.conn.take().context("database already closed")?;
        // Built after the inserts: cheaper than maintaining them row by row.
        for (name, table, columns) in INDEXES {
            conn.execute_batch(&format!("CREATE INDEX {name} ON {table} ({columns});"))?;
        }
        for (name, select) in VIEWS {
            conn.execute_batch(&format!("CREATE VIEW {name} AS {select};"))?;
        }
        conn.execute_batch("COMMIT;")?;
        conn.close().map_err(|(_, e)| e)?;
        // The journal is off, so make the file durable before it replaces the old one.
        std::fs::File::open(&self.tmp)
            .and_then(|f| f.sync_all())
            .with_context(|| format!("syncing {}", self.tmp.display()))?;
        std::fs::rename(&self.tmp, &self.path)
            .with_context(|| format!("renaming {} to {}", self.tmp.display(), self.path.display()))
    }

    fn conn(&self) -> Result<&Connection> {
        self.conn.as_ref().context("database already closed")
    }

    fn insert(&mut self, table: usize, record: &Value) -> Result<()> {
        let spec = TABLES[table];
        let i = self.counts[table];
        let Some(object) = record.as_object() else {
            bail!("{} record {i} is not a JSON object", spec.name);
        };
        {
            let mut stmt = self.conn()?.prepare_cached(&self.inserts[table])?;
            let values = spec.columns.iter().flat_map(|(name, col)| {
                let v = object.get(*name).unwrap_or(&Value::Null);
                let fen = (*col == Col::Amount).then(|| match v.as_str().and_then(fen) {
                    Some(n) => ToSqlOutput::Owned(SqlValue::Integer(n)),
                    None => ToSqlOutput::Owned(SqlValue::Null),
                });
                std::iter::once(to_sql(v, *col)).chain(fen)
            });
            stmt.execute(params_from_iter(values))
                .with_context(|| format!("inserting {} record {i}", spec.name))?;
        }
        self.counts[table] += 1;
        Ok(())
    }
}

impl Drop for DbWriter {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            // Unfinished: best effort cleanup, the caller already has the error that got us here.
            drop(conn);
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// `path` with ".tmp" appended to its file name (`out/corpus.sqlite` → `out/corpus.sqlite.tmp`).
fn tmp_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".tmp");
    PathBuf::from(name)
}

fn create_sql(table: &Table) -> String {
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|(name, col)| {
            let pk = if table.primary_key == Some(*name) {
                " PRIMARY KEY"
            } else {
                ""
            };
            let fen = if *col == Col::Amount {
                format!(", {name}{FEN} INTEGER")
            } else {
                String::new()
            };
            format!("{name} {}{pk}{fen}", col.sql_type())
        })
        .collect();
    format!("CREATE TABLE {} ({});", table.name, columns.join(", "))
}

fn insert_sql(table: &Table) -> String {
    let names: Vec<String> = table
        .columns
        .iter()
        .flat_map(|(n, col)| {
            let fen = (*col == Col::Amount).then(|| format!("{n}{FEN}"));
            std::iter::once(n.to_string()).chain(fen)
        })
        .collect();
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO {} ({}) VALUES ({})",
        table.name,
        names.join(", "),
        placeholders.join(", ")
    )
}

/// The SQL value for one field. Values of an unexpected type are kept (as text or their JSON)
/// rather than dropped: SQLite's flexible typing stores them and nothing is lost.
fn to_sql(value: &Value, col: Col) -> ToSqlOutput<'_> {
    let owned = |v: SqlValue| ToSqlOutput::Owned(v);
    match (value, col) {
        (Value::Null, _) => owned(SqlValue::Null),
        (Value::Bool(b), Col::Integer | Col::Bool) => owned(SqlValue::Integer(i64::from(*b))),
        (Value::Number(n), Col::Integer | Col::Bool) if n.is_i64() => {
            owned(n.as_i64().map_or(SqlValue::Null, SqlValue::Integer))
        }
        (Value::String(s), Col::Integer) => match s.trim().parse::<i64>() {
            Ok(n) => owned(SqlValue::Integer(n)),
            Err(_) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        },
        (Value::String(s), Col::Bool) if s == "true" || s == "false" => {
            owned(SqlValue::Integer(i64::from(s == "true")))
        }
        (Value::String(s), _) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        (Value::Number(n), _) => owned(SqlValue::Text(n.to_string())),
        (Value::Bool(b), _) => owned(SqlValue::Text(b.to_string())),
        (Value::Array(_) | Value::Object(_), _) => owned(SqlValue::Text(value.to_string())),
    }
}

/// Read `table` back as JSON objects (column name → value) in insertion order, undoing
/// [`write_db`]'s encoding (`passed` → bool, `meta`/`locations` → JSON) so the rows compare
/// equal to the records written.
pub fn read_table(path: &Path, table: &str) -> Result<Vec<Value>> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("opening {}", path.display()))?;
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
        [table],
        |row| row.get(0),
    )?;
    if !exists {
        bail!("no table {table:?} in {}", path.display());
    }
    let schema = TABLES.iter().find(|t| t.name == table);
    let quoted = format!("\"{}\"", table.replace('"', "\"\""));
    let mut stmt = conn.prepare(&format!("SELECT * FROM {quoted} ORDER BY rowid"))?;
    let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
    let cols: Vec<Col> = names
        .iter()
        .map(|name| {
            schema
                .and_then(|t| t.columns.iter().find(|(n, _)| n == name))
                .map_or(Col::Text, |(_, col)| *col)
        })
        .collect();
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut object = Map::new();
        for (i, (name, col)) in names.iter().zip(&cols).enumerate() {
            // The 分 beside an amount is derived: the record is the amount's text.
            let derived = name.strip_suffix(FEN).is_some_and(|base| {
                schema.is_some_and(|t| t.columns.contains(&(base, Col::Amount)))
            });
            if !derived {
                object.insert(name.clone(), from_sql(row.get_ref(i)?, *col));
            }
        }
        out.push(Value::Object(object));
    }
    Ok(out)
}

fn from_sql(value: ValueRef<'_>, col: Col) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) if col == Col::Bool => Value::Bool(n != 0),
        ValueRef::Integer(n) => Value::from(n),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(bytes) => {
            let text = String::from_utf8_lossy(bytes);
            match col {
                Col::Json => {
                    serde_json::from_str(&text).unwrap_or(Value::String(text.into_owned()))
                }
                _ => Value::String(text.into_owned()),
            }
        }
        ValueRef::Blob(bytes) => Value::String(bytes.iter().map(|b| format!("{b:02x}")).collect()),
    }
}

#[cfg(test)]
mod tests;
