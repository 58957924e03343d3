/*
** bits.h
** Binaries and bitstrings: their two representations (bytes on the process
** heap, or a handle to reference-counted bytes off the heap), sub-binaries,
** and the bit-level engine of Erlang's bit syntax (construction and
** matching of integer, float, binary, bitstring and utf segments), for the
** shell's evaluator and, later, C modules.
*/
#ifndef CERL_BITS_H
#define CERL_BITS_H

#include "term.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every binary or bitstring is a box of kind ERL_BOX_BINARY whose header
** size field is (bit size << 1) | ref:
**   ref 0, a heap binary: the bytes follow the header, zero-padded to a word;
**   ref 1, a handle: word 1 is a RefBin*, word 2 the byte offset of the
**          first byte in it; the handle is on its heap's off-heap list.
** Invariants: the data of every bitstring starts on a byte boundary, and
** the unused low bits of its last byte are zero (a sub-bitstring that would
** break either is a copy). Bitstrings of more than BITS_HEAP_MAX bytes are
** handles; smaller ones are on the heap, except sub-binaries of a handle,
** which share its bytes whatever their size. */
enum {
    BITS_HEAP_MAX = 64,  /* bytes a heap binary holds at most (as BEAM's) */
    BITS_HANDLE_WORDS = 3
};
/* The largest bitstring the bit syntax builds (4 GB): beyond, system_limit. */
#define BITS_MAX_BITS ((int64_t)1 << 35)

/* The shared bytes of off-heap binaries. refc counts the handles on every
** heap (atomically: the handles of several schedulers' processes may let
** go at once); the last one to go frees it. 'data' never changes. */
typedef struct RefBin {
    long refc;
    size_t size;
    unsigned char data[];
} RefBin;

static inline bool bits_is_handle(Term t) { return (erl_box_size(t) & 1) != 0; }
static inline RefBin *bits_refbin(Term t) { return (RefBin *)(uintptr_t)erl_box_ptr(t)[1]; }
/* Words a heap binary of this many bits takes, its header included. */
static inline size_t bits_heap_words(uint64_t bits) { return 1 + (size_t)((bits + 63) / 64); }
/* Words of the box t (heap binary or handle). */
static inline size_t bits_box_words(Term t)
{
    return bits_is_handle(t) ? 1 + BITS_HANDLE_WORDS : bits_heap_words(erl_bit_size(t));
}
/* The first byte of bitstring t. */
const unsigned char *bits_data(Term t);

/* A new bitstring of 'bits' bits on h copied from 'bytes' (whose unused
** trailing bits need not be zero). Cannot fail. */
Term bits_make(Heap *h, const void *bytes, uint64_t bits);
/* A new bitstring of 'bits' zero bits on h; *data is where to write them
** (the last byte's unused bits must stay zero). Cannot fail. */
Term bits_alloc(Heap *h, uint64_t bits, unsigned char **data);
/* The part of bitstring t of 'bits' bits that starts 'offset' bits in, on
** h: a handle sharing t's bytes when t is a handle and the part starts on
** a byte and has whole bytes, else a copy. The caller has checked that the
** part lies within t. */
Term bits_sub(Heap *h, Term t, uint64_t offset, uint64_t bits);

/* The handle obj, just copied word for word onto heap h: counts it and
** puts it on h's off-heap list. */
void bits_adopt(Heap *h, Term *obj);
/* A handle the collector found dead, or one on a heap being destroyed:
** lets go of its bytes (freed when it was the last). */
void bits_drop(Term *obj);
/* The handles on all heaps of t's bytes (1 for a heap binary). */
long bits_refc(Term t);
/* Off-heap binaries alive in the runtime (for tests and accounting). */
long bits_refbins_alive(void);

/* Erlang's order and equality of two bitstrings: bit by bit, a prefix
** first. */
int bits_compare(Term a, Term b);

/* ------------------------------------------------------- bit syntax */

/* Type specifiers of one segment. */
typedef enum BitsType {
    BITS_INTEGER,
    BITS_FLOAT,
    BITS_BINARY,
    BITS_BITSTRING,
    BITS_UTF8,
    BITS_UTF16,
    BITS_UTF32
} BitsType;

enum {
    BITS_LITTLE = 1,  /* little endian (native is little on the hosts cerl runs on) */
    BITS_SIGNED = 2
};

/* A bitstring being built: bytes malloc'd, trailing bits zero. Start it
** zeroed ({0}); bits_writer_free releases it (the caller frees it on every
** path, raising included). */
typedef struct BitWriter {
    unsigned char *buf;
    uint64_t bits;
    size_t cap;
} BitWriter;

/* Each appends one segment of value v and returns true, or false (the
** writer unchanged) where erl raises badarg: v of the wrong type, a size
** the type does not allow, a bitstring shorter than the size, an invalid
** code point. 'bits' is size * unit; for BITS_BINARY and BITS_BITSTRING,
** -1 means all of v (a binary must then have whole bytes). */
bool bits_put(BitWriter *w, BitsType type, Term v, int64_t bits, unsigned flags);
/* The bitstring built so far, on h; the writer is left as it was. */
Term bits_writer_term(const BitWriter *w, Heap *h);
/* The bitstring built, on h, taking the writer's bytes without a copy when
** they go off the heap; the writer is left empty (freed). */
Term bits_writer_take(BitWriter *w, Heap *h);
void bits_writer_free(BitWriter *w);

/* Matching walks a bitstring from a position. */
typedef struct BitReader {
    Term src;             /* the bitstring matched */
    const unsigned char *data;
    uint64_t pos, size;   /* bits read, bits in all */
} BitReader;

/* Starts reading t, which must be a bitstring. */
void bits_reader_init(BitReader *r, Term t);
/* Reads one segment into *out (built on h) and advances; returns false,
** the reader unchanged, when it does not match: too few bits, a float
** that is no finite number, an invalid utf encoding, a binary without size
** whose rest has no whole bytes. 'bits' as for bits_put, -1 allowed for
** BITS_BINARY and BITS_BITSTRING (the rest). */
bool bits_get(BitReader *r, Heap *h, BitsType type, int64_t bits, unsigned flags, Term *out);

/* ----------------------------------------------------- lists and bits */

/* The bytes of iolist t (integers 0..255, binaries, nested lists, any
** tail a binary or []) appended to w; false when t is no iolist. With
** 'bitstrings', bitstrings are accepted too (list_to_bitstring). */
bool bits_put_iolist(BitWriter *w, Term t, bool bitstrings);

#endif
