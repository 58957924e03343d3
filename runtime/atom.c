/*
** atom.c
** The atom table: names interned once, never freed, looked up by hash.
*/
#include "term.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

/* Invariant: names[i] is the NUL-terminated UTF-8 name of atom i, of at
** most 255 characters, lens[i] its length in bytes; slots[] is an
** open-addressed hash of atom index + 1 (0 = empty), at most half full. */
static struct {
    char **names;
    uint16_t *lens;
    size_t count, cap;
    uint32_t *slots;
    size_t nslots;
} tab;

static uint32_t hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void rehash(size_t nslots)
{
    free(tab.slots);
    tab.slots = xcalloc(nslots, sizeof *tab.slots);
    tab.nslots = nslots;
    for (size_t i = 0; i < tab.count; i++) {
        size_t j = hash(tab.names[i], tab.lens[i]) & (nslots - 1);
        while (tab.slots[j])
            j = (j + 1) & (nslots - 1);
        tab.slots[j] = (uint32_t)i + 1;
    }
}

static long find(const char *name, size_t len, size_t *slot)
{
    size_t j = hash(name, len) & (tab.nslots - 1);
    while (tab.slots[j]) {
        uint32_t i = tab.slots[j] - 1;
        if (tab.lens[i] == len && memcmp(tab.names[i], name, len) == 0)
            return i;
        j = (j + 1) & (tab.nslots - 1);
    }
    *slot = j;
    return -1;
}

/* Whether a name of 'len' UTF-8 bytes has at most 255 characters, erl's
** limit for an atom. */
static bool fits(const char *name, size_t len)
{
    if (len <= 255)
        return true;
    if (len > 4 * 255)
        return false;
    size_t chars = 0;
    for (size_t i = 0; i < len; i++)
        chars += ((unsigned char)name[i] & 0xc0) != 0x80;
    return chars <= 255;
}

Term atom_lookup(const char *name, size_t len)
{
    size_t slot;
    if (!fits(name, len))
        return ERL_NONE;
    long i = find(name, len, &slot);
    return i < 0 ? ERL_NONE : ATOM_OF_INDEX(i);
}

Term atom_from(const char *name, size_t len)
{
    size_t slot;
    if (!fits(name, len))
        return ERL_NONE;
    long i = find(name, len, &slot);
    if (i >= 0)
        return ATOM_OF_INDEX(i);
    if (tab.count == tab.cap) {
        tab.cap = tab.cap ? tab.cap * 2 : 256;
        tab.names = xrealloc(tab.names, tab.cap * sizeof *tab.names);
        tab.lens = xrealloc(tab.lens, tab.cap * sizeof *tab.lens);
    }
    char *copy = xmalloc(len + 1);
    memcpy(copy, name, len);
    copy[len] = '\0';
    tab.names[tab.count] = copy;
    tab.lens[tab.count] = (uint16_t)len;
    tab.slots[slot] = (uint32_t)tab.count + 1;
    i = (long)tab.count++;
    if (tab.count * 2 > tab.nslots)
        rehash(tab.nslots * 2);
    return ATOM_OF_INDEX(i);
}

void atom_init(void)
{
    if (tab.slots)
        return;
    rehash(1024);
    static const char *const predefined[] = {
#define X(c, s) s,
#include "atoms.def"
#undef X
    };
    for (size_t i = 0; i < sizeof predefined / sizeof *predefined; i++)
        atom_from(predefined[i], strlen(predefined[i]));
}

Term erl_atom(const char *name)
{
    Term a = atom_from(name, strlen(name));
    if (a == ERL_NONE)
        erl_error(AM_system_limit);
    return a;
}

const char *erl_atom_name(Term a)
{
    return tab.names[ATOM_INDEX(a)];
}

size_t atom_len(Term a)
{
    return tab.lens[ATOM_INDEX(a)];
}

size_t atom_count(void)
{
    return tab.count;
}

void atom_memory(size_t *total, size_t *used)
{
    size_t names = 0;
    for (size_t i = 0; i < tab.count; i++)
        names += tab.lens[i] + 1u;
    *used = names;
    *total = names + tab.cap * (sizeof *tab.names + sizeof *tab.lens) + tab.nslots * sizeof *tab.slots;
}
