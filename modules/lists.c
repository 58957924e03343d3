/*
** lists.c
** The lists module: list processing, as OTP's lists reads. Each function
** is written the way its Erlang clauses read, in a loop where Erlang would
** recurse (C has no tail calls), and builds its result front to back.
** A name OTP exports at two arities is one C function per arity, Name_N.
*/
#include <cerl.h>

#include <stdio.h>
#include <string.h>

MODULE(lists);
EXPORT(reverse/1, reverse/2, nth/2, nthtail/2, last/1, sum/1, max/1, min/1, member/2,
       append/1, append/2, flatten/1, seq/2, seq/3, duplicate/2, delete/2, subtract/2,
       zip/2, unzip/1, split/2, sublist/2, sublist/3, sort/1, usort/1, merge/2,
       keyfind/3, keymember/3, keydelete/3, keyreplace/4, keystore/4, keytake/3,
       map/2, foldl/3, foldr/3, filter/2, foreach/2, any/2, all/2, dropwhile/2,
       takewhile/2, flatmap/2, partition/2, splitwith/2, enumerate/1, concat/1,
       /* the rest of OTP 25's lists */
       sort/2, usort/2, keysort/2, ukeysort/2, merge/1, merge/3, merge3/3, umerge/1, umerge/2,
       umerge/3, umerge3/3, keymerge/3, ukeymerge/3, mapfoldl/3, mapfoldr/3,
       zipwith/3, zip3/3, unzip3/1, zipwith3/4, droplast/1, prefix/2, suffix/2, search/2,
       filtermap/2, keysearch/3, keymap/3, flatlength/1, flatten/2, enumerate/2, join/2,
       uniq/1, uniq/2);

/* ------------------------------------------------------------ helpers */

/* The guard is_function(F, Arity). */
static int is_fun(Term F, int Arity)
{
    return erl_call(erlang, is_function, F, erl_mk_int(Arity)) == ATOM(true);
}

/* A list being built front to back: *tail is where the next cell goes. */
typedef struct Builder {
    Term head;
    Term *tail;
} Builder;

static void builder_init(Builder *b)
{
    b->head = ERL_NIL;
    b->tail = &b->head;
}

static void builder_add(Builder *b, Term x)
{
    Term cell = erl_cons(x, ERL_NIL);
    *b->tail = cell;
    b->tail = (Term *)(cell - 2) + 1; /* the new cell's tail word */
}

static Term builder_end(Builder *b, Term rest)
{
    *b->tail = rest;
    return b->head;
}

static long length(Term L)
{
    long n = 0;
    for (; erl_is_cons(L); L = erl_tl(L))
        n++;
    return L == ERL_NIL ? n : -1;
}

static int is_true(Term B)
{
    if (B == ATOM(true))
        return 1;
    if (B != ATOM(false))
        erl_error(erl_tuple(ATOM(case_clause), B));
    return 0;
}

/* ------------------------------------------------------------ reverse */

/* reverse(List1, Tail) -> [lists:reverse(List1) | Tail]. */
Term reverse_2(Term List, Term Tail)
{
    Term R = erl_list_reverse(List, Tail);
    if (R == ERL_NONE)
        erl_error_args(ATOM(badarg), erl_is_cons(List) ? "argument 1: not a proper list" : "argument 1: not a list",
                       List, Tail);
    return R;
}

/* reverse([] = L) -> L; reverse([_] = L) -> L;
** reverse([A, B | L]) -> reverse(L, [B, A]). */
Term reverse_1(Term List)
{
    if (List == ERL_NIL || (erl_is_cons(List) && erl_tl(List) == ERL_NIL))
        return List;
    if (!erl_is_cons(List) || !erl_is_cons(erl_tl(List)))
        erl_function_clause(List);
    Term A = erl_hd(List), B = erl_hd(erl_tl(List));
    return reverse_2(erl_tl(erl_tl(List)), erl_list(B, A));
}

/* ---------------------------------------------------------- elements */

/* nth(1, [H|_]) -> H; nth(N, [_|T]) when N > 1 -> nth(N - 1, T). */
Term nth(Term N, Term List)
{
    long n;
    if (!erl_get_long(N, &n) || n < 1)
        erl_function_clause(N, List);
    for (; n > 1 && erl_is_cons(List); n--)
        List = erl_tl(List);
    if (!erl_is_cons(List))
        erl_function_clause(erl_mk_int(n), List);
    return erl_hd(List);
}

/* nthtail(0, L) -> L; nthtail(N, [_|T]) when N > 0 -> nthtail(N - 1, T). */
Term nthtail(Term N, Term List)
{
    long n;
    if (!erl_get_long(N, &n) || n < 0)
        erl_function_clause(N, List);
    for (; n > 0; n--) {
        if (!erl_is_cons(List))
            erl_function_clause(erl_mk_int(n), List);
        List = erl_tl(List);
    }
    return List;
}

/* last([E]) -> E; last([_|T]) -> last(T). */
Term last(Term List)
{
    if (!erl_is_cons(List))
        erl_function_clause(List);
    while (erl_is_cons(erl_tl(List)))
        List = erl_tl(List);
    return erl_hd(List);
}

/* member(Elem, List): is some element of List =:= Elem? */
Term member(Term Elem, Term List)
{
    for (; erl_is_cons(List); List = erl_tl(List))
        if (erl_eq(erl_hd(List), Elem))
            return ATOM(true);
    return ATOM(false);
}

/* sum(L) -> lists:foldl(fun erlang:'+'/2, 0, L). */
Term sum(Term List)
{
    Term Sum = erl_mk_int(0);
    for (; erl_is_cons(List); List = erl_tl(List))
        Sum = erl_add(Sum, erl_hd(List));
    if (List != ERL_NIL)
        erl_error_in(ATOM(function_clause), 0, "lists", "sum", 2, (Term[]){List, Sum});
    return Sum;
}

/* max([H|T]): the largest element in term order (the first of equals). */
Term max(Term List)
{
    if (!erl_is_cons(List))
        erl_function_clause(List);
    Term Max = erl_hd(List);
    for (List = erl_tl(List); erl_is_cons(List); List = erl_tl(List))
        if (erl_compare(erl_hd(List), Max) > 0)
            Max = erl_hd(List);
    return Max;
}

/* min([H|T]): the smallest element in term order (the first of equals). */
Term min(Term List)
{
    if (!erl_is_cons(List))
        erl_function_clause(List);
    Term Min = erl_hd(List);
    for (List = erl_tl(List); erl_is_cons(List); List = erl_tl(List))
        if (erl_compare(erl_hd(List), Min) < 0)
            Min = erl_hd(List);
    return Min;
}

/* ------------------------------------------------------ building lists */

/* append(L1, L2) -> L1 ++ L2. */
Term append_2(Term L1, Term L2)
{
    if (length(L1) < 0)
        erl_error(ATOM(badarg));
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(L1); L1 = erl_tl(L1))
        builder_add(&b, erl_hd(L1));
    return builder_end(&b, L2);
}

/* append(ListOfLists) -> the lists joined in order. */
Term append_1(Term Lists)
{
    Builder b;
    builder_init(&b);
    if (!erl_is_cons(Lists))
        return Lists == ERL_NIL ? ERL_NIL : (erl_function_clause(Lists), ERL_NIL);
    for (; erl_is_cons(erl_tl(Lists)); Lists = erl_tl(Lists)) {
        Term L = erl_hd(Lists);
        if (length(L) < 0)
            erl_error(ATOM(badarg));
        for (; erl_is_cons(L); L = erl_tl(L))
            builder_add(&b, erl_hd(L));
    }
    return builder_end(&b, erl_hd(Lists)); /* the last list is the tail */
}

/* concat(Things): the text of atoms, numbers and strings, joined. */
Term concat(Term Things)
{
    if (!erl_is_list(Things))
        erl_function_clause(Things);
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(Things); Things = erl_tl(Things)) {
        Term T = erl_hd(Things), Text;
        if (erl_is_atom(T))
            Text = erl_call(erlang, atom_to_list, T);
        else if (erl_is_integer(T))
            Text = erl_call(erlang, integer_to_list, T);
        else if (erl_is_list(T))
            Text = T;
        else
            erl_function_clause(Things);
        for (; erl_is_cons(Text); Text = erl_tl(Text))
            builder_add(&b, erl_hd(Text));
    }
    return builder_end(&b, ERL_NIL);
}

/* flatten(DeepList): its elements that are not lists, in order. */
static void flatten_into(Builder *b, Term L, int depth)
{
    if (depth > 100000)
        erl_error(ATOM(system_limit));
    for (; erl_is_cons(L); L = erl_tl(L)) {
        Term H = erl_hd(L);
        if (erl_is_list(H))
            flatten_into(b, H, depth + 1);
        else
            builder_add(b, H);
    }
    if (L != ERL_NIL)
        erl_error_in(ATOM(function_clause), 0, "lists", "flatten", 1, &L);
}

Term flatten_1(Term DeepList)
{
    Builder b;
    builder_init(&b);
    flatten_into(&b, DeepList, 0);
    return builder_end(&b, ERL_NIL);
}

/* seq(From, To, Incr): [From, From+Incr, ...] up to To. */
Term seq_3(Term From, Term To, Term Incr)
{
    long from, to, incr;
    int from_ok = erl_get_long(From, &from), to_ok = erl_get_long(To, &to), incr_ok = erl_get_long(Incr, &incr);
    if (!from_ok || !to_ok || !incr_ok) {
        char note[96] = "";
        const char *what[] = {"argument 1: not an integer", "argument 2: not an integer",
                              "argument 3: not an integer"};
        int ok[] = {from_ok, to_ok, incr_ok};
        for (int i = 0; i < 3; i++)
            if (!ok[i])
                snprintf(note + strlen(note), sizeof note - strlen(note), "%s%s", note[0] ? "\n" : "", what[i]);
        erl_error_args(ATOM(badarg), note, From, To, Incr);
    }
    if ((incr > 0 && to < from - incr) || (incr < 0 && to > from - incr) || (incr == 0 && from != to))
        erl_error_args(ATOM(badarg), to >= from ? "argument 3: not a positive increment"
                                                : "argument 3: not a negative increment", From, To, Incr);
    Builder b;
    builder_init(&b);
    if (incr == 0)
        builder_add(&b, From);
    for (long x = from; incr > 0 ? x <= to : incr < 0 && x >= to; x += incr)
        builder_add(&b, erl_mk_int(x));
    return builder_end(&b, ERL_NIL);
}

/* seq(From, To) -> seq(From, To, 1). */
Term seq_2(Term From, Term To)
{
    long from, to;
    if (!erl_get_long(From, &from) || !erl_get_long(To, &to) || to < from - 1)
        erl_function_clause(From, To);
    return seq_3(From, To, erl_mk_int(1));
}

/* duplicate(N, Elem) -> [Elem, Elem, ...] (N of them). */
Term duplicate(Term N, Term Elem)
{
    long n;
    if (!erl_get_long(N, &n) || n < 0)
        erl_function_clause(N, Elem);
    Term L = ERL_NIL;
    while (n-- > 0)
        L = erl_cons(Elem, L);
    return L;
}

/* delete(Elem, List): List without the first element =:= Elem. */
Term delete(Term Elem, Term List)
{
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List); List = erl_tl(List)) {
        if (erl_eq(erl_hd(List), Elem))
            return builder_end(&b, erl_tl(List));
        builder_add(&b, erl_hd(List));
    }
    return builder_end(&b, ERL_NIL);
}

/* subtract(L1, L2) -> L1 -- L2. */
Term subtract(Term L1, Term L2)
{
    for (; erl_is_cons(L2); L2 = erl_tl(L2))
        L1 = delete(erl_hd(L2), L1);
    return L1;
}

/* zip([X|Xs], [Y|Ys]) -> [{X, Y} | zip(Xs, Ys)]; zip([], []) -> []. */
Term zip(Term Xs, Term Ys)
{
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(Xs) && erl_is_cons(Ys); Xs = erl_tl(Xs), Ys = erl_tl(Ys))
        builder_add(&b, erl_tuple(erl_hd(Xs), erl_hd(Ys)));
    if (Xs != ERL_NIL || Ys != ERL_NIL)
        erl_function_clause(Xs, Ys);
    return builder_end(&b, ERL_NIL);
}

/* unzip(ListOfPairs) -> {Firsts, Seconds}. */
Term unzip(Term Pairs)
{
    Builder xs, ys;
    builder_init(&xs);
    builder_init(&ys);
    for (; erl_is_cons(Pairs); Pairs = erl_tl(Pairs)) {
        Term P = erl_hd(Pairs);
        if (!erl_is_tuple(P) || erl_tuple_size(P) != 2)
            erl_error_in(ATOM(function_clause), 0, "lists", "unzip", 3, (Term[]){Pairs, builder_end(&xs, ERL_NIL), builder_end(&ys, ERL_NIL)});
        builder_add(&xs, erl_element(P, 1));
        builder_add(&ys, erl_element(P, 2));
    }
    return erl_tuple(builder_end(&xs, ERL_NIL), builder_end(&ys, ERL_NIL));
}

/* split(N, List) -> {the first N elements, the rest}. */
Term split(Term N, Term List)
{
    long n;
    if (!erl_get_long(N, &n) || n < 0 || !erl_is_list(List))
        erl_error_args(ATOM(badarg), 0, N, List);
    Builder b;
    builder_init(&b);
    Term Rest = List;
    for (; n > 0; n--, Rest = erl_tl(Rest)) {
        if (!erl_is_cons(Rest))
            erl_error_args(ATOM(badarg), 0, N, List);
        builder_add(&b, erl_hd(Rest));
    }
    return erl_tuple(builder_end(&b, ERL_NIL), Rest);
}

/* sublist(List, Start, Len): Len elements from position Start (from 1). */
Term sublist_3(Term List, Term Start, Term Len)
{
    long start, len;
    if (!erl_get_long(Start, &start) || start < 1 || !erl_get_long(Len, &len) || len < 0)
        erl_function_clause(List, Start, Len);
    for (; start > 1; start--) {
        if (!erl_is_cons(List))
            erl_function_clause(List, Start, Len);
        List = erl_tl(List);
    }
    Builder b;
    builder_init(&b);
    for (; len > 0 && erl_is_cons(List); len--, List = erl_tl(List))
        builder_add(&b, erl_hd(List));
    return builder_end(&b, ERL_NIL);
}

/* sublist(List, Len) -> sublist(List, 1, Len). */
Term sublist_2(Term List, Term Len)
{
    return sublist_3(List, erl_mk_int(1), Len);
}

/* -------------------------------------------------------------- sorting */

/* Merges two sorted runs of v (stable: equal elements keep their order). */
static void merge_runs(Term *v, Term *tmp, long lo, long mid, long hi)
{
    long i = lo, j = mid, k = lo;
    while (i < mid && j < hi)
        tmp[k++] = erl_compare(v[j], v[i]) < 0 ? v[j++] : v[i++];
    while (i < mid)
        tmp[k++] = v[i++];
    while (j < hi)
        tmp[k++] = v[j++];
    for (k = lo; k < hi; k++)
        v[k] = tmp[k];
}

/* The elements of List sorted in term order, as a new list; with 'unique',
** each run of == equal elements kept once (the first). */
static Term sorted(Term List, int unique)
{
    long n = length(List);
    if (n < 0)
        erl_error_in(ATOM(function_clause), 0, "lists", unique ? "usort" : "sort", 1, &List);
    if (n < 2)
        return List;
    /* the elements go into a tuple: a term, so the collector sees them */
    Term Arr = erl_call(erlang, list_to_tuple, List);
    Term Tmp = erl_call(erlang, list_to_tuple, List);
    Term *v = (Term *)Arr + 1, *tmp = (Term *)Tmp + 1;
    for (long width = 1; width < n; width *= 2)
        for (long lo = 0; lo + width < n; lo += 2 * width)
            merge_runs(v, tmp, lo, lo + width, lo + 2 * width < n ? lo + 2 * width : n);
    Term L = ERL_NIL;
    for (long i = n - 1; i >= 0; i--)
        if (!unique || i == 0 || erl_compare(v[i - 1], v[i]) != 0)
            L = erl_cons(v[i], L);
    return L;
}

/* sort(List): in term order, stable. */
Term sort_1(Term List)
{
    return sorted(List, 0);
}

/* usort(List): sorted, equal (==) elements once. */
Term usort_1(Term List)
{
    return sorted(List, 1);
}

/* merge(L1, L2): two sorted lists as one sorted list (L1's first on ties). */
Term merge_2(Term L1, Term L2)
{
    Builder b;
    builder_init(&b);
    while (erl_is_cons(L1) && erl_is_cons(L2)) {
        if (erl_compare(erl_hd(L2), erl_hd(L1)) < 0) {
            builder_add(&b, erl_hd(L2));
            L2 = erl_tl(L2);
        } else {
            builder_add(&b, erl_hd(L1));
            L1 = erl_tl(L1);
        }
    }
    for (; erl_is_cons(L1); L1 = erl_tl(L1))
        builder_add(&b, erl_hd(L1));
    for (; erl_is_cons(L2); L2 = erl_tl(L2))
        builder_add(&b, erl_hd(L2));
    return builder_end(&b, ERL_NIL);
}

/* ------------------------------------------------------ tuple lists */

static long key_pos(Term N)
{
    long n;
    if (!erl_get_long(N, &n) || n < 1)
        erl_error(ATOM(badarg));
    return n;
}

/* Does T have Key =:= its element N? */
static int has_key(Term T, long n, Term Key)
{
    return erl_is_tuple(T) && (long)erl_tuple_size(T) >= n && erl_eq(erl_element(T, (unsigned long)n), Key);
}

/* keyfind(Key, N, TupleList): the first tuple whose Nth element is Key, or false. */
Term keyfind(Term Key, Term N, Term List)
{
    long n = key_pos(N);
    for (; erl_is_cons(List); List = erl_tl(List))
        if (has_key(erl_hd(List), n, Key))
            return erl_hd(List);
    return ATOM(false);
}

/* keymember(Key, N, TupleList) -> keyfind(Key, N, TupleList) =/= false. */
Term keymember(Term Key, Term N, Term List)
{
    return keyfind(Key, N, List) == ATOM(false) ? ATOM(false) : ATOM(true);
}

/* Copies into b the tuples of List before the first with Key at N, and
** returns the list from that tuple on ([] when none has it). */
static Term copy_to_key(Term Key, long n, Term List, Builder *b)
{
    builder_init(b);
    for (; erl_is_cons(List) && !has_key(erl_hd(List), n, Key); List = erl_tl(List))
        builder_add(b, erl_hd(List));
    return erl_is_cons(List) ? List : ERL_NIL;
}

/* keydelete(Key, N, TupleList): without the first tuple with that key. */
Term keydelete(Term Key, Term N, Term List)
{
    Builder b;
    Term At = copy_to_key(Key, key_pos(N), List, &b);
    return builder_end(&b, At == ERL_NIL ? ERL_NIL : erl_tl(At));
}

/* keyreplace(Key, N, TupleList, New): the first tuple with that key
** replaced by New. */
Term keyreplace(Term Key, Term N, Term List, Term New)
{
    if (!erl_is_tuple(New)) /* when is_tuple(New) */
        erl_function_clause(Key, N, List, New);
    Builder b;
    Term At = copy_to_key(Key, key_pos(N), List, &b);
    if (At == ERL_NIL)
        return builder_end(&b, ERL_NIL);
    builder_add(&b, New);
    return builder_end(&b, erl_tl(At));
}

/* keystore(Key, N, TupleList, New): as keyreplace, or New added at the end. */
Term keystore(Term Key, Term N, Term List, Term New)
{
    if (!erl_is_tuple(New)) /* when is_tuple(New) */
        erl_function_clause(Key, N, List, New);
    Builder b;
    Term At = copy_to_key(Key, key_pos(N), List, &b);
    builder_add(&b, New);
    return builder_end(&b, At == ERL_NIL ? ERL_NIL : erl_tl(At));
}

/* keytake(Key, N, TupleList) -> {value, Tuple, Rest} | false. */
Term keytake(Term Key, Term N, Term List)
{
    Builder b;
    Term At = copy_to_key(Key, key_pos(N), List, &b);
    if (At == ERL_NIL)
        return ATOM(false);
    return erl_tuple(ATOM(value), erl_hd(At), builder_end(&b, erl_tl(At)));
}

/* ------------------------------------------------ higher-order functions */

/* map(F, List) -> [F(X) || X <- List]. */
Term map(Term F, Term List)
{
    if (!is_fun(F, 1))
        erl_function_clause(F, List);
    Term R = erl_list_map(F, &List);
    if (List != ERL_NIL)
        erl_function_clause(F, List);
    return R;
}

/* foldl(F, Acc, [X|Xs]) -> foldl(F, F(X, Acc), Xs); foldl(F, Acc, []) -> Acc. */
Term foldl(Term F, Term Acc, Term List)
{
    if (!is_fun(F, 2))
        erl_function_clause(F, Acc, List);
    Acc = erl_list_foldl(F, Acc, &List);
    if (List != ERL_NIL)
        erl_function_clause(F, Acc, List);
    return Acc;
}

/* foldr(F, Acc, List) -> foldl(F, Acc, reverse(List)). */
Term foldr(Term F, Term Acc, Term List)
{
    if (!is_fun(F, 2))
        erl_function_clause(F, Acc, List);
    return foldl(F, Acc, reverse_1(List));
}

/* filter(Pred, List) -> [X || X <- List, Pred(X)]. */
Term filter(Term Pred, Term List)
{
    if (!is_fun(Pred, 1))
        erl_function_clause(Pred, List);
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List); List = erl_tl(List))
        if (is_true(erl_fun_call(Pred, erl_hd(List))))
            builder_add(&b, erl_hd(List));
    return builder_end(&b, ERL_NIL);
}

/* foreach(F, List): F(X) for each X, for its effects; ok. */
Term foreach(Term F, Term List)
{
    if (!is_fun(F, 1))
        erl_function_clause(F, List);
    for (; erl_is_cons(List); List = erl_tl(List))
        erl_fun_call(F, erl_hd(List));
    return ATOM(ok);
}

/* any(Pred, List): is Pred(X) true for some X? */
Term any(Term Pred, Term List)
{
    for (; erl_is_cons(List); List = erl_tl(List))
        if (is_true(erl_fun_call(Pred, erl_hd(List))))
            return ATOM(true);
    return ATOM(false);
}

/* all(Pred, List): is Pred(X) true for every X? */
Term all(Term Pred, Term List)
{
    for (; erl_is_cons(List); List = erl_tl(List))
        if (!is_true(erl_fun_call(Pred, erl_hd(List))))
            return ATOM(false);
    return ATOM(true);
}

/* dropwhile(Pred, List): List from the first X for which Pred(X) is false. */
Term dropwhile(Term Pred, Term List)
{
    while (erl_is_cons(List) && is_true(erl_fun_call(Pred, erl_hd(List))))
        List = erl_tl(List);
    return List;
}

/* The Xs of List before the first for which Pred(X) is false, and in *Rest
** the list from there on. */
static Term take_while(Term Pred, Term List, Term *Rest)
{
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List) && is_true(erl_fun_call(Pred, erl_hd(List))); List = erl_tl(List))
        builder_add(&b, erl_hd(List));
    *Rest = List;
    return builder_end(&b, ERL_NIL);
}

/* takewhile(Pred, List): the Xs before the first for which Pred(X) is false. */
Term takewhile(Term Pred, Term List)
{
    Term Rest;
    return take_while(Pred, List, &Rest);
}

/* flatmap(F, List) -> append(map(F, List)). */
Term flatmap(Term F, Term List)
{
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List); List = erl_tl(List))
        for (Term R = erl_fun_call(F, erl_hd(List)); erl_is_cons(R); R = erl_tl(R))
            builder_add(&b, erl_hd(R));
    return builder_end(&b, ERL_NIL);
}

/* partition(Pred, List) -> {Satisfying, NotSatisfying}. */
Term partition(Term Pred, Term List)
{
    Builder yes, no;
    builder_init(&yes);
    builder_init(&no);
    for (; erl_is_cons(List); List = erl_tl(List))
        builder_add(is_true(erl_fun_call(Pred, erl_hd(List))) ? &yes : &no, erl_hd(List));
    return erl_tuple(builder_end(&yes, ERL_NIL), builder_end(&no, ERL_NIL));
}

/* splitwith(Pred, List) -> {takewhile(Pred, List), dropwhile(Pred, List)}. */
Term splitwith(Term Pred, Term List)
{
    Term Rest;
    Term Taken = take_while(Pred, List, &Rest);
    return erl_tuple(Taken, Rest);
}

/* enumerate(List) -> [{1, X1}, {2, X2}, ...]. */
Term enumerate_1(Term List)
{
    Builder b;
    builder_init(&b);
    long i = 1;
    for (; erl_is_cons(List); List = erl_tl(List))
        builder_add(&b, erl_tuple(erl_mk_int(i++), erl_hd(List)));
    return builder_end(&b, ERL_NIL);
}

/* enumerate(Index, List) -> [{Index, X1}, {Index + 1, X2}, ...]. */
Term enumerate_2(Term Index, Term List)
{
    if (!erl_is_integer(Index))
        erl_function_clause(Index, List);
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List); List = erl_tl(List)) {
        builder_add(&b, erl_tuple(Index, erl_hd(List)));
        Index = erl_add(Index, erl_mk_int(1));
    }
    if (List != ERL_NIL)
        erl_function_clause(Index, List);
    return builder_end(&b, ERL_NIL);
}

/* ================================================ the rest of OTP 25's */

/* ------------------------------------------- sorting in a given order */

/* An order on terms: does A come before B (A =< B in that order)? */
typedef struct Order {
    int (*before)(Term A, Term B, struct Order *o);
    Term Fun; /* sort/2's fun, or keysort's position */
    long n;
} Order;

/* Fun(A, B) -> true when A comes first. */
static int fun_before(Term A, Term B, Order *o)
{
    return is_true(erl_fun_call(o->Fun, A, B));
}

/* element(N, A) =< element(N, B); each must be a tuple of N elements. */
static int key_before(Term A, Term B, Order *o)
{
    if (!erl_is_tuple(A) || (long)erl_tuple_size(A) < o->n || !erl_is_tuple(B) || (long)erl_tuple_size(B) < o->n)
        erl_error(ATOM(badarg));
    return erl_compare(erl_element(A, (unsigned long)o->n), erl_element(B, (unsigned long)o->n)) <= 0;
}

/* Merges two sorted runs of v, stable: an element of the right run goes
** first only when the left one may not. */
static void merge_runs_in(Term *v, Term *tmp, long lo, long mid, long hi, Order *o)
{
    long i = lo, j = mid, k = lo;
    while (i < mid && j < hi)
        tmp[k++] = o->before(v[i], v[j], o) ? v[i++] : v[j++];
    while (i < mid)
        tmp[k++] = v[i++];
    while (j < hi)
        tmp[k++] = v[j++];
    for (k = lo; k < hi; k++)
        v[k] = tmp[k];
}

/* List sorted in order o, stable; with 'unique', of the elements that come
** before each other both ways only the first. */
static Term sorted_in(Term List, Order *o, int unique)
{
    long n = length(List);
    if (n < 0)
        erl_error(ATOM(function_clause));
    if (n == 1 && o->before == key_before)
        key_before(erl_hd(List), erl_hd(List), o); /* a lone element is checked too */
    if (n < 2)
        return List;
    Term Arr = erl_call(erlang, list_to_tuple, List);
    Term Tmp = erl_call(erlang, list_to_tuple, List);
    Term *v = (Term *)Arr + 1, *tmp = (Term *)Tmp + 1;
    for (long width = 1; width < n; width *= 2)
        for (long lo = 0; lo + width < n; lo += 2 * width)
            merge_runs_in(v, tmp, lo, lo + width, lo + 2 * width < n ? lo + 2 * width : n, o);
    Builder b;
    builder_init(&b);
    Term Last = ERL_NONE;
    for (long i = 0; i < n; i++)
        if (!unique || Last == ERL_NONE || !o->before(v[i], Last, o))
            builder_add(&b, Last = v[i]);
    return builder_end(&b, ERL_NIL);
}

/* sort(Fun, List): sorted so that Fun(A, B) holds for each A before B; stable. */
Term sort_2(Term Fun, Term List)
{
    Order o = {fun_before, Fun, 0};
    return sorted_in(List, &o, 0);
}

/* usort(Fun, List): as sort/2, elements equal under Fun once (the first). */
Term usort_2(Term Fun, Term List)
{
    Order o = {fun_before, Fun, 0};
    return sorted_in(List, &o, 1);
}

/* keysort(N, TupleList): sorted on the tuples' Nth elements; stable. */
Term keysort(Term N, Term List)
{
    long n;
    if (!erl_get_long(N, &n) || n < 1)
        erl_function_clause(N, List);
    Order o = {key_before, ERL_NIL, n};
    return sorted_in(List, &o, 0);
}

/* ukeysort(N, TupleList): as keysort, each key once (its first tuple). */
Term ukeysort(Term N, Term List)
{
    long n;
    if (!erl_get_long(N, &n) || n < 1)
        erl_function_clause(N, List);
    Order o = {key_before, ERL_NIL, n};
    return sorted_in(List, &o, 1);
}

/* merge(Fun, L1, L2): two lists sorted by Fun as one (L1's first on ties). */
Term merge_3(Term Fun, Term L1, Term L2)
{
    Builder b;
    builder_init(&b);
    while (erl_is_cons(L1) && erl_is_cons(L2)) {
        if (is_true(erl_fun_call(Fun, erl_hd(L1), erl_hd(L2)))) {
            builder_add(&b, erl_hd(L1));
            L1 = erl_tl(L1);
        } else {
            builder_add(&b, erl_hd(L2));
            L2 = erl_tl(L2);
        }
    }
    return builder_end(&b, erl_is_cons(L1) ? L1 : L2);
}

/* merge3(L1, L2, L3) -> merge(merge(L1, L2), L3). */
Term merge3(Term L1, Term L2, Term L3)
{
    return merge_2(merge_2(L1, L2), L3);
}

/* Merges L1 and L2, sorted in order o, into one list in that order: an
** element of L1 goes first on ties; with 'unique', an element of L2 that
** ties with the one of L1 before it (each before the other) is left out. */
static Term merge_in(Term L1, Term L2, Order *o, int unique)
{
    Builder b;
    builder_init(&b);
    while (erl_is_cons(L1) && erl_is_cons(L2)) {
        if (o->before(erl_hd(L1), erl_hd(L2), o)) {
            if (unique && o->before(erl_hd(L2), erl_hd(L1), o))
                L2 = erl_tl(L2);
            builder_add(&b, erl_hd(L1));
            L1 = erl_tl(L1);
        } else {
            builder_add(&b, erl_hd(L2));
            L2 = erl_tl(L2);
        }
    }
    return builder_end(&b, erl_is_cons(L1) ? L1 : L2);
}

/* A =< B in term order. */
static int term_before(Term A, Term B, Order *o)
{
    return erl_compare(A, B) <= 0;
}

/* umerge(L1, L2): merge(L1, L2) with an element of L2 equal (==) to one of
** L1 left out. */
Term umerge_2(Term L1, Term L2)
{
    Order o = {term_before, ERL_NIL, 0};
    return merge_in(L1, L2, &o, 1);
}

/* umerge(Fun, L1, L2): as umerge/2, in the order of Fun. */
Term umerge_3(Term Fun, Term L1, Term L2)
{
    Order o = {fun_before, Fun, 0};
    return merge_in(L1, L2, &o, 1);
}

/* umerge3(L1, L2, L3) -> umerge(umerge(L1, L2), L3). */
Term umerge3(Term L1, Term L2, Term L3)
{
    return umerge_2(umerge_2(L1, L2), L3);
}

/* merge(ListOfLists): the sorted lists merged, the earlier first on ties. */
Term merge_1(Term Lists)
{
    Term R = ERL_NIL;
    for (; erl_is_cons(Lists); Lists = erl_tl(Lists))
        R = merge_2(R, erl_hd(Lists));
    return R;
}

/* umerge(ListOfLists): merged, equal elements once (the first). */
Term umerge_1(Term Lists)
{
    Term R = ERL_NIL;
    for (; erl_is_cons(Lists); Lists = erl_tl(Lists))
        R = umerge_2(R, erl_hd(Lists));
    return R;
}

/* keymerge(N, TupleList1, TupleList2): merged on the tuples' Nth elements. */
Term keymerge(Term N, Term L1, Term L2)
{
    long n;
    if (!erl_get_long(N, &n) || n < 1)
        erl_function_clause(N, L1, L2);
    Order o = {key_before, ERL_NIL, n};
    return merge_in(L1, L2, &o, 0);
}

/* ukeymerge(N, TupleList1, TupleList2): as keymerge, a tuple of L2 whose key
** equals one of L1 left out. */
Term ukeymerge(Term N, Term L1, Term L2)
{
    long n;
    if (!erl_get_long(N, &n) || n < 1)
        erl_function_clause(N, L1, L2);
    Order o = {key_before, ERL_NIL, n};
    return merge_in(L1, L2, &o, 1);
}

/* --------------------------------------------- mapping with a state */

/* {Y, Acc} = R: what a mapfold fun returns, Acc into *Acc. */
static Term pair_first(Term R, Term *Acc)
{
    Term Y;
    if (!erl_match(R, "{Y, Acc}", &Y, Acc))
        erl_error(erl_tuple(ATOM(badmatch), R));
    return Y;
}

/* mapfoldl(F, Acc0, List) -> {List1, Acc1}: map and foldl in one pass,
** F(X, Acc) -> {Y, Acc'}. */
Term mapfoldl(Term F, Term Acc, Term List)
{
    if (!is_fun(F, 2))
        erl_function_clause(F, Acc, List);
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List); List = erl_tl(List))
        builder_add(&b, pair_first(erl_fun_call(F, erl_hd(List), Acc), &Acc));
    if (List != ERL_NIL)
        erl_function_clause(F, Acc, List);
    return erl_tuple(builder_end(&b, ERL_NIL), Acc);
}

/* mapfoldr(F, Acc0, List) -> {List1, Acc1}: as mapfoldl, from the right. */
Term mapfoldr(Term F, Term Acc, Term List)
{
    Term Ys = ERL_NIL;
    for (Term L = reverse_1(List); erl_is_cons(L); L = erl_tl(L))
        Ys = erl_cons(pair_first(erl_fun_call(F, erl_hd(L), Acc), &Acc), Ys);
    return erl_tuple(Ys, Acc);
}

/* -------------------------------------------------------- zipping */

/* zipwith(F, [X|Xs], [Y|Ys]) -> [F(X, Y) | zipwith(F, Xs, Ys)]. */
Term zipwith(Term F, Term Xs, Term Ys)
{
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(Xs) && erl_is_cons(Ys); Xs = erl_tl(Xs), Ys = erl_tl(Ys))
        builder_add(&b, erl_fun_call(F, erl_hd(Xs), erl_hd(Ys)));
    if (Xs != ERL_NIL || Ys != ERL_NIL)
        erl_function_clause(F, Xs, Ys);
    return builder_end(&b, ERL_NIL);
}

/* zipwith3(F, Xs, Ys, Zs) -> [F(X, Y, Z) | ...], the lists of one length. */
Term zipwith3(Term F, Term Xs, Term Ys, Term Zs)
{
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(Xs) && erl_is_cons(Ys) && erl_is_cons(Zs); Xs = erl_tl(Xs), Ys = erl_tl(Ys), Zs = erl_tl(Zs))
        builder_add(&b, erl_fun_call(F, erl_hd(Xs), erl_hd(Ys), erl_hd(Zs)));
    if (Xs != ERL_NIL || Ys != ERL_NIL || Zs != ERL_NIL)
        erl_function_clause(F, Xs, Ys, Zs);
    return builder_end(&b, ERL_NIL);
}

/* zip3(Xs, Ys, Zs) -> [{X, Y, Z} | ...]. */
Term zip3(Term Xs, Term Ys, Term Zs)
{
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(Xs) && erl_is_cons(Ys) && erl_is_cons(Zs); Xs = erl_tl(Xs), Ys = erl_tl(Ys), Zs = erl_tl(Zs))
        builder_add(&b, erl_tuple(erl_hd(Xs), erl_hd(Ys), erl_hd(Zs)));
    if (Xs != ERL_NIL || Ys != ERL_NIL || Zs != ERL_NIL)
        erl_function_clause(Xs, Ys, Zs);
    return builder_end(&b, ERL_NIL);
}

/* unzip3(ListOfTriples) -> {Firsts, Seconds, Thirds}. */
Term unzip3(Term Triples)
{
    Builder xs, ys, zs;
    builder_init(&xs);
    builder_init(&ys);
    builder_init(&zs);
    for (; erl_is_cons(Triples); Triples = erl_tl(Triples)) {
        Term X, Y, Z;
        if (!erl_match(erl_hd(Triples), "{X, Y, Z}", &X, &Y, &Z))
            erl_error_in(ATOM(function_clause), 0, "lists", "unzip3", 4, (Term[]){Triples, builder_end(&xs, ERL_NIL), builder_end(&ys, ERL_NIL), builder_end(&zs, ERL_NIL)});
        builder_add(&xs, X);
        builder_add(&ys, Y);
        builder_add(&zs, Z);
    }
    return erl_tuple(builder_end(&xs, ERL_NIL), builder_end(&ys, ERL_NIL), builder_end(&zs, ERL_NIL));
}

/* ------------------------------------------------------ the rest */

/* droplast([_]) -> []; droplast([H|T]) -> [H | droplast(T)]. */
Term droplast(Term List)
{
    if (!erl_is_cons(List))
        erl_function_clause(List);
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(erl_tl(List)); List = erl_tl(List))
        builder_add(&b, erl_hd(List));
    return builder_end(&b, ERL_NIL);
}

/* prefix(L1, L2): does L2 start with L1? */
Term prefix(Term L1, Term L2)
{
    for (; erl_is_cons(L1) && erl_is_cons(L2); L1 = erl_tl(L1), L2 = erl_tl(L2))
        if (!erl_eq(erl_hd(L1), erl_hd(L2)))
            return ATOM(false);
    return L1 == ERL_NIL ? ATOM(true) : ATOM(false);
}

/* suffix(L1, L2): does L2 end with L1? */
Term suffix(Term L1, Term L2)
{
    long skip = length(L2) - length(L1);
    if (skip < 0)
        return ATOM(false);
    while (skip-- > 0)
        L2 = erl_tl(L2);
    return erl_eq(L1, L2) ? ATOM(true) : ATOM(false);
}

/* search(Pred, List) -> {value, X} for the first X with Pred(X), or false. */
Term search(Term Pred, Term List)
{
    for (; erl_is_cons(List); List = erl_tl(List))
        if (is_true(erl_fun_call(Pred, erl_hd(List))))
            return erl_tuple(ATOM(value), erl_hd(List));
    return ATOM(false);
}

/* filtermap(F, List): X where F(X) is true, Y where it is {true, Y}. */
Term filtermap(Term F, Term List)
{
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List); List = erl_tl(List)) {
        Term R = erl_fun_call(F, erl_hd(List)), Y;
        if (erl_match(R, "{true, Y}", &Y))
            builder_add(&b, Y);
        else if (is_true(R))
            builder_add(&b, erl_hd(List));
    }
    return builder_end(&b, ERL_NIL);
}

/* keysearch(Key, N, TupleList) -> {value, Tuple} | false. */
Term keysearch(Term Key, Term N, Term List)
{
    Term T = keyfind(Key, N, List);
    return T == ATOM(false) ? T : erl_tuple(ATOM(value), T);
}

/* keymap(Fun, N, TupleList): each tuple with its Nth element E as Fun(E). */
Term keymap(Term Fun, Term N, Term List)
{
    long n = key_pos(N);
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List); List = erl_tl(List)) {
        Term T = erl_hd(List);
        if (!erl_is_tuple(T) || (long)erl_tuple_size(T) < n)
            erl_error(ATOM(badarg));
        Term Elems = erl_call(erlang, tuple_to_list, T);
        Builder e;
        builder_init(&e);
        for (long i = 1; erl_is_cons(Elems); Elems = erl_tl(Elems), i++)
            builder_add(&e, i == n ? erl_fun_call(Fun, erl_hd(Elems)) : erl_hd(Elems));
        builder_add(&b, erl_call(erlang, list_to_tuple, builder_end(&e, ERL_NIL)));
    }
    return builder_end(&b, ERL_NIL);
}

/* flatlength(DeepList) -> length(flatten(DeepList)). */
Term flatlength(Term DeepList)
{
    return erl_mk_int(length(flatten_1(DeepList)));
}

/* flatten(DeepList, Tail) -> flatten(DeepList) ++ Tail. */
Term flatten_2(Term DeepList, Term Tail)
{
    Builder b;
    builder_init(&b);
    flatten_into(&b, DeepList, 0);
    return builder_end(&b, Tail);
}

/* join(Sep, [X1, X2, ...]) -> [X1, Sep, X2, Sep, ...]. */
Term join(Term Sep, Term List)
{
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List); List = erl_tl(List)) {
        if (b.head != ERL_NIL)
            builder_add(&b, Sep);
        builder_add(&b, erl_hd(List));
    }
    if (List != ERL_NIL)
        erl_function_clause(Sep, List);
    return builder_end(&b, ERL_NIL);
}

/* uniq(F, List): List without the elements X for which an earlier
** element Y had F(Y) =:= F(X). */
Term uniq_2(Term F, Term List)
{
    if (F != ERL_NONE && !is_fun(F, 1))
        erl_function_clause(F, List);
    Builder b;
    builder_init(&b);
    Term Seen = erl_map_new();
    for (; erl_is_cons(List); List = erl_tl(List)) {
        Term Key = F == ERL_NONE ? erl_hd(List) : erl_fun_call(F, erl_hd(List));
        if (erl_map_get(Seen, Key) == ERL_NONE) {
            Seen = erl_map_put(Seen, Key, ATOM(true));
            builder_add(&b, erl_hd(List));
        }
    }
    if (List != ERL_NIL)
        erl_error_in(ATOM(function_clause), 0, "lists", "uniq", 1, &List);
    return builder_end(&b, ERL_NIL);
}

/* uniq(List): List without the elements =:= an earlier one. */
Term uniq_1(Term List)
{
    return uniq_2(ERL_NONE, List);
}
