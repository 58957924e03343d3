/*
** buf.h
** Growable byte buffer: the one way text is built before it is printed.
*/
#ifndef CERL_BUF_H
#define CERL_BUF_H

#include <stddef.h>

/* Invariant: s[len] == '\0' whenever s != NULL; cap > len. A zeroed Buf is
** an empty buffer. */
typedef struct Buf {
    char *s;    /* the bytes, NUL-terminated; owned */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
} Buf;

/* Appenders cannot fail: out of memory ends the runtime with a message. */
void buf_putc(Buf *b, char c);
void buf_put(Buf *b, const char *s, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text so far ("" for an empty buffer); valid until the next append. */
const char *buf_str(Buf *b);
/* Hands the text to the caller (who frees it) and empties the buffer. */
char *buf_take(Buf *b);
void buf_free(Buf *b);

/* malloc/realloc/strdup that end the runtime on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif
