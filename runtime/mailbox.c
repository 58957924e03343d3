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
    m->next_seq = 0;
}

void mbox_put(Mailbox *m, Heap *h, Term term)
{
    Msg *msg = (Msg *)heap_alloc_words(h, sizeof(Msg) / sizeof(Term));
    msg->next = NULL;
    msg->term = term_copy(h, term);
    msg->seq = m->next_seq++;
    *m->tail = msg;
    m->tail = &msg->next;
    m->len++;
}

Term mbox_take(Mailbox *m, Msg **link)
{
    Msg *msg = *link;
    *link = msg->next;
    if (m->tail == &msg->next)
        m->tail = link;
    msg->next = NULL;
    m->len--;
    return msg->term;
}

void mbox_clear(Mailbox *m)
{
    uint64_t seq = m->next_seq; /* arrival order goes on */
    mbox_init(m);
    m->next_seq = seq;
}
