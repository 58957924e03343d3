/*
** mailbox.c
** Message queue operations. A message is copied whole into the receiver's
** heap first, into one block (term.h); only then is its node linked into the
** queue, the one step that hands it over.
*/
#include "mailbox.h"

#include <stddef.h>

void mbox_init(Mailbox *m)
{
    m->head = NULL;
    m->tail = &m->head;
    m->len = 0;
}

/* Appends a message whose term is already on h in a node of its own (the
** node is not in the term's block: a term kept after its message was taken
** must not keep the queue that followed it). */
static void enqueue(Mailbox *m, Heap *h, Term copy)
{
    Msg *msg = (Msg *)heap_alloc_words(h, sizeof(Msg) / sizeof(Term));
    msg->next = NULL;
    msg->term = copy;
    *m->tail = msg;
    m->tail = &msg->next;
    m->len++;
}

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
    Term bad;
    Term copy = term_copy_block(h, NULL, term, &bad);
    enqueue(m, h, copy != ERL_NONE ? copy : term_copy(h, term)); /* none: it holds a fun */
}

void mbox_put_built(Mailbox *m, Heap *h, Term term)
{
    enqueue(m, h, term);
}

Term mbox_put_checked(Mailbox *m, Heap *h, Heap *from, Term term)
{
    Term bad = ERL_NONE, copy = ERL_NONE;
    if (!is_immediate(term)) {
        copy = term_copy_block(h, from, term, &bad);
        if (bad != ERL_NONE)
            return bad;
    }
    if (copy == ERL_NONE) /* an immediate, or a term holding a fun */
        copy = term_copy_checked(h, from, term, &bad);
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
