/*
** mailbox.h
** A process's message queue: FIFO, messages copied into the receiver's heap,
** removable from the middle (selective receive).
*/
#ifndef CERL_MAILBOX_H
#define CERL_MAILBOX_H

#include "term.h"

/* A queued message. The node lives off the heap, in the runtime's pool of
** nodes (mailbox.c); its term is an immediate or lives on the receiver's
** heap, in a block of its own (term.h; a term holding a fun is copied
** object by object). A node goes back to the pool when its message is
** taken: it is never reached from a term, so a term kept after its message
** was taken keeps nothing of the queue. 'seq' numbers the messages of one
** mailbox in arrival order: a scan that lost its place (a receive nested in
** a match took messages) finds it again by number (mbox_link_from). */
typedef struct Msg {
    struct Msg *next; /* first: a link &prev->next is the address of prev */
    Term term;
    uint64_t seq;
} Msg;

/* Invariant: tail points at the 'next' field of the last message, or at
** head when empty; len is the number of messages; the queued messages' seq
** grow from head to tail, each below 'puts'; 'takes' counts the messages
** ever taken. The collector finds the queued terms through head.
** Small messages (a flat tuple of immediates) are copied one after another
** into a shared block of the receiver's heap, MBOX_BATCH_WORDS long: one
** allocation for several messages (once the heap has outgrown the size of
** an inline page: until then each gets a block of its own size). [batch, batch_end) is the free rest of
** the current one, or both NULL; a collection drops it (mbox_collecting),
** since a block none of whose messages is referenced any more is freed.
** A message kept keeps its whole block: at most MBOX_BATCH_WORDS words. */
enum { MBOX_BATCH_WORDS = 32 };
typedef struct Mailbox {
    Msg *head;
    Msg **tail;
    size_t len;
    uint64_t puts;  /* messages ever queued: the next one's seq */
    uint64_t takes; /* messages ever taken: a scan sees whether a match took any */
    Term *batch, *batch_end;
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

/* Unlinks the message *link points at (link is &m->head or &prev->next),
** returns its node to the pool (the node must not be used again) and
** returns its term. */
Term mbox_take(Mailbox *m, Msg **link);
/* The link (&m->head or a queued message's next) to the first queued
** message whose seq is at least 'seq'; one to the end (*link NULL) if none
** is. For a scan whose message a nested receive may have taken: it goes on
** there (the message itself when *link's seq is 'seq', else the first one
** that arrived after it). */
Msg **mbox_link_from(Mailbox *m, uint64_t seq);
/* Drops every message: the nodes go back to the pool (their terms stay on
** the heap until it is collected or freed). A mailbox that goes away with
** its process must be cleared, or its nodes are lost. */
void mbox_clear(Mailbox *m);

/* For the collector, when it collects the heap the mailbox copies into:
** the next small message starts a new shared block. */
static inline void mbox_collecting(Mailbox *m)
{
    m->batch = m->batch_end = NULL;
}
/* For the collector, after a collection: the pool keeps at most as many
** nodes, queued and spare, as were queued at once at the peak since its
** last trim (a burst that comes back reuses them; one long over gives them
** back to malloc). */
void mbox_pool_trim(void);

#endif
