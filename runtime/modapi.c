/*
** modapi.c
** The table of include/cerl.h's functions that the loader hands to each
** module (tcc_add_symbol): the only part of cerl a module can link to.
*/
#include "modapi.h"
#include "term.h"

#include <stddef.h>
#include <string.h>

#define API(f) {#f, (const void *)f}

const ModApiSym modapi_symbols[] = {
    API(erl_mk_int),
    API(erl_mk_uint64),
    API(erl_get_long),
    API(erl_get_ulong),
    API(erl_cons),
    API(erl_tuple_n),
    API(erl_list_n),
    API(erl_mk_float),
    API(erl_float_value),
    API(erl_mk_binary),
    API(erl_binary_bytes),
    API(erl_mk_string),
    API(erl_atom),
    API(erl_atom_name),
    API(erl_eq),
    API(erl_compare),
    API(erl_add),
    API(erl_sub),
    API(erl_mul),
    API(erl_div),
    API(erl_rem),
    API(erl_fdiv),
    API(erl_band),
    API(erl_bor),
    API(erl_bxor),
    API(erl_bsl),
    API(erl_bsr),
    API(erl_neg),
    API(erl_map_new),
    API(erl_map_put),
    API(erl_map_get),
    API(erl_map_size),
    API(erl_map_foreach),
    API(erl_self),
    API(erl_spawn_fn),
    API(erl_spawn_link_fn),
    API(erl_link),
    API(erl_unlink),
    API(erl_trap_exit),
    API(erl_spawn3),
    API(erl_apply),
    API(erl_send),
    API(erl_receive),
    API(erl_receive_timeout),
    API(erl_receive_match),
    API(erl_sleep),
    API(erl_send_after),
    API(erl_cancel_timer),
    API(erl_yield),
    API(erl_register),
    API(erl_unregister),
    API(erl_whereis),
    API(erl_monitor),
    API(erl_exit),
    API(erl_exit2),
    API(erl_error),
    API(erl_throw),
    /* process dictionary (BIFs of issue 12) */
    API(erl_put),
    API(erl_get),
    API(erl_erase),
    API(erl_display),
    API(io_format),
    API(logger_format),
    API(erl_export_entry),
    API(erl_export_fn),
    API(erl_tail_call),
    /* OTP behaviours */
    API(erl_catch),
    API(erl_catch_stack),
    /* fault catching (issue 13) */
    API(erl_catch_fault),
    /* hibernation (issue 15, memory) */
    API(erl_hibernate),
    /* funs (runtime/fun.c) */
    API(erl_mk_export_fun),
    API(erl_mk_closure_fn),
    /* for the standard library (stdlib.c, pattern.c) */
    API(erl_error_in),
    API(erl_apply_n),
    /* prepared fun calls (listspeed) */
    API(erl_fun_prepare),
    API(erl_prepared_call),
    API(erl_heap_reserve),
    API(erl_list_reverse),
    API(erl_list_map),
    API(erl_list_foldl),
    API(erl_match),
    API(io_lib_format),
    /* the C API that reads like Erlang (issue 12, section 5) */
    API(erl_demonitor),
    API(erl_demonitor_flush),
    API(erl_spawn_monitor_fn),
    API(erl_make_ref),
    API(erl_is_process_alive),
    API(erl_list_length),
    API(erl_iolist_to_cstring),
    API(erl_monotonic_time),
    API(erl_system_time),
    {NULL, NULL},
};

const void *modapi_find(const char *name)
{
    for (const ModApiSym *s = modapi_symbols; s->name; s++)
        if (strcmp(s->name, name) == 0)
            return s->fn;
    return NULL;
}
