#ifndef JIANBAO_CEDITSHIM_H
#define JIANBAO_CEDITSHIM_H
#include <histedit.h>
#include <wchar.h>

// libedit's el_set/el_wset/el_get/history_w are variadic and cannot be called from
// Swift; each wrapper below fixes one signature the shell needs (PLATFORM.md).

typedef unsigned char (*jb_el_func)(EditLine *, int);
typedef wchar_t *(*jb_el_wprompt)(EditLine *);

/// Makes LC_CTYPE a UTF-8 locale even when LANG is unset or LC_ALL=C; returns 1 when
/// the fallback to C.UTF-8 was needed.
int jb_use_utf8_locale(void);

/// el_init on the standard streams (Swift 6 cannot touch the C globals stdin/stdout).
EditLine *jb_el_init(const char *program);
int jb_el_set_editor(EditLine *el, const char *mode);
int jb_el_set_wprompt(EditLine *el, jb_el_wprompt prompt);
int jb_el_set_signal(EditLine *el, int on);
int jb_el_set_history(EditLine *el, HistoryW *h);
int jb_el_set_clientdata(EditLine *el, void *data);
void *jb_el_get_clientdata(EditLine *el);
int jb_el_addfn(EditLine *el, const wchar_t *name, const wchar_t *help, jb_el_func fn);
int jb_el_bind(EditLine *el, const wchar_t *key, const wchar_t *fn);
int jb_el_source_editrc(EditLine *el);
int jb_el_parse(EditLine *el, const char *a0, const char *a1, const char *a2);

/// Columns of the terminal on `fd`, or 0 when it is not a terminal (ioctl is variadic).
int jb_terminal_columns(int fd);
/// Rows of the terminal on `fd`, or 0.
int jb_terminal_rows(int fd);

int jb_history_setsize(HistoryW *h, int size);
int jb_history_setunique(HistoryW *h, int unique);
int jb_history_enter(HistoryW *h, const wchar_t *line);
/// Number of entries, newest first through jb_history_at.
int jb_history_count(HistoryW *h);
/// The entry `index` steps back from the newest (0 is the newest), or NULL.
const wchar_t *jb_history_at(HistoryW *h, int index);

#endif
