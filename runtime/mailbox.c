/*
** mailbox.c
** Message queue operations. A message is copied whole into the receiver's
** heap first; only then is its node linked into the queue, the one step that
** hands it over.
*/
#include "mailbox.h"

void mbox_init(Mailbox *m)
{
    m->head = NULL;
    m->tail = &m->head;
    m->len = 0;
}

/* Appends a message whose term is already on h. */
static void enqueue(Mailbox *m, Heap *h, Term copy)
{
    Msg *msg = (Msg *)heap_alloc_words(h, sizeof(Msg) / sizeof(Term));
    msg->next = NULL;
    msg->term = copy;
    *m->tail = msg;
    m->tail = &msg->next;
    m->len++;
}

void mbox_put(Mailbox *m, Heap *h, Term term)
{
    bool immediate = !erl_is_cons(term) && !erl_is_boxed(term); /* most messages: nothing to copy */
    enqueue(m, h, immediate ? term : term_copy(h, term));
}

Term mbox_put_checked(Mailbox *m, Heap *h, Heap *from, Term term)
{
    Term bad = ERL_NONE;
    Term copy = term_copy_checked(h, from, term, &bad);
    if (bad == ERL_NONE)
        enqueue(m, h, copy);
    return bad;
}

Term mbox_take(Mailbox *m, Msg **link)
{
    Msg *msg = *link;
    *link = msg->next;
    if (m->tail == &msg->next)
        m->tail = link;
    m->len--;
    return msg->term;
}

void mbox_clear(Mailbox *m)
{
    mbox_init(m);
}
