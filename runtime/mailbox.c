/*
** mailbox.c
** Message queue operations. A message is copied whole into the receiver's
** heap first, into one block that also holds its queue node (term.h); only
** then is the node linked into the queue, the one step that hands it over.
*/
#include "mailbox.h"

#include <stddef.h>

void mbox_init(Mailbox *m)
{
    m->head = NULL;
    m->tail = &m->head;
    m->len = 0;
}

/* Links msg, whose term is set, at the end of the queue: the one step that
** hands it over. */
static void link_in(Mailbox *m, Msg *msg)
{
    msg->next = NULL;
    *m->tail = msg;
    m->tail = &msg->next;
    m->len++;
}

/* Appends a message whose term is already on h (an immediate, or a copy
** outside a block), in a node of its own. */
static void enqueue(Mailbox *m, Heap *h, Term copy)
{
    Msg *msg = (Msg *)heap_alloc_words(h, sizeof(Msg) / sizeof(Term));
    msg->term = copy;
    link_in(m, msg);
}

/* A message in a block (term.h) is the block's head: its 'next' is the
** block's link word, which the collector follows; its term is inside. */
enum { MSG_WORDS = sizeof(Msg) / sizeof(Term) };
_Static_assert(offsetof(Msg, next) == 0, "a Msg's next must be its block's link word");

static bool is_immediate(Term t)
{
    return !erl_is_cons(t) && !erl_is_boxed(t);
}

void mbox_put(Mailbox *m, Heap *h, Term term)
{
    if (is_immediate(term)) { /* most messages: nothing to copy */
        enqueue(m, h, term);
        return;
    }
    Term *block;
    Term copy = term_copy_block(h, NULL, term, MSG_WORDS, &block, NULL);
    if (!block) { /* it holds a fun */
        enqueue(m, h, term_copy(h, term));
        return;
    }
    Msg *msg = (Msg *)(block + 1);
    msg->term = copy;
    link_in(m, msg);
}

Term mbox_put_checked(Mailbox *m, Heap *h, Heap *from, Term term)
{
    Term bad = ERL_NONE, *block = NULL, copy;
    if (!is_immediate(term))
        copy = term_copy_block(h, from, term, MSG_WORDS, &block, &bad);
    if (block) {
        Msg *msg = (Msg *)(block + 1);
        msg->term = copy;
        link_in(m, msg);
        return ERL_NONE;
    }
    if (bad != ERL_NONE)
        return bad;
    copy = term_copy_checked(h, from, term, &bad); /* an immediate, or a term holding a fun */
    if (bad == ERL_NONE)
        enqueue(m, h, copy);
    return bad;
}

/* The tags of a taken message's 'next': the message that followed it, or,
** when it was the last, the link it hung from (messages that arrive later
** follow that link). Messages and links are 8-aligned: the low bits are free. */
enum { TAKEN_BEFORE = 1, TAKEN_LAST = 2, TAKEN_TAGS = 3 };

Term mbox_take(Mailbox *m, Msg **link)
{
    Msg *msg = *link;
    *link = msg->next;
    if (m->tail == &msg->next) {
        m->tail = link;
        msg->next = (Msg *)((uintptr_t)link | TAKEN_LAST);
    } else {
        msg->next = (Msg *)((uintptr_t)msg->next | TAKEN_BEFORE);
    }
    m->len--;
    return msg->term;
}

bool mbox_is_taken(const Msg *msg)
{
    return ((uintptr_t)msg->next & TAKEN_TAGS) != 0;
}

Msg **mbox_link_to(Mailbox *m, const Msg *msg)
{
    Msg **link = &m->head;
    while (*link && *link != msg)
        link = &(*link)->next;
    return link;
}

Msg **mbox_after(Mailbox *m, const Msg *msg)
{
    for (;;) {
        uintptr_t next = (uintptr_t)msg->next;
        Msg *to = (Msg *)(next & ~(uintptr_t)TAKEN_TAGS);
        if (next & TAKEN_BEFORE) {
            /* 'to' followed msg: if still queued, the scan goes on there */
            if (!mbox_is_taken(to))
                return mbox_link_to(m, to);
        } else {
            /* msg was the last; what arrived later hangs from its link */
            Msg **link = (Msg **)to;
            if (link == &m->head)
                return link;
            to = (Msg *)((char *)link - offsetof(Msg, next));
            if (!mbox_is_taken(to))
                return link;
        }
        msg = to; /* taken as well: where did the queue go on after it? */
    }
}

void mbox_clear(Mailbox *m)
{
    mbox_init(m);
}
