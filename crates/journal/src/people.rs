//! People in a journal (one journal may hold a household's readings).

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::model::{Person, PersonId};

pub(crate) fn find(conn: &Connection, name: &str) -> Result<Option<PersonId>> {
    Ok(conn
        .query_row("SELECT id FROM people WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?
        .map(PersonId))
}

pub(crate) fn find_or_add(conn: &Connection, name: &str) -> Result<PersonId> {
    if let Some(id) = find(conn, name)? {
        return Ok(id);
    }
    add(conn, name)
}

pub(crate) fn add(conn: &Connection, name: &str) -> Result<PersonId> {
    let name = name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(Error::Invalid(
            "a person's name must be 1 to 100 characters".into(),
        ));
    }
    if find(conn, name)?.is_some() {
        return Err(Error::Invalid(format!(
            "there is already a person called {name:?}"
        )));
    }
    conn.execute(
        "INSERT INTO people (name, created_utc_ms) VALUES (?1, ?2)",
        params![name, crate::now_ms()],
    )?;
    let id = PersonId(conn.last_insert_rowid());
    crate::audit::record(conn, "add person", None)?;
    Ok(id)
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<Person>> {
    let mut st = conn.prepare("SELECT id, name FROM people ORDER BY id")?;
    let rows = st.query_map([], |r| {
        Ok(Person {
            id: PersonId(r.get(0)?),
            name: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
