/*
** mailbox.h
** A process's message queue: FIFO, messages copied into the receiver's heap,
** removable from the middle (selective receive).
*/
#ifndef CERL_MAILBOX_H
#define CERL_MAILBOX_H

#include "term.h"

/* A queued message; allocated on the receiver's heap with its term, which
** is an immediate or in a block of its own (term.h; a term holding a fun is
** copied object by object).
** Once taken out, 'next' is tagged and keeps where the queue went on, for
** a scan that still holds the message (mbox_after). */
typedef struct Msg {
    struct Msg *next; /* first: a link &prev->next is the address of prev */
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
/* ----- purge (DOWN delivery): mbox_put of a term already built on h, the
** receiver's heap, and referenced from nowhere else: it is queued as it is,
** not copied again. Cannot fail. */
void mbox_put_built(Mailbox *m, Heap *h, Term term);

/* Unlinks the message *link points at (link is &m->head or &prev->next)
** and returns its term. */
Term mbox_take(Mailbox *m, Msg **link);
/* Whether msg has been taken out of its mailbox. */
bool mbox_is_taken(const Msg *msg);
/* The link (&m->head or a queued message's next) to msg, which is queued;
** one to the end (*link NULL) if it is not. */
Msg **mbox_link_to(Mailbox *m, const Msg *msg);
/* For a scan whose message msg was taken out while it looked at it (by a
** receive nested in a match): the link to the first message still queued
** that arrived after msg, where the scan goes on. The messages taken in
** between must still be on the heap (the scan's reference to msg keeps
** them: each points to the next). */
Msg **mbox_after(Mailbox *m, const Msg *msg);
/* Drops every message (their terms stay on the heap until it is freed). */
void mbox_clear(Mailbox *m);

#endif
