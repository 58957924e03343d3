/*
** complete.h
** Tab completion for the shell's line editor: module names, Mod: exports,
** shell commands, auto-imported BIFs, registered names and variables.
*/
#ifndef CERL_COMPLETE_H
#define CERL_COMPLETE_H

/* Every completion of the word 'text' (the characters before the cursor
** back to a word break; ':' is part of a word), sorted and without
** duplicates, as a NULL-terminated malloc'd array of malloc'd strings
** (the caller frees both), or NULL when there is none. A module completes
** to "mod:", a function to "mod:fun(", a command or BIF to "name(",
** registered names and bound variables to themselves. */
char **complete_word(const char *text);

#endif
