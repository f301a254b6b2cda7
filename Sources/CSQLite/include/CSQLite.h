#ifndef CSQLITE_H
#define CSQLITE_H

#include <stdint.h>

// Writing an SQLite database (Debian's libsqlite3-dev) for `.export sqlite`, behind a header
// that names no SQLite type: the Swift side sees an opaque database and one prepared insert
// at a time, which is all an export needs.

typedef struct jb_db jb_db;
typedef struct jb_stmt jb_stmt;

// Opens (creating) the database file at `path`; NULL with *error set to a malloc'd message
// (free it with jb_db_free_message) when it cannot be opened.
jb_db *jb_db_open(const char *path, char **error);
void jb_db_close(jb_db *db);

// Runs SQL text with no result rows (CREATE, PRAGMA, BEGIN, COMMIT). 0 on success; otherwise
// the SQLite result code, and jb_db_message says why.
int jb_db_exec(jb_db *db, const char *sql);

// The message of the last failure on `db` (owned by SQLite; valid until the next call).
const char *jb_db_message(jb_db *db);
void jb_db_free_message(char *message);

// The value of an integer query's first column of its first row (PRAGMA application_id,
// SELECT count(*)); `fallback` when the query fails or has no row.
int64_t jb_db_integer(jb_db *db, const char *sql, int64_t fallback);

// A prepared statement; NULL on error (jb_db_message says why).
jb_stmt *jb_stmt_prepare(jb_db *db, const char *sql);
void jb_stmt_finalize(jb_stmt *stmt);

// Binds parameter `index` (from 1). Text is copied by SQLite before the call returns.
int jb_stmt_bind_null(jb_stmt *stmt, int index);
int jb_stmt_bind_int(jb_stmt *stmt, int index, int64_t value);
int jb_stmt_bind_double(jb_stmt *stmt, int index, double value);
int jb_stmt_bind_text(jb_stmt *stmt, int index, const uint8_t *bytes, int64_t length);

// Binds text that stays where it is until the statement has run (no copy is made).
int jb_stmt_bind_text_static(jb_stmt *stmt, int index, const uint8_t *bytes, int64_t length);

// Runs an insert and resets it for the next row, bindings kept (bind every parameter again
// before the next step). 0 on success, else the SQLite result code.
int jb_stmt_step_reset(jb_stmt *stmt);

#endif
