#include "CSQLite.h"

#include <sqlite3.h>
#include <stdlib.h>

struct jb_db { sqlite3 *handle; };
struct jb_stmt { sqlite3_stmt *handle; };

jb_db *jb_db_open(const char *path, char **error) {
    sqlite3 *handle = NULL;
    int rc = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        if (error) *error = sqlite3_mprintf("%s", handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc));
        sqlite3_close(handle);
        return NULL;
    }
    jb_db *db = malloc(sizeof *db);
    if (!db) { sqlite3_close(handle); if (error) *error = sqlite3_mprintf("out of memory"); return NULL; }
    db->handle = handle;
    return db;
}

void jb_db_close(jb_db *db) {
    if (!db) return;
    sqlite3_close(db->handle);
    free(db);
}

int jb_db_exec(jb_db *db, const char *sql) {
    return sqlite3_exec(db->handle, sql, NULL, NULL, NULL);
}

const char *jb_db_message(jb_db *db) { return sqlite3_errmsg(db->handle); }

void jb_db_free_message(char *message) { sqlite3_free(message); }

int64_t jb_db_integer(jb_db *db, const char *sql, int64_t fallback) {
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db->handle, sql, -1, &stmt, NULL) != SQLITE_OK) return fallback;
    int64_t value = fallback;
    if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
}

jb_stmt *jb_stmt_prepare(jb_db *db, const char *sql) {
    sqlite3_stmt *handle = NULL;
    if (sqlite3_prepare_v2(db->handle, sql, -1, &handle, NULL) != SQLITE_OK) return NULL;
    jb_stmt *stmt = malloc(sizeof *stmt);
    if (!stmt) { sqlite3_finalize(handle); return NULL; }
    stmt->handle = handle;
    return stmt;
}

void jb_stmt_finalize(jb_stmt *stmt) {
    if (!stmt) return;
    sqlite3_finalize(stmt->handle);
    free(stmt);
}

int jb_stmt_bind_null(jb_stmt *stmt, int index) { return sqlite3_bind_null(stmt->handle, index); }
int jb_stmt_bind_int(jb_stmt *stmt, int index, int64_t value) { return sqlite3_bind_int64(stmt->handle, index, value); }
int jb_stmt_bind_double(jb_stmt *stmt, int index, double value) { return sqlite3_bind_double(stmt->handle, index, value); }

int jb_stmt_bind_text(jb_stmt *stmt, int index, const uint8_t *bytes, int64_t length) {
    // An empty Swift buffer has no address; it is still the empty text, not NULL.
    if (!bytes) { bytes = (const uint8_t *)""; length = 0; }
    return sqlite3_bind_text64(stmt->handle, index, (const char *)bytes, (sqlite3_uint64)length,
                               SQLITE_TRANSIENT, SQLITE_UTF8);
}

int jb_stmt_bind_text_static(jb_stmt *stmt, int index, const uint8_t *bytes, int64_t length) {
    if (!bytes) { bytes = (const uint8_t *)""; length = 0; }
    return sqlite3_bind_text64(stmt->handle, index, (const char *)bytes, (sqlite3_uint64)length,
                               SQLITE_STATIC, SQLITE_UTF8);
}

int jb_stmt_step_reset(jb_stmt *stmt) {
    int rc = sqlite3_step(stmt->handle);
    // The bindings are kept: every row binds every parameter before its step, and a kept
    // text bound without a copy is never read again (reset and finalize do not read it).
    sqlite3_reset(stmt->handle);
    return rc == SQLITE_DONE ? 0 : rc;
}
