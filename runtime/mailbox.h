/*
** mailbox.h
** A process's message queue: FIFO, messages copied into the receiver's heap,
** removable from the middle (selective receive).
*/
#ifndef CERL_MAILBOX_H
#define CERL_MAILBOX_H

#include "term.h"

/* A queued message; allocated on the receiver's heap with its term. */
typedef struct Msg {
    struct Msg *next;
    Term term;
} Msg;

/* Invariant: tail points at the 'next' field of the last message, or at
** head when empty; len is the number of messages. */
typedef struct Mailbox {
    Msg *head;
    Msg **tail;
    size_t len;
} Mailbox;

void mbox_init(Mailbox *m);
/* Copies 'term' into heap 'h' (the receiver's) and appends it. Cannot fail. */
void mbox_put(Mailbox *m, Heap *h, Term term);
/* mbox_put of a term that should be a term of heap 'from' (the sender's),
** checked while it is copied (term_copy_checked). Returns ERL_NONE when it
** was queued; else what is wrong with it (term_check), and nothing is. */
Term mbox_put_checked(Mailbox *m, Heap *h, Heap *from, Term term);
/* Unlinks the message *link points at (link is &m->head or &prev->next)
** and returns its term. */
Term mbox_take(Mailbox *m, Msg **link);
/* Drops every message (their terms stay on the heap until it is freed). */
void mbox_clear(Mailbox *m);

#endif
