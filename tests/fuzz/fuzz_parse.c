/*
** fuzz_parse.c
** libFuzzer target: any bytes through the shell's command splitter, scanner
** and parser. Each must return an answer (tokens, an AST, or erl's error
** message) without a crash, a leak or a read outside the input.
*/
#include "../../shell/lexer.h"
#include "../../shell/parser.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    atom_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the reader hands over NUL-terminated text; keep that contract */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    size_t end = 0;
    if (lexer_complete_command(text, size, &end) && end > size)
        abort(); /* the next command cannot start past the text */

    Arena a = {0};
    Token *toks = NULL;
    size_t n = 0;
    char *msg = NULL;
    if (lexer_scan(text, size, &a, &toks, &n, &msg) && (n == 0 || (toks[n - 1].kind != TOK_DOT && toks[n - 1].kind != TOK_EOF)))
        abort(); /* the token list always ends in a dot or the end */
    free(msg);
    arena_free(&a);

    Arena b = {0};
    Ast *ast = NULL;
    msg = NULL;
    ParseStatus st = parser_parse(text, size, &b, &ast, &msg);
    if ((st == PARSE_OK && !ast) || (st == PARSE_ERROR && !msg))
        abort(); /* an answer is either a tree or a message */
    free(msg);
    arena_free(&b);
    free(text);
    return 0;
}
