/*
** node.c
** Pids and references of this node and of others: making and reading them,
** node/1, their order and printing, and the text forms of pids and refs.
*/
#include "node.h"
#include "error.h"
#include "export.h"
#include "proc.h"

#include <string.h>

/* This node: nonode@nohost of creation 0, or the name dist_start gave it. */
static struct {
    Term name;
    uint32_t creation;
} this_node = {AM_nonode_nohost, 0};

Term node_this(void)
{
    return this_node.name;
}

uint32_t node_creation(void)
{
    return this_node.creation;
}

void node_set_this(Term name, uint32_t creation)
{
    this_node.name = name;
    this_node.creation = creation;
}

static bool is_this(Term node, uint32_t creation)
{
    return node == this_node.name && creation == this_node.creation;
}

/* ================================================================ pids */

static bool is_extpid(Term t)
{
    return erl_is_boxed(t) && erl_box_kind(t) == ERL_BOX_EXTPID;
}

Term node_pid(Heap *h, Term node, uint32_t number, uint32_t serial, uint32_t creation)
{
    if (is_this(node, creation))
        return serial < (1u << 28) ? pid_make((uint64_t)serial << 32 | number) : ERL_NONE;
    Term *p = heap_alloc(h, 5);
    p[0] = box_header(4, ERL_BOX_EXTPID);
    p[1] = node;
    p[2] = number;
    p[3] = serial;
    p[4] = creation;
    return (Term)(uintptr_t)p;
}

void node_pid_parts(Term pid, Term *node, uint32_t *number, uint32_t *serial, uint32_t *creation)
{
    if (pid_is_local(pid)) {
        *node = this_node.name;
        *number = (uint32_t)pid_number(pid);
        *serial = (uint32_t)(pid_number(pid) >> 32);
        *creation = this_node.creation;
        return;
    }
    const Term *p = erl_box_ptr(pid);
    *node = p[1];
    *number = (uint32_t)p[2];
    *serial = (uint32_t)p[3];
    *creation = (uint32_t)p[4];
}

/* ========================================================== references */

static bool is_extref(Term t)
{
    return erl_is_boxed(t) && erl_box_kind(t) == ERL_BOX_EXTREF;
}

Term node_ref(Heap *h, Term node, uint32_t creation, int n, const uint32_t *words)
{
    if (n < 0 || n > NODE_REF_WORDS_MAX)
        return ERL_NONE;
    if (is_this(node, creation)) {
        if (n > 3)
            return ERL_NONE;
        uint32_t w[3] = {0, 0, 0};
        memcpy(w, words, (size_t)n * sizeof *w);
        /* a local reference keeps its printed order: A.B.C is words 2, 1, 0 */
        Term *p = heap_alloc(h, 4);
        p[0] = box_header(3, ERL_BOX_REF);
        p[1] = w[2];
        p[2] = w[1];
        p[3] = w[0];
        return (Term)(uintptr_t)p;
    }
    Term *p = heap_alloc(h, 3 + (size_t)n);
    p[0] = box_header(2 + (uint64_t)n, ERL_BOX_EXTREF);
    p[1] = node;
    p[2] = creation;
    for (int i = 0; i < n; i++)
        p[3 + i] = words[i];
    return (Term)(uintptr_t)p;
}

int node_ref_parts(Term ref, Term *node, uint32_t *creation, uint32_t words[NODE_REF_WORDS_MAX])
{
    const Term *p = erl_box_ptr(ref);
    if (!is_extref(ref)) {
        *node = this_node.name;
        *creation = this_node.creation;
        words[0] = (uint32_t)p[3];
        words[1] = (uint32_t)p[2];
        words[2] = (uint32_t)p[1];
        return 3;
    }
    int n = (int)erl_box_size(ref) - 2;
    *node = p[1];
    *creation = (uint32_t)p[2];
    for (int i = 0; i < n; i++)
        words[i] = (uint32_t)p[3 + i];
    return n;
}

Term node_of(Term t)
{
    if (is_extpid(t) || is_extref(t))
        return erl_box_ptr(t)[1];
    return this_node.name;
}

/* ========================================================= term order */

static int cmp_u32(uint32_t a, uint32_t b)
{
    return a < b ? -1 : a > b;
}

/* Nodes compare by name (atom order), then creation. */
static int compare_nodes(Term a, uint32_t ca, Term b, uint32_t cb)
{
    if (a != b) {
        int c = strcmp(erl_atom_name(a), erl_atom_name(b));
        if (c)
            return c < 0 ? -1 : 1;
    }
    return cmp_u32(ca, cb);
}

int node_compare_pids(Term a, Term b)
{
    if (pid_is_local(a) && pid_is_local(b)) {
        uint64_t x = pid_number(a), y = pid_number(b);
        return x < y ? -1 : x > y;
    }
    Term na, nb;
    uint32_t numa, numb, sa, sb, ca, cb;
    node_pid_parts(a, &na, &numa, &sa, &ca);
    node_pid_parts(b, &nb, &numb, &sb, &cb);
    int c = cmp_u32(sa, sb);
    if (!c)
        c = cmp_u32(numa, numb);
    return c ? c : compare_nodes(na, ca, nb, cb);
}

int node_compare_refs(Term a, Term b)
{
    Term na, nb;
    uint32_t ca, cb, wa[NODE_REF_WORDS_MAX], wb[NODE_REF_WORDS_MAX];
    int la = node_ref_parts(a, &na, &ca, wa), lb = node_ref_parts(b, &nb, &cb, wb);
    int c = compare_nodes(na, ca, nb, cb);
    if (c)
        return c;
    if (la != lb)
        return la < lb ? -1 : 1;
    for (int i = la - 1; i >= 0; i--)
        if (wa[i] != wb[i])
            return wa[i] < wb[i] ? -1 : 1;
    return 0;
}

/* ============================================================ printing */

/* The number a node prints as: 0 for this node's name, else the index of
** its name's atom (erl's channel number is that index too). */
static unsigned long channel(Term node)
{
    return node == this_node.name ? 0 : (unsigned long)ATOM_INDEX(node);
}

void node_write_pid(Buf *b, Term pid)
{
    Term node;
    uint32_t number, serial, creation;
    node_pid_parts(pid, &node, &number, &serial, &creation);
    buf_printf(b, "<%lu.%u.%u>", channel(node), number, serial);
}

void node_write_ref(Buf *b, Term ref)
{
    Term node;
    uint32_t creation, w[NODE_REF_WORDS_MAX];
    int n = node_ref_parts(ref, &node, &creation, w);
    buf_printf(b, "#Ref<%lu", channel(node));
    for (int i = n - 1; i >= 0; i--)
        buf_printf(b, ".%u", w[i]);
    buf_putc(b, '>');
}

/* ================================================================ BIFs */

static Term bif_node1(Term t)
{
    if (!erl_is_pid(t) && !erl_is_ref(t))
        BADARG("node", "argument 1: not a pid", t);
    return node_of(t);
}

static Term text_term(Buf *b)
{
    Term t = term_string(heap_current(), b->s ? b->s : "", b->len);
    buf_free(b);
    return t;
}

static Term bif_pid_to_list(Term pid)
{
    if (!erl_is_pid(pid))
        BADARG("pid_to_list", "argument 1: not a pid", pid);
    Buf b = {0};
    node_write_pid(&b, pid);
    return text_term(&b);
}

static Term bif_ref_to_list(Term ref)
{
    if (!erl_is_ref(ref))
        BADARG("ref_to_list", "argument 1: not a reference", ref);
    Buf b = {0};
    node_write_ref(&b, ref);
    return text_term(&b);
}

/* Reads decimal digits from the character list at *l into *v (at most
** 'max'); false when there is no digit or the value is too large. */
static bool read_number(Term *l, uint64_t max, uint64_t *v)
{
    uint64_t n = 0;
    int digits = 0;
    for (; erl_is_cons(*l); *l = erl_tl(*l), digits++) {
        Term c = erl_hd(*l);
        if (!erl_is_int(c) || erl_int_value(c) < '0' || erl_int_value(c) > '9')
            break;
        n = n * 10 + (uint64_t)(erl_int_value(c) - '0');
        if (n > max)
            return false;
    }
    *v = n;
    return digits > 0;
}

static bool read_char(Term *l, char ch)
{
    if (!erl_is_cons(*l) || erl_hd(*l) != erl_mk_int(ch))
        return false;
    *l = erl_tl(*l);
    return true;
}

/* list_to_pid("<0.Number.Serial>"): a pid of this node (cerl knows no
** other node a channel number could name, so erl's "<N.X.Y>" of a
** connected node is refused). */
static Term bif_list_to_pid(Term l)
{
    Term r = l;
    while (erl_is_cons(r))
        r = erl_tl(r);
    if (r != ERL_NIL)
        BADARG("list_to_pid", "argument 1: not a list", l);
    r = l;
    uint64_t ch, number, serial;
    Term pid = ERL_NONE;
    if (read_char(&r, '<') && read_number(&r, UINT32_MAX, &ch) && ch == 0 && read_char(&r, '.') &&
        read_number(&r, UINT32_MAX, &number) && read_char(&r, '.') && read_number(&r, UINT32_MAX, &serial) &&
        read_char(&r, '>') && r == ERL_NIL &&
        /* erl's text names pid numbers up to 32767; cerl's grow beyond */
        (number <= 32767 || (serial == 0 && proc_find(pid_make(number)))))
        pid = node_pid(heap_current(), this_node.name, (uint32_t)number, (uint32_t)serial, this_node.creation);
    if (pid == ERL_NONE)
        BADARG("list_to_pid", "argument 1: not a textual representation of a pid", l);
    return pid;
}

void node_bif_init(void)
{
    static const struct {
        const char *name;
        void *fn;
    } bifs[] = {
        {"node", (void *)bif_node1},
        {"pid_to_list", (void *)bif_pid_to_list},
        {"list_to_pid", (void *)bif_list_to_pid},
        {"ref_to_list", (void *)bif_ref_to_list},
    };
    for (size_t i = 0; i < sizeof bifs / sizeof *bifs; i++)
        export_builtin("erlang", bifs[i].name, 1, bifs[i].fn)->autoimport = true;
}
