/*
** mailbox.c
** Message queue operations. A message is copied whole into the receiver's
** heap first, into one block (term.h); only then is its node, taken from
** the pool of nodes, linked into the queue, the one step that hands it over.
*/
#include "mailbox.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

/* ============================================================ the pool */

/* The nodes of every mailbox, kept for reuse: a message that is sent and
** received costs no allocation on any heap for its node, and ping-pong
** reuses one node over and over. Per scheduler (there is one, on one
** thread): with several schedulers this becomes a field of each one's
** struct.
** Invariant: 'spare' lists 'nspare' free nodes through their next fields;
** 'inuse' is the number of nodes queued in any mailbox; peak >= inuse is
** the most that were since the last trim. */
static struct {
    Msg *spare;
    size_t nspare;
    size_t inuse;
    size_t peak;
} pool;

static inline Msg *node_get(void)
{
    Msg *n = pool.spare;
    if (n) {
        pool.spare = n->next;
        pool.nspare--;
    } else {
        n = xmalloc(sizeof *n);
    }
    if (++pool.inuse > pool.peak)
        pool.peak = pool.inuse;
    return n;
}

static inline void node_put(Msg *n)
{
    n->next = pool.spare;
    pool.spare = n;
    pool.nspare++;
    pool.inuse--;
}

void mbox_pool_trim(void)
{
    while (pool.spare && pool.inuse + pool.nspare > pool.peak) {
        Msg *n = pool.spare;
        pool.spare = n->next;
        pool.nspare--;
        free(n);
    }
    pool.peak = pool.inuse;
}

/* ========================================================== the queue */

void mbox_init(Mailbox *m)
{
    memset(m, 0, sizeof *m);
    m->tail = &m->head;
}

/* Appends a message whose term is already on h (or an immediate). */
static inline void enqueue(Mailbox *m, Term copy)
{
    Msg *msg = node_get();
    msg->next = NULL;
    msg->term = copy;
    msg->seq = m->puts++;
    *m->tail = msg;
    m->tail = &msg->next;
    m->len++;
}

static inline bool is_immediate(Term t)
{
    return !erl_is_cons(t) && !erl_is_boxed(t);
}

/* ---- recvpath: the small-message fast path ---------------------------
** Most messages are a small tuple of immediates ({msg, I}, {reply, Pid,
** ok}): such a tuple is copied into a block with no walk and no work stack, and checked (when it comes from module code) with one
** look at the sender's page map and one test per element. Anything else,
** or anything the look does not settle, goes the general way (term.c),
** which decides exactly as before. */
enum { FLAT_MAX = 8 }; /* elements: at most 9 words of a shared block */

/* An immediate that is sound for sure: what term_check accepts (atoms
** below 'atoms', which is 0 when they are not to be checked: trusted). */
static inline bool flat_ok(Term w, size_t atoms)
{
    if (erl_is_int(w) || pid_is_local(w) || w == ERL_NIL)
        return true;
    return erl_is_atom(w) && (!atoms || ATOM_INDEX(w) < atoms);
}

/* t copied into m's shared block on h (a new one when the current one has
** no room) when it is a tuple of at most FLAT_MAX immediates; with 'from',
** only when it is also, for sure, a sound term of heap 'from' (a live tuple
** object there, of the size its slot allows). Else ERL_NONE, and nothing
** is allocated. The copy is a plain loop: for a few words, the string
** instruction a memcpy of unknown size becomes costs more than the message. */
static __attribute__((optimize("no-tree-loop-distribute-patterns"))) Term copy_flat_tuple(Mailbox *m, Heap *h,
                                                                                            Heap *from, Term t)
{
    if (!erl_is_boxed(t))
        return ERL_NONE;
    Term *src = erl_box_ptr(t);
    size_t atoms = 0;
    if (from) {
        size_t words;
        bool conservative;
        if (heap_object_of(from, (uintptr_t)src, &words, &conservative) != src || conservative ||
            (src[0] >> 8) >= words)
            return ERL_NONE;
        atoms = atom_count();
    }
    Term header = src[0];
    size_t n = header >> 8;
    if ((header & 0xff) != ERL_BOX_TUPLE || n > FLAT_MAX)
        return ERL_NONE;
    for (size_t i = 1; i <= n; i++)
        if (!flat_ok(src[i], atoms))
            return ERL_NONE;
    Term *dst = m->batch;
    if (!dst || (size_t)(m->batch_end - dst) < 1 + n) {
        if (h->words <= HEAP_INLINE_MAX_WORDS) {
            /* a heap still small: a block of the copy's size, which its
            ** inline page can hold (a process with a message or two takes
            ** no page for them) */
            Term *b = heap_alloc(h, 2 + n);
            b[0] = box_header(1 + n, TERM_BOX_BLOCK);
            dst = b + 1;
        } else {
            /* a new shared block; the rest of the old one stays unused */
            Term *b = heap_alloc(h, MBOX_BATCH_WORDS);
            b[0] = box_header(MBOX_BATCH_WORDS - 1, TERM_BOX_BLOCK);
            dst = b + 1;
            m->batch = dst + 1 + n;
            m->batch_end = b + MBOX_BATCH_WORDS;
        }
    } else {
        m->batch = dst + 1 + n;
    }
    for (size_t i = 0; i <= n; i++)
        dst[i] = src[i];
    return (Term)(uintptr_t)dst;
}

void mbox_put(Mailbox *m, Heap *h, Term term)
{
    if (is_immediate(term)) { /* most messages: nothing to copy */
        enqueue(m, term);
        return;
    }
    Term copy = copy_flat_tuple(m, h, NULL, term);
    if (copy == ERL_NONE) {
        Term bad;
        copy = term_copy_block(h, NULL, term, &bad);
        if (copy == ERL_NONE) /* it holds a fun */
            copy = term_copy(h, term);
    }
    enqueue(m, copy);
}

void mbox_put_built(Mailbox *m, Heap *h, Term term)
{
    (void)h;
    enqueue(m, term);
}

Term mbox_put_checked(Mailbox *m, Heap *h, Heap *from, Term term)
{
    Term bad = ERL_NONE, copy = ERL_NONE;
    if (!is_immediate(term)) {
        copy = copy_flat_tuple(m, h, from, term);
        if (copy == ERL_NONE) {
            copy = term_copy_block(h, from, term, &bad);
            if (bad != ERL_NONE)
                return bad;
        }
    }
    if (copy == ERL_NONE) /* an immediate, or a term holding a fun */
        copy = term_copy_checked(h, from, term, &bad);
    if (bad == ERL_NONE)
        enqueue(m, copy);
    return bad;
}

Term mbox_take(Mailbox *m, Msg **link)
{
    Msg *msg = *link;
    Term term = msg->term;
    *link = msg->next;
    if (m->tail == &msg->next)
        m->tail = link;
    m->len--;
    m->takes++;
    node_put(msg);
    return term;
}

Msg **mbox_link_from(Mailbox *m, uint64_t seq)
{
    Msg **link = &m->head;
    while (*link && (*link)->seq < seq)
        link = &(*link)->next;
    return link;
}

void mbox_clear(Mailbox *m)
{
    while (m->head)
        mbox_take(m, &m->head);
    mbox_collecting(m);
}
