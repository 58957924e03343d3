/*
** records.h
** Records at the shell prompt, as erl's shell has them: the table of
** definitions rd/2 makes, the expansion of record syntax into what the
** evaluator runs (erl_expand_records' job), and the commands rd, rf, rl, rp.
*/
#ifndef CERL_RECORDS_H
#define CERL_RECORDS_H

#include "parser.h"

#include <stdbool.h>

/* One record definition, -record(Name, {F1, F2 = Default, ...}).
** Invariant: field names are distinct; defaults are expanded (no record
** syntax left in them) and live in 'arena'. */
typedef struct RecordDef {
    Term name;
    int nfields;
    Term *fields;    /* nfields atoms; malloc'd, owned */
    Ast **defaults;  /* nfields: a field's default expression, or NULL */
    Arena arena;     /* owns the defaults */
} RecordDef;

/* The shell's record table: one per shell (its evaluator state), like the
** bindings. A zeroed Records is empty.
** Invariant: v[0..n) sorted by name as erl's ordered_set of atoms sorts
** them (by their text), names distinct; each RecordDef malloc'd, owned. */
typedef struct Records {
    RecordDef **v;
    size_t n, cap;
} Records;

/* Frees every definition; the table is then empty. */
void records_destroy(Records *rt);

/* The definition of record 'name', or NULL (also when rt is NULL). */
const RecordDef *records_find(const Records *rt, Term name);

/* The position of field f in the tuple of def (2 for the first field), or
** 0 when def has no field f. */
int records_field_pos(const RecordDef *def, Term f);

/* io_lib_pretty's record_print_fun over rt: the names of the fields of
** record 'tag' when it is defined with nfields fields, else NULL. The
** array is valid until the table changes. */
const Term *records_print_fields(const Records *rt, Term tag, size_t nfields);

/* erl_expand_records for one expression checked by lint_run against rt:
** returns e with every record construct replaced by what the evaluator
** runs (a new record becomes a tuple, #Name.F an integer, a record pattern
** a tuple pattern, is_record(X, Name) is_record(X, Name, Size),
** record_info/2 its value; E#Name.F and updates stay, resolved to
** positions). Nodes are shared with e where nothing changes, new ones are
** allocated in 'a'; e itself is not modified. Cannot fail: a construct
** naming what rt lacks (which lint_run reports first) is left as it is. */
Ast *records_expand(const Records *rt, Ast *e, Arena *a);

/* Whether call e is the shell command rd(Name, Definition), whose
** arguments are not evaluated. */
bool records_is_rd(const Ast *e);

/* rd(Name, Definition) with the arguments as written (expanded): defines
** or redefines the record and returns its name. Raises as erl's shell
** does: function_clause (where {shell, rd, 2}) when Name is not an atom,
** exit "bad record declaration" when Definition is not a tuple, exit "bad
** record field", "field a already defined in record x", "variable 'X' is
** unbound". */
Term records_rd(Records *rt, const Ast *name, const Ast *def);

/* The record commands whose arguments are evaluated: rf() (forget every
** definition, value []), rf(Name | [Names] | '_') (value ok), rl() and
** rl(Name | [Names]) (print the definitions as erl_pp prints them, value
** ok), rp(Term) (print Term with record syntax, unlimited depth, value
** ok). Returns false when name/argc is none of them. rt may be NULL (no
** records). */
bool records_command(Records *rt, Term name, int argc, const Term *argv, Term *out);

#endif
