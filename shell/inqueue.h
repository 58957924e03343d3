/*
** inqueue.h
** Input read but not yet run: text arrives in pieces of any size (lines
** from readline, chunks from a pipe) and leaves as whole commands, each up
** to and including its dot terminator.
*/
#ifndef CERL_INQUEUE_H
#define CERL_INQUEUE_H

#include "../runtime/buf.h"

#include <stdbool.h>
#include <stddef.h>

/* Invariant: text holds what was added and not yet taken. When
** 'looked_valid', text[0..looked_len) held no whole command at the last
** look, so only a dot at or after looked_len - 1 can end one: text that
** grows by pieces without a dot is scanned once in all, not once per
** piece. Until 'closed', a dot that is the last byte of the text ends
** nothing yet: what follows decides ("1." then "5.\n" is 1.5). A zeroed
** InputQueue is empty and open. */
typedef struct InputQueue {
    Buf text;
    size_t looked_len;
    bool looked_valid;
    bool closed;
} InputQueue;

/* Appends n bytes. Cannot fail. */
void inq_add(InputQueue *q, const char *s, size_t n);
/* The input has ended: a dot at the very end now ends its command. */
void inq_close(InputQueue *q);
/* Whether a whole command is there (lexer_complete_command on the text). */
bool inq_ready(InputQueue *q);
/* Takes the first whole command out (malloc'd, NUL-terminated; the caller
** frees; *len is its length, which counts any NUL bytes typed in it; len
** may be NULL), or returns NULL when there is none. The text after it
** stays, starting just past the whitespace character that ended the dot. */
char *inq_take(InputQueue *q, size_t *len);
/* Takes one byte (a menu's answer comes from what was read ahead), or
** returns -1 when empty. */
int inq_getc(InputQueue *q);
/* Whether nothing is queued. */
bool inq_empty(const InputQueue *q);
void inq_free(InputQueue *q);

#endif
