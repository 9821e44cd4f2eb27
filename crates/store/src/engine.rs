//! The two engines behind one store: SQLite (a file, for one analyst) and PostgreSQL (a
//! server, for a team). Queries are written once, in the SQL both understand, with `?` or
//! `?N` placeholders and values of one [`Value`] type; rows come back as [`Row`]s of values.
//! What the engines do differently (placeholders, transactions and write locks, the schema,
//! full-text search, the spatial index) is said here or beside the query that needs it.

use postgres::types::{IsNull, ToSql as PgToSql, Type};
use std::cell::RefCell;
use std::collections::HashMap;

/// Which SQL a store speaks, for the few queries that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A connection to one engine.
pub(crate) enum Engine {
    Sqlite(rusqlite::Connection),
    Postgres(Box<Server>),
}

/// A connection to a PostgreSQL server.
pub(crate) struct Server {
    client: RefCell<postgres::Client>,
    /// Statements prepared once per connection, by their SQL.
    prepared: RefCell<HashMap<String, postgres::Statement>>,
}

/// Why the engine failed a query.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error("{}", postgres_message(.0))]
    Postgres(#[from] postgres::Error),
    #[error("column {column}: {reason}")]
    Decode { column: usize, reason: String },
}

/// PostgreSQL's errors say "db error" and keep the server's message in their source.
fn postgres_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => match std::error::Error::source(e) {
            Some(source) => format!("{e}: {source}"),
            None => e.to_string(),
        },
    }
}

/// A value passed to or read from either engine.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// What can be passed as a query's argument.
pub(crate) trait ToValue {
    fn to_value(&self) -> Value;
}

macro_rules! int_values {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::Int(*self as i64)
            }
        }
    )*};
}
int_values!(i64, i32, u32, usize);

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Int(*self as i64)
    }
}
impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}
impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}
impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}
impl ToValue for [u8] {
    fn to_value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}
impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}
impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}
impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

/// A query's arguments, in order: `args![id, title, 3]`.
macro_rules! args {
    ($($value:expr),* $(,)?) => {
        &[$($crate::engine::ToValue::to_value(&$value)),*][..]
    };
}
pub(crate) use args;

/// What a column's value can be read as.
pub(crate) trait FromValue: Sized {
    fn from_value(value: &Value) -> Option<Self>;
}

impl FromValue for i64 {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
}
impl FromValue for u32 {
    fn from_value(value: &Value) -> Option<Self> {
        i64::from_value(value).and_then(|i| u32::try_from(i).ok())
    }
}
impl FromValue for bool {
    fn from_value(value: &Value) -> Option<Self> {
        i64::from_value(value).map(|i| i != 0)
    }
}
impl FromValue for f64 {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Real(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
}
impl FromValue for String {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
}
impl FromValue for Vec<u8> {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Blob(b) => Some(b.clone()),
            _ => None,
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// One row of a query's answer.
#[derive(Debug, Clone)]
pub(crate) struct Row(Vec<Value>);

impl Row {
    pub(crate) fn values(&self) -> &[Value] {
        &self.0
    }

    /// The value of column `column` (from 0) as a `T`.
    pub(crate) fn get<T: FromValue>(&self, column: usize) -> Result<T, DbError> {
        let value = self.0.get(column).ok_or_else(|| DbError::Decode {
            column,
            reason: format!("the row has {} columns", self.0.len()),
        })?;
        T::from_value(value).ok_or_else(|| DbError::Decode {
            column,
            reason: format!("cannot read {value:?} as {}", std::any::type_name::<T>()),
        })
    }
}

impl Engine {
    pub(crate) fn dialect(&self) -> Dialect {
        match self {
            Engine::Sqlite(_) => Dialect::Sqlite,
            Engine::Postgres(_) => Dialect::Postgres,
        }
    }

    pub(crate) fn postgres(client: postgres::Client) -> Engine {
        Engine::Postgres(Box::new(Server {
            client: RefCell::new(client),
            prepared: RefCell::default(),
        }))
    }

    /// The rows `sql` gives with `args`.
    pub(crate) fn query(&self, sql: &str, args: &[Value]) -> Result<Vec<Row>, DbError> {
        match self {
            Engine::Sqlite(conn) => {
                let mut stmt = conn.prepare_cached(sql)?;
                let width = stmt.column_count();
                let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let values = (0..width)
                        .map(|i| row.get_ref(i).map(sqlite_value))
                        .collect::<Result<_, _>>()?;
                    out.push(Row(values));
                }
                Ok(out)
            }
            Engine::Postgres(server) => {
                let stmt = self.prepared(sql)?;
                let rows = server
                    .client
                    .borrow_mut()
                    .query(&stmt, &postgres_args(args))?;
                rows.iter()
                    .map(|row| {
                        (0..row.len())
                            .map(|i| postgres_value(row, i))
                            .collect::<Result<_, _>>()
                            .map(Row)
                    })
                    .collect()
            }
        }
    }

    /// Runs `sql` with `args`; how many rows it changed.
    pub(crate) fn execute(&self, sql: &str, args: &[Value]) -> Result<u64, DbError> {
        match self {
            Engine::Sqlite(conn) => {
                let mut stmt = conn.prepare_cached(sql)?;
                Ok(stmt.execute(rusqlite::params_from_iter(args))? as u64)
            }
            Engine::Postgres(server) => {
                let stmt = self.prepared(sql)?;
                Ok(server
                    .client
                    .borrow_mut()
                    .execute(&stmt, &postgres_args(args))?)
            }
        }
    }

    /// Runs statements without arguments, one after another (schema changes, transactions).
    pub(crate) fn batch(&self, sql: &str) -> Result<(), DbError> {
        match self {
            Engine::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Engine::Postgres(server) => Ok(server.client.borrow_mut().batch_execute(sql)?),
        }
    }

    /// Runs a schema change: statements prepared before it are prepared again.
    pub(crate) fn change_schema(&self, sql: &str) -> Result<(), DbError> {
        if let Engine::Postgres(server) = self {
            server.prepared.borrow_mut().clear();
        }
        self.batch(sql)
    }

    /// Opens a transaction that holds the store's write lock until it ends: SQLite takes its
    /// one writer's lock at once, PostgreSQL an advisory lock every sitrep writer asks for, so
    /// concurrent batches queue instead of deadlocking on each other's new rows.
    pub(crate) fn begin_writing(&self) -> Result<(), DbError> {
        match self {
            Engine::Sqlite(_) => self.batch("BEGIN IMMEDIATE"),
            Engine::Postgres(_) => {
                self.batch("BEGIN")?;
                self.execute("SELECT pg_advisory_xact_lock(?1)", args![WRITE_LOCK])
                    .map(drop)
            }
        }
    }

    /// Opens a read-only transaction that sees one snapshot of the store throughout.
    pub(crate) fn begin_reading(&self) -> Result<(), DbError> {
        match self {
            Engine::Sqlite(_) => self.batch("BEGIN"),
            Engine::Postgres(_) => self.batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
        }
    }

    fn prepared(&self, sql: &str) -> Result<postgres::Statement, DbError> {
        let Engine::Postgres(server) = self else {
            unreachable!("only PostgreSQL prepares through this cache")
        };
        if let Some(stmt) = server.prepared.borrow().get(sql) {
            return Ok(stmt.clone());
        }
        let stmt = server.client.borrow_mut().prepare(&numbered(sql))?;
        server
            .prepared
            .borrow_mut()
            .insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }
}

/// The advisory lock sitrep's writers share on PostgreSQL ("sitrep" in ASCII).
const WRITE_LOCK: i64 = 0x7369_7472_6570;

/// PostgreSQL's placeholders: `?N` becomes `$N`, and a bare `?` one more than the highest
/// number before it, as SQLite numbers them (string literals are left alone).
pub(crate) fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let (mut highest, mut in_literal) = (0u32, false);
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => in_literal = !in_literal,
            '?' if !in_literal => {
                let mut digits = String::new();
                while let Some(d) = chars.next_if(char::is_ascii_digit) {
                    digits.push(d);
                }
                let number = match digits.parse() {
                    Ok(n) => n,
                    Err(_) => highest + 1,
                };
                highest = highest.max(number);
                out.push_str(&format!("${number}"));
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

fn sqlite_value(value: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

fn postgres_args(args: &[Value]) -> Vec<&(dyn PgToSql + Sync)> {
    args.iter().map(|v| v as &(dyn PgToSql + Sync)).collect()
}

/// A column's value, by the type the server gives it.
fn postgres_value(row: &postgres::Row, i: usize) -> Result<Value, DbError> {
    fn read<'a, T: postgres::types::FromSql<'a>>(
        row: &'a postgres::Row,
        i: usize,
        wrap: impl Fn(T) -> Value,
    ) -> Result<Value, DbError> {
        Ok(row.try_get::<_, Option<T>>(i)?.map_or(Value::Null, wrap))
    }
    match *row.columns()[i].type_() {
        Type::INT8 => read(row, i, Value::Int),
        Type::INT4 => read(row, i, |v: i32| Value::Int(v.into())),
        Type::INT2 => read(row, i, |v: i16| Value::Int(v.into())),
        Type::BOOL => read(row, i, |v: bool| Value::Int(v.into())),
        Type::FLOAT8 => read(row, i, Value::Real),
        Type::FLOAT4 => read(row, i, |v: f32| Value::Real(v.into())),
        Type::BYTEA => read(row, i, Value::Blob),
        _ => read(row, i, Value::Text),
    }
}

impl PgToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => f.to_sql(ty, out),
            },
            Value::Text(s) => s.as_str().to_sql(ty, out),
            Value::Blob(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_outside_literals() {
        assert_eq!(
            numbered("SELECT ?, '?' FROM t WHERE a = ? AND b = 'it''s ?'"),
            "SELECT $1, '?' FROM t WHERE a = $2 AND b = 'it''s ?'"
        );
        assert_eq!(numbered("a = ?12 OR b = ?1"), "a = $12 OR b = $1");
        assert_eq!(
            numbered("a = ?2 AND b IN (?, ?)"),
            "a = $2 AND b IN ($3, $4)"
        );
    }
}
