/*
** proplists.c
** The proplists module: property lists, as OTP's proplists reads. A
** property is an atom Key (short for {Key, true}) or a tuple whose first
** element is its key, usually {Key, Value}; the first one with a key wins.
*/
#include <cerl.h>

MODULE(proplists);
EXPORT(append_values/2, compact/1, delete/2, expand/2, from_map/1, get_all_values/2, get_bool/2,
       get_keys/1, get_value/2, get_value/3, is_defined/2, lookup/2, lookup_all/2, normalize/2,
       property/1, property/2, split/2, substitute_aliases/2, substitute_negations/2, to_map/1,
       unfold/1);

/* ------------------------------------------------------------ helpers */

static void no_clause(void)
{
    erl_error(ATOM(function_clause));
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

static Term builder_end(Builder *b)
{
    return b->head;
}

/* is_atom(P), P =:= Key; or tuple_size(P) >= 1, element(1, P) =:= Key. */
static int has_key(Term P, Term Key)
{
    if (erl_is_atom(P))
        return P == Key;
    return erl_is_tuple(P) && erl_tuple_size(P) >= 1 && erl_eq(erl_element(P, 1), Key);
}

/* The first property of List with Key, or ERL_NONE. */
static Term first_with_key(Term Key, Term List)
{
    for (; erl_is_cons(List); List = erl_tl(List))
        if (has_key(erl_hd(List), Key))
            return erl_hd(List);
    if (List != ERL_NIL)
        no_clause();
    return ERL_NONE;
}

/* ---------------------------------------------------------- looking up */

/* lookup(Key, List) -> none | tuple(): the first entry for Key, an atom
** as {Key, true}. */
Term lookup(Term Key, Term List)
{
    Term P = first_with_key(Key, List);
    if (P == ERL_NONE)
        return ATOM(none);
    return erl_is_atom(P) ? erl_tuple(P, ATOM(true)) : P;
}

/* lookup_all(Key, List) -> [tuple()]: every entry for Key, in order. */
Term lookup_all(Term Key, Term List)
{
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List); List = erl_tl(List)) {
        Term P = erl_hd(List);
        if (has_key(P, Key))
            builder_add(&b, erl_is_atom(P) ? erl_tuple(P, ATOM(true)) : P);
    }
    if (List != ERL_NIL)
        no_clause();
    return builder_end(&b);
}

/* is_defined(Key, List) -> boolean(): has List an entry for Key? */
Term is_defined(Term Key, Term List)
{
    return first_with_key(Key, List) == ERL_NONE ? ATOM(false) : ATOM(true);
}

/* get_value(Key, List, Default): the value of the first entry for Key: true
** for an atom, V for {Key, V}, Default for a tuple of another size or when
** there is none. */
Term get_value_3(Term Key, Term List, Term Default)
{
    Term P = first_with_key(Key, List), Value;
    if (P == ERL_NONE)
        return Default;
    if (erl_is_atom(P))
        return ATOM(true);
    return erl_match(P, "{_, Value}", &Value) ? Value : Default;
}

/* get_value(Key, List) -> get_value(Key, List, undefined). */
Term get_value_2(Term Key, Term List)
{
    return get_value_3(Key, List, ATOM(undefined));
}

/* get_all_values(Key, List): the value of every entry for Key (true for
** an atom, V for {Key, V}), in order. */
Term get_all_values(Term Key, Term List)
{
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List); List = erl_tl(List)) {
        Term P = erl_hd(List), Value;
        if (!has_key(P, Key))
            continue;
        if (erl_is_atom(P))
            builder_add(&b, ATOM(true));
        else if (erl_match(P, "{_, Value}", &Value))
            builder_add(&b, Value);
    }
    if (List != ERL_NIL)
        no_clause();
    return builder_end(&b);
}

/* append_values(Key, List): the values of every {Key, V} joined: V's
** elements when V is a list, else V itself. */
Term append_values(Term Key, Term List)
{
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List); List = erl_tl(List)) {
        Term P = erl_hd(List), Value;
        if (has_key(P, Key) && erl_is_atom(P)) {
            builder_add(&b, ATOM(true));
        } else if (has_key(P, Key) && erl_match(P, "{_, Value}", &Value)) {
            if (!erl_is_list(Value))
                builder_add(&b, Value);
            for (; erl_is_cons(Value); Value = erl_tl(Value))
                builder_add(&b, erl_hd(Value));
        }
    }
    if (List != ERL_NIL)
        no_clause();
    return builder_end(&b);
}

/* get_bool(Key, List) -> boolean(): true when the first entry for Key is
** Key or {Key, true}. */
Term get_bool(Term Key, Term List)
{
    Term P = first_with_key(Key, List);
    if (P == ERL_NONE)
        return ATOM(false);
    if (erl_is_atom(P))
        return ATOM(true);
    return erl_match(P, "{_, true}") ? ATOM(true) : ATOM(false);
}

/* get_keys(List): every key that has an entry, once each, in term order. */
Term get_keys(Term List)
{
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List); List = erl_tl(List)) {
        Term P = erl_hd(List);
        if (erl_is_atom(P))
            builder_add(&b, P);
        else if (erl_is_tuple(P) && erl_tuple_size(P) >= 1)
            builder_add(&b, erl_element(P, 1));
    }
    if (List != ERL_NIL)
        no_clause();
    return erl_call(lists, usort, builder_end(&b));
}

/* ------------------------------------------------------------ changing */

/* delete(Key, List): List without any entry for Key. */
Term delete(Term Key, Term List)
{
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List); List = erl_tl(List))
        if (!has_key(erl_hd(List), Key))
            builder_add(&b, erl_hd(List));
    if (List != ERL_NIL)
        no_clause();
    return builder_end(&b);
}

/* property(Key, true) when is_atom(Key) -> Key; property(Key, V) -> {Key, V}. */
Term property_2(Term Key, Term Value)
{
    if (erl_is_atom(Key) && Value == ATOM(true))
        return Key;
    return erl_tuple(Key, Value);
}

/* property({Key, true}) when is_atom(Key) -> Key; property(P) -> P. */
Term property_1(Term P)
{
    Term Key;
    if (erl_match(P, "{Key, true}", &Key) && erl_is_atom(Key))
        return Key;
    return P;
}

/* compact(List) -> [property(P) || P <- List]. */
Term compact(Term List)
{
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List); List = erl_tl(List))
        builder_add(&b, property_1(erl_hd(List)));
    if (List != ERL_NIL)
        no_clause();
    return builder_end(&b);
}

/* unfold(List): each atom Key as {Key, true}, the rest as they are. */
Term unfold(Term List)
{
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List); List = erl_tl(List)) {
        Term P = erl_hd(List);
        builder_add(&b, erl_is_atom(P) ? erl_tuple(P, ATOM(true)) : P);
    }
    if (List != ERL_NIL)
        no_clause();
    return builder_end(&b);
}

/* ---------------------------------------------------------------- maps */

/* to_map(List): #{Key => Value} of each atom and pair, the first entry
** for a key winning; other entries are left out. */
Term to_map(Term List)
{
    Term Map = erl_map_new();
    for (Term L = erl_call(lists, reverse, List); erl_is_cons(L); L = erl_tl(L)) {
        Term P = erl_hd(L), Key, Value;
        if (erl_is_atom(P))
            Map = erl_map_put(Map, P, ATOM(true));
        else if (erl_match(P, "{Key, Value}", &Key, &Value))
            Map = erl_map_put(Map, Key, Value);
    }
    return Map;
}

/* from_map(Map) -> maps:to_list(Map). */
Term from_map(Term Map)
{
    return erl_call(maps, to_list, Map);
}

/* ----------------------------------------------------- rewriting keys */

/* split(List, Keys) -> {Lists, Rest}: for each key of Keys, the entries
** for it in order; Rest, the entries for none of them. */
Term split(Term List, Term Keys)
{
    Term Lists = ERL_NIL, Rest = ERL_NIL;
    for (Term K = erl_call(lists, reverse, Keys); erl_is_cons(K); K = erl_tl(K)) {
        Builder b;
        builder_init(&b);
        for (Term L = List; erl_is_cons(L); L = erl_tl(L))
            if (has_key(erl_hd(L), erl_hd(K)))
                builder_add(&b, erl_hd(L));
        Lists = erl_cons(builder_end(&b), Lists);
    }
    Builder r;
    builder_init(&r);
    for (; erl_is_cons(List); List = erl_tl(List)) {
        int keyed = 0;
        for (Term K = Keys; !keyed && erl_is_cons(K); K = erl_tl(K))
            keyed = has_key(erl_hd(List), erl_hd(K));
        if (!keyed)
            builder_add(&r, erl_hd(List));
    }
    if (List != ERL_NIL)
        no_clause();
    Rest = builder_end(&r);
    return erl_tuple(Lists, Rest);
}

/* The entry P with key Key renamed New: an atom as property(New, true), a
** tuple with New as its first element. */
static Term rename(Term P, Term New)
{
    if (erl_is_atom(P))
        return property_2(New, ATOM(true));
    Term Elems = erl_call(erlang, tuple_to_list, P);
    return erl_call(erlang, list_to_tuple, erl_cons(New, erl_tl(Elems)));
}

/* substitute_aliases(Aliases, List): each entry whose key is K of a
** {K, K1} in Aliases gets the key K1 instead. */
Term substitute_aliases(Term Aliases, Term List)
{
    for (; erl_is_cons(Aliases); Aliases = erl_tl(Aliases)) {
        Term Key, New;
        if (!erl_match(erl_hd(Aliases), "{Key, New}", &Key, &New))
            no_clause();
        Builder b;
        builder_init(&b);
        for (Term L = List; erl_is_cons(L); L = erl_tl(L))
            builder_add(&b, has_key(erl_hd(L), Key) ? rename(erl_hd(L), New) : erl_hd(L));
        List = builder_end(&b);
    }
    return List;
}

/* substitute_negations(Negations, List): for each {K, K1}, an entry for K
** becomes the negation of K1: K and {K, true} become {K1, false}, any other
** {K, ...} becomes K1. */
Term substitute_negations(Term Negations, Term List)
{
    for (; erl_is_cons(Negations); Negations = erl_tl(Negations)) {
        Term Key, New;
        if (!erl_match(erl_hd(Negations), "{Key, New}", &Key, &New))
            no_clause();
        Builder b;
        builder_init(&b);
        for (Term L = List; erl_is_cons(L); L = erl_tl(L)) {
            Term P = erl_hd(L);
            if (!has_key(P, Key))
                builder_add(&b, P);
            else if (erl_is_atom(P) || erl_match(P, "{_, true}"))
                builder_add(&b, property_2(New, ATOM(false)));
            else
                builder_add(&b, property_2(New, ATOM(true)));
        }
        List = builder_end(&b);
    }
    return List;
}

/* The list with the first entry for the key of property P (in its
** minimal form) replaced by the elements of Expansion, and the later
** entries for that key dropped, when that entry equals P; else unchanged.
** Lists in the list (expansions already made) are passed over. */
static Term expand_one(Term P, Term Expansion, Term List)
{
    Term Key = erl_is_atom(P) ? P : erl_is_tuple(P) && erl_tuple_size(P) >= 1 ? erl_element(P, 1) : ERL_NONE;
    if (Key == ERL_NONE)
        return List;
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List); List = erl_tl(List)) {
        Term Q = erl_hd(List);
        if (!erl_is_list(Q) && has_key(Q, Key)) {
            if (!erl_eq(property_1(Q), P))
                return *b.tail = List, b.head;
            builder_add(&b, Expansion);
            *b.tail = delete(Key, erl_tl(List));
            return b.head;
        }
        builder_add(&b, Q);
    }
    return builder_end(&b);
}

/* expand(Expansions, List): each {Property, Expansion} of Expansions
** replaces the first entry that is Property (K or {K, true} alike) by the
** elements of the list Expansion, dropping the later entries for K. */
Term expand(Term Expansions, Term List)
{
    Term Last = ERL_NONE;
    for (; erl_is_cons(Expansions); Expansions = erl_tl(Expansions)) {
        Term P, Expansion;
        if (!erl_match(erl_hd(Expansions), "{P, Expansion}", &P, &Expansion))
            no_clause();
        P = property_1(P);
        if (Last != ERL_NONE && erl_eq(P, Last))
            continue; /* a property expanded twice in a row: the first wins */
        Last = P;
        List = expand_one(P, Expansion, List);
    }
    /* the expansions inserted, one level flattened */
    Builder b;
    builder_init(&b);
    for (; erl_is_cons(List); List = erl_tl(List)) {
        Term E = erl_hd(List);
        if (!erl_is_list(E))
            builder_add(&b, E);
        for (; erl_is_cons(E); E = erl_tl(E))
            builder_add(&b, erl_hd(E));
    }
    return builder_end(&b);
}

/* normalize(List, Stages): List passed through each stage in order,
** {aliases, Aliases}, {negations, Negations} or {expand, Expansions},
** then compacted. */
Term normalize(Term List, Term Stages)
{
    for (; erl_is_cons(Stages); Stages = erl_tl(Stages)) {
        Term Arg;
        if (erl_match(erl_hd(Stages), "{aliases, Arg}", &Arg))
            List = substitute_aliases(Arg, List);
        else if (erl_match(erl_hd(Stages), "{negations, Arg}", &Arg))
            List = substitute_negations(Arg, List);
        else if (erl_match(erl_hd(Stages), "{expand, Arg}", &Arg))
            List = expand(Arg, List);
        else
            no_clause();
    }
    return compact(List);
}
