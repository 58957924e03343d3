/*
** mailbox.c
** Message queue operations; the node and the copied term are one allocation.
*/
#include "mailbox.h"

void mbox_init(Mailbox *m)
{
    m->head = NULL;
    m->tail = &m->head;
    m->len = 0;
}

void mbox_put(Mailbox *m, Heap *h, Term term)
{
    Msg *msg = (Msg *)heap_alloc_words(h, sizeof(Msg) / sizeof(Term));
    msg->next = NULL;
    msg->term = term_copy(h, term);
    *m->tail = msg;
    m->tail = &msg->next;
    m->len++;
}

Term mbox_put_checked(Mailbox *m, Heap *h, Heap *from, Term term)
{
    Term bad = ERL_NONE;
    Term copy = term_copy_checked(h, from, term, &bad);
    if (bad != ERL_NONE)
        return bad;
    Msg *msg = (Msg *)heap_alloc_words(h, sizeof(Msg) / sizeof(Term));
    msg->next = NULL;
    msg->term = copy;
    *m->tail = msg;
    m->tail = &msg->next;
    m->len++;
    return ERL_NONE;
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
