/*
** node.h
** Pids and references as erl has them: of this node (an immediate pid, a
** three-word reference) or of another node (boxed, carrying the node's name
** and creation); node/0,1, their printing, their term order and their text
** forms (pid_to_list, list_to_pid, ref_to_list).
**
** cerl is not distributed: this node is nonode@nohost with creation 0, as
** an erl started without a name. A pid or reference decoded from the
** external term format with that node and creation is local; any other is
** remote, kept exactly as it came (so it encodes back to the same bytes)
** and printed with its node's number, which erl takes from the index of
** the node name's atom, as cerl does.
*/
#ifndef CERL_NODE_H
#define CERL_NODE_H

#include "buf.h"
#include "term.h"

enum { NODE_REF_WORDS_MAX = 5 };

/* Layouts (cerl.h names the kinds):
**   ERL_BOX_EXTPID  [hdr 4][Node atom][Number][Serial][Creation]
**   ERL_BOX_EXTREF  [hdr 2+n][Node atom][Creation][Word 0]..[Word n-1]
** Every word after the node is a raw 32-bit number, not a term. */

/* This node's name: nonode@nohost until node_set_this. */
Term node_this(void);
/* This node's creation: 0 (erl's when not distributed) until node_set_this. */
uint32_t node_creation(void);
/* Makes this node 'name' of 'creation' (dist_start, once, before any pid
** or reference leaves the node). Local pids and references keep their
** numbers: only the node they belong to is renamed. */
void node_set_this(Term name, uint32_t creation);

/* The pid Node's Number.Serial of 'creation', on h: an immediate when Node
** is this node with its creation, else a boxed remote pid. ERL_NONE when a
** local pid's number or serial does not fit (number < 2^32, serial < 2^28). */
Term node_pid(Heap *h, Term node, uint32_t number, uint32_t serial, uint32_t creation);
/* The parts of any pid. */
void node_pid_parts(Term pid, Term *node, uint32_t *number, uint32_t *serial, uint32_t *creation);

/* The reference of Node and creation with words[0..n) (n <= 5; words[0]
** least significant, as the external format lists them), on h. A local one
** has 3 words: fewer are padded with zeros as erl pads them; more are
** refused (ERL_NONE), as erl refuses them. */
Term node_ref(Heap *h, Term node, uint32_t creation, int n, const uint32_t *words);
/* The parts of any reference; returns its number of words. */
int node_ref_parts(Term ref, Term *node, uint32_t *creation, uint32_t words[NODE_REF_WORDS_MAX]);

/* node(PidOrRef): the node's name. */
Term node_of(Term pid_or_ref);

/* erl's term order among pids: serial, then number, then node name, then
** creation; among references: node name, creation, number of words, then
** the words from the most significant. -1, 0 or 1. */
int node_compare_pids(Term a, Term b);
int node_compare_refs(Term a, Term b);

/* <N.Number.Serial> and #Ref<N.Wn-1...W0>, N being 0 for this node. */
void node_write_pid(Buf *b, Term pid);
void node_write_ref(Buf *b, Term ref);

/* Enters node/1, pid_to_list/1, list_to_pid/1 and ref_to_list/1. */
void node_bif_init(void);

#endif
