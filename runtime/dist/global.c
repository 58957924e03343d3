/*
** global.c
** What cerl offers of the global name registration facility: global:sync/0.
** cerl runs no global name server and holds no global names, so there is
** nothing of its own to bring in line with other nodes: sync answers at
** once, as erl's does on a node whose peers have nothing to exchange. The
** BEAM nodes' global servers get no answer from cerl (it does not speak
** global's protocol), so their global:sync() waits while cerl is connected.
*/
#include "conn.h"
#include "../export.h"

/* global:sync() -> ok. */
static Term bif_sync(void)
{
    return AM_ok;
}

void dist_global_init(void)
{
    export_builtin("global", "sync", 0, (void *)bif_sync);
}
