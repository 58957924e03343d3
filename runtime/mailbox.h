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
    struct Msg *next; /* NULL once taken out */
    Term term;
    uint64_t seq;     /* arrival order: larger than every earlier message's */
} Msg;

/* Invariant: tail points at the 'next' field of the last message, or at
** head when empty; len is the number of messages; the messages are in
** ascending seq order. */
typedef struct Mailbox {
    Msg *head;
    Msg **tail;
    size_t len;
    uint64_t next_seq; /* the next message's seq */
} Mailbox;

void mbox_init(Mailbox *m);
/* Copies 'term' into heap 'h' (the receiver's) and appends it. Cannot fail. */
void mbox_put(Mailbox *m, Heap *h, Term term);
/* Unlinks the message *link points at (link is &m->head or &prev->next)
** and returns its term. The message's 'next' becomes NULL, so that a scan
** that held a link into it can tell the mailbox changed. */
Term mbox_take(Mailbox *m, Msg **link);
/* Drops every message (their terms stay on the heap until it is freed). */
void mbox_clear(Mailbox *m);

#endif
