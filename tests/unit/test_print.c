/*
** test_print.c
** Terms as text and failure reports, checked against what erl (OTP 25)
** printed for the same terms: ~w, ~p, the shell's result layout, floats,
** io:format directives, exception reports and error-logger reports.
** Every expected string below was produced by the real erl.
*/
#include <check.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../runtime/print.h"
#include "../../shell/report.h"

/* ====================================================== term reader */

/* Reads Erlang term syntax (as erl prints it, plus pids <0.N.0> and refs
** #Ref<0.A.B.C>) into a term on the current heap: the tests state terms
** the way erl's users write them. */
static const char *rd_p;

static int rd_escape(void)
{
    rd_p++; /* the backslash */
    char c = *rd_p++;
    switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 'e': return 27;
    case 'b': return '\b';
    case 'f': return '\f';
    case 'v': return '\v';
    case 'd': return 127;
    case 's': return ' ';
    }
    if (c >= '0' && c <= '7') {
        int v = c - '0';
        for (int i = 0; i < 2 && *rd_p >= '0' && *rd_p <= '7'; i++)
            v = v * 8 + (*rd_p++ - '0');
        return v;
    }
    return (unsigned char)c;
}

static int rd_char(void)
{
    return *rd_p == '\\' ? rd_escape() : (unsigned char)*rd_p++;
}

static void rd_space(void)
{
    while (isspace((unsigned char)*rd_p))
        rd_p++;
}

static Term rd_term(void);

/* Elements up to 'close'; for lists also an improper tail after '|'. */
static Term rd_seq(char close, bool tuple)
{
    Term elems[256];
    int n = 0;
    Term tail = ERL_NIL;
    rd_space();
    if (*rd_p == close) {
        rd_p++;
        return tuple ? erl_tuple_n(0, NULL) : ERL_NIL;
    }
    for (;;) {
        ck_assert_int_lt(n, 256);
        elems[n++] = rd_term();
        rd_space();
        if (*rd_p == ',') {
            rd_p++;
            continue;
        }
        if (*rd_p == '|') {
            rd_p++;
            tail = rd_term();
            rd_space();
        }
        ck_assert_int_eq(*rd_p, close);
        rd_p++;
        break;
    }
    if (tuple)
        return erl_tuple_n(n, elems);
    for (int i = n; i > 0; i--)
        tail = erl_cons(elems[i - 1], tail);
    return tail;
}

static Term rd_binary(void)
{
    unsigned char bytes[1024];
    size_t n = 0;
    rd_space();
    while (*rd_p != '>') {
        if (*rd_p == '"') {
            rd_p++;
            while (*rd_p != '"')
                bytes[n++] = (unsigned char)rd_char();
            rd_p++;
        } else {
            bytes[n++] = (unsigned char)strtol(rd_p, (char **)&rd_p, 10);
        }
        rd_space();
        if (*rd_p == ',')
            rd_p++;
        rd_space();
    }
    rd_p += 2;
    return erl_mk_binary(bytes, n);
}

static Term rd_term(void)
{
    rd_space();
    char c = *rd_p;
    if (c == '{' || c == '[') {
        rd_p++;
        return rd_seq(c == '{' ? '}' : ']', c == '{');
    }
    if (c == '<' && rd_p[1] == '<') {
        rd_p += 2;
        return rd_binary();
    }
    if (c == '<') { /* <0.N.0> */
        unsigned long n = strtoul(rd_p + 3, (char **)&rd_p, 10);
        rd_p += 3;
        return pid_make(n);
    }
    if (c == '#') { /* #Ref<0.A.B.C> */
        Term *w = heap_alloc(heap_current(), 4);
        w[0] = box_header(3, ERL_BOX_REF);
        rd_p += strlen("#Ref<0");
        for (int i = 1; i <= 3; i++)
            w[i] = strtoul(rd_p + 1, (char **)&rd_p, 10);
        rd_p++;
        return (Term)(uintptr_t)w;
    }
    if (c == '"') {
        char s[1024];
        size_t n = 0;
        rd_p++;
        while (*rd_p != '"')
            s[n++] = (char)rd_char();
        rd_p++;
        return term_string(heap_current(), s, n);
    }
    if (c == '\'') {
        char s[256];
        size_t n = 0;
        rd_p++;
        while (*rd_p != '\'')
            s[n++] = (char)rd_char();
        rd_p++;
        return atom_from(s, n);
    }
    if (c == '$') {
        rd_p++;
        return erl_mk_int(rd_char());
    }
    if (c == '-' || isdigit((unsigned char)c)) {
        const char *start = rd_p;
        rd_p += c == '-';
        while (isdigit((unsigned char)*rd_p))
            rd_p++;
        if (*rd_p == '.' && isdigit((unsigned char)rd_p[1]))
            return erl_mk_float(strtod(start, (char **)&rd_p));
        return erl_mk_int(strtoll(start, NULL, 10));
    }
    const char *start = rd_p;
    while (isalnum((unsigned char)*rd_p) || *rd_p == '_' || *rd_p == '@')
        rd_p++;
    ck_assert_msg(rd_p > start, "cannot read term at: %s", start);
    return atom_from(start, (size_t)(rd_p - start));
}

static Term rd(const char *text)
{
    rd_p = text;
    Term t = rd_term();
    rd_space();
    ck_assert_msg(*rd_p == '\0', "trailing text: %s", rd_p);
    return t;
}

/* ========================================================= helpers */

static void expect_write(const char *term, const char *expected)
{
    Buf b = {0};
    print_write(&b, rd(term));
    ck_assert_str_eq(buf_str(&b), expected);
    buf_free(&b);
}

static void expect_pretty(const char *term, int column, const char *expected)
{
    Buf b = {0};
    print_pretty(&b, rd(term), column, 80, -1);
    ck_assert_str_eq(buf_str(&b), expected);
    buf_free(&b);
}

static void expect_shell(const char *term, const char *expected)
{
    Buf b = {0};
    print_shell_result(&b, rd(term));
    ck_assert_str_eq(buf_str(&b), expected);
    buf_free(&b);
}

/* expected NULL: erl raised badarg. */
static void expect_format(const char *fmt, const char *args, const char *expected)
{
    Buf b = {0};
    int rc = print_format(&b, fmt, rd(args));
    if (expected) {
        ck_assert_int_eq(rc, 0);
        ck_assert_str_eq(buf_str(&b), expected);
    } else {
        ck_assert_int_eq(rc, -1);
    }
    buf_free(&b);
}

/* ================================================== print: erl's text */

START_TEST(atoms_quoted_when_erl_quotes_them)
{
    expect_write("['DOWN','a b','',a@b,'Abc',aB,'after',true,'1a','a-b','a\\nb','it\\'s','\\\\',a_1,'_a','hello world','[]','{}','a\"b','a\\tb','\\d','\\001',maybe,else,'catch','cond','let',spec,'andalso','xor',nonode@nohost]",
        "['DOWN','a b','',a@b,'Abc',aB,'after',true,'1a','a-b','a\\nb','it\\'s','\\\\',a_1,'_a','hello world','[]','{}','a\"b','a\\tb','\\d','\\001',maybe,else,'catch','cond','let',spec,'andalso','xor',nonode@nohost]");
}
END_TEST

START_TEST(pid_prints_with_its_number)
{
    expect_write("<0.88.0>",
        "<0.88.0>");
}
END_TEST

START_TEST(ref_prints_its_three_numbers)
{
    expect_write("#Ref<0.1724818569.1604583425.140563>",
        "#Ref<0.1724818569.1604583425.140563>");
}
END_TEST

START_TEST(tuple_with_pid_and_ref)
{
    expect_pretty("{'DOWN',#Ref<0.2527961757.3760717826.46955>,process,<0.88.0>,killed}", 1,
        "{'DOWN',#Ref<0.2527961757.3760717826.46955>,process,<0.88.0>,killed}");
}
END_TEST

START_TEST(string_escapes)
{
    expect_pretty("\"a\\nb\\\"c\\\\d\\te\\rf\\eh\\bi\\fj\\vk'l\"", 1,
        "\"a\\nb\\\"c\\\\d\\te\\rf\\eh\\bi\\fj\\vk'l\"");
}
END_TEST

START_TEST(list_with_bell_is_not_a_string)
{
    expect_pretty("[7]", 1,
        "[7]");
}
END_TEST

START_TEST(control_chars_that_are_printable)
{
    expect_pretty("[8,9,10,11,12,13,27]", 1,
        "\"\\b\\t\\n\\v\\f\\r\\e\"");
}
END_TEST

START_TEST(empty_string_is_nil)
{
    expect_pretty("\"\"", 1,
        "[]");
}
END_TEST

START_TEST(char_list_with_big_code_is_a_list)
{
    expect_pretty("[97,98,99,300]", 1,
        "[97,98,99,300]");
}
END_TEST

START_TEST(w_never_prints_strings)
{
    expect_write("{\"abc\",<<\"abc\">>,[]}",
        "{[97,98,99],<<97,98,99>>,[]}");
}
END_TEST

START_TEST(list_of_strings)
{
    expect_pretty("[\"abc\",[1,2],\"x\",[]]", 1,
        "[\"abc\",[1,2],\"x\",[]]");
}
END_TEST

START_TEST(binaries_numbers_and_strings)
{
    expect_pretty("[<<1,2>>,<<\"abc\">>,<<\"a\\nb\">>,<<97,98,0>>,<<>>,<<\"a\\\"b'c\\\\d\\te\\e\">>]", 1,
        "[<<1,2>>,<<\"abc\">>,<<\"a\\nb\">>,<<97,98,0>>,<<>>,<<\"a\\\"b'c\\\\d\\te\\e\">>]");
}
END_TEST

START_TEST(improper_lists)
{
    expect_write("[[1|2],[a,b|c],[97|98],[[]|{}]]",
        "[[1|2],[a,b|c],[97|98],[[]|{}]]");
}
END_TEST

START_TEST(nested_empty_containers)
{
    expect_write("{{},[],[{}],<<>>,{[]}}",
        "{{},[],[{}],<<>>,{[]}}");
}
END_TEST

START_TEST(negative_numbers)
{
    expect_write("{-1,-576460752303423488,576460752303423487,-2.5,0}",
        "{-1,-576460752303423488,576460752303423487,-2.5,0}");
}
END_TEST

START_TEST(p_wraps_long_list_at_80)
{
    expect_pretty("[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40]", 1,
        "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,\n"
        " 29,30,31,32,33,34,35,36,37,38,39,40]");
}
END_TEST

START_TEST(p_nested_list_and_tagged_tuple)
{
    expect_pretty("{[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30],{foo,bar,[a,b,c,\"a string that is long\",{x,y}],[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25]}}", 1,
        "{[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,\n"
        "  29,30],\n"
        " {foo,bar,\n"
        "      [a,b,c,\"a string that is long\",{x,y}],\n"
        "      [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25]}}");
}
END_TEST

START_TEST(p_improper_tail_on_own_line)
{
    expect_pretty("[aaaaaaaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,ccccccccccccccccccccccc|{dddddddddddddddddddd,eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee,ffffffffffffffffffffffffff}]", 1,
        "[aaaaaaaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,\n"
        " ccccccccccccccccccccccc|\n"
        " {dddddddddddddddddddd,eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee,\n"
        "     ffffffffffffffffffffffffff}]");
}
END_TEST

START_TEST(p_improper_simple_tail)
{
    expect_pretty("[aaaaaaaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,ccccccccccccccccccccccc|ddddddddddddddddddddddddddddd]", 1,
        "[aaaaaaaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,\n"
        " ccccccccccccccccccccccc|ddddddddddddddddddddddddddddd]");
}
END_TEST

START_TEST(p_binary_of_numbers_wraps)
{
    expect_pretty("<<100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,118,119,120,121,122,123,124,125,126,127,128,129,130,131,132,133,134,135,136,137,138>>", 1,
        "<<100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,118,\n"
        "  119,120,121,122,123,124,125,126,127,128,129,130,131,132,133,134,135,136,137,\n"
        "  138>>");
}
END_TEST

START_TEST(p_binary_inside_tuple_wraps)
{
    expect_pretty("{<<100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,118,119,120,121,122,123,124,125,126,127,128,129,130,131,132,133,134,135,136,137,138>>}", 1,
        "{<<100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,\n"
        "   118,119,120,121,122,123,124,125,126,127,128,129,130,131,132,133,134,135,\n"
        "   136,137,138>>}");
}
END_TEST

START_TEST(p_tagged_tuple_at_column_30)
{
    expect_pretty("{record_like,[{key1,value1},{key2,value2},{key3,[1,2,3]}],{nested,tuple,here},\"str\"}", 30,
        "{record_like,\n"
        "                                 [{key1,value1},{key2,value2},{key3,[1,2,3]}],\n"
        "                                 {nested,tuple,here},\n"
        "                                 \"str\"}");
}
END_TEST

START_TEST(p_deep_nesting_is_not_cut)
{
    expect_pretty("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", 1,
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
}
END_TEST

START_TEST(shell_fits_60_chars_on_a_line)
{
    expect_shell("{aaaaaaaaaa,bbbbbbbbbbbbbbb,ccccccccccccccc,ddddddddddddd,e}",
        "{aaaaaaaaaa,bbbbbbbbbbbbbbb,ccccccccccccccc,ddddddddddddd,e}");
}
END_TEST

START_TEST(shell_breaks_after_60_chars)
{
    expect_shell("{aaaaaaaaaa,bbbbbbbbbbbbbbb,ccccccccccccccc,dddddddddddddd,e}",
        "{aaaaaaaaaa,bbbbbbbbbbbbbbb,ccccccccccccccc,dddddddddddddd,\n"
        "            e}");
}
END_TEST

START_TEST(shell_tagged_tuple_wide)
{
    expect_shell("{aaaaaaaaaa,bbbbbbbbbbbbbbb,ccccccccccccccc,dddddddddddddddd,eeeeeeeeeeeeeee}",
        "{aaaaaaaaaa,bbbbbbbbbbbbbbb,ccccccccccccccc,\n"
        "            dddddddddddddddd,eeeeeeeeeeeeeee}");
}
END_TEST

START_TEST(shell_long_list_is_cut_at_depth_30)
{
    expect_shell("[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40]",
        "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,\n"
        " 23,24,25,26,27,28,29|...]");
}
END_TEST

START_TEST(shell_list_of_tuples_one_per_line)
{
    expect_shell("[{a,1},{b,2},{c,\"hello world\"},{d,[1,2,3]},{e,{x,y,z}},{f,<<1,2,3>>},{g,[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}]",
        "[{a,1},\n"
        " {b,2},\n"
        " {c,\"hello world\"},\n"
        " {d,[1,2,3]},\n"
        " {e,{x,y,z}},\n"
        " {f,<<1,2,3>>},\n"
        " {g,[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}]");
}
END_TEST

START_TEST(shell_down_message)
{
    expect_shell("{'DOWN',#Ref<0.722732668.3224371202.82070>,process,<0.88.0>,killed}",
        "{'DOWN',#Ref<0.722732668.3224371202.82070>,process,<0.88.0>,\n"
        "        killed}");
}
END_TEST

START_TEST(shell_nested_lists_cut_at_depth_30)
{
    expect_shell("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
}
END_TEST

START_TEST(shell_nested_tuples_cut_at_depth_30)
{
    expect_shell("{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{x}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}",
        "{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{...}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}");
}
END_TEST

START_TEST(shell_long_string_is_not_cut)
{
    expect_shell("\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
        "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"");
}
END_TEST

START_TEST(shell_long_printable_binary_is_cut)
{
    expect_shell("<<\"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz\">>",
        "<<\"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl\"...>>");
}
END_TEST

START_TEST(shell_binary_of_numbers_is_cut)
{
    expect_shell("<<1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100>>",
        "<<1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,\n"
        "  22,23,24,25,26,27,28,29,...>>");
}
END_TEST

START_TEST(shell_tuple_cut_at_depth)
{
    expect_shell("{1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40}",
        "{1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,\n"
        " 23,24,25,26,27,28,29,...}");
}
END_TEST

START_TEST(shell_map_of_pids_and_strings)
{
    expect_shell("[{<0.80.0>,\"worker one\",running},{<0.81.0>,\"worker two\",waiting},{<0.82.0>,\"worker three\",exiting}]",
        "[{<0.80.0>,\"worker one\",running},\n"
        " {<0.81.0>,\"worker two\",waiting},\n"
        " {<0.82.0>,\"worker three\",exiting}]");
}
END_TEST

START_TEST(shell_atoms_list_cut)
{
    expect_shell("['DOWN','a b','',a@b,'Abc',aB,'after',true,'1a','a-b','a\\nb','it\\'s','\\\\',a_1,'_a','hello world',[],'[]','{}','a\"b','a\\tb','\\d','\\001',maybe,else,'catch','cond','let',spec,xyz]",
        "['DOWN','a b','',a@b,'Abc',aB,'after',true,'1a','a-b',\n"
        " 'a\\nb','it\\'s','\\\\',a_1,'_a','hello world',[],'[]','{}',\n"
        " 'a\"b','a\\tb','\\d','\\001',maybe,else,'catch','cond','let',\n"
        " spec|...]");
}
END_TEST

START_TEST(floats_print_shortest_round_trip_form)
{
    static const char *const cases[][2] = {
        {"0.0", "0.0"},
        {"-0.0", "-0.0"},
        {"1.0", "1.0"},
        {"-1.0", "-1.0"},
        {"1.5e3", "1.5e3"},
        {"100.0", "100.0"},
        {"0.0001", "0.0001"},
        {"1.2e-4", "1.2e-4"},
        {"1.0e20", "1.0e20"},
        {"0.1", "0.1"},
        {"3.0e-5", "3.0e-5"},
        {"1500.5", "1500.5"},
        {"123456.0", "123456.0"},
        {"1234567.0", "1234567.0"},
        {"12345678.9", "12345678.9"},
        {"1.0e15", "1.0e15"},
        {"1.0e16", "1.0e16"},
        {"123456789012345680.0", "1.2345678901234568e17"},
        {"1.0e-10", "1.0e-10"},
        {"5.0e-324", "5.0e-324"},
        {"1.7976931348623157e308", "1.7976931348623157e308"},
        {"0.3", "0.3"},
        {"0.6666666666666666", "0.6666666666666666"},
        {"100.5", "100.5"},
        {"1.0e3", "1.0e3"},
        {"1.0e4", "1.0e4"},
        {"0.001", "0.001"},
        {"0.0012", "0.0012"},
        {"3.14159", "3.14159"},
        {"-2.5e-7", "-2.5e-7"},
        {"1.0e100", "1.0e100"},
        {"12.0e3", "1.2e4"},
        {"0.0002", "0.0002"},
        {"0.00025", "2.5e-4"},
        {"9007199254740992.0", "9.007199254740992e15"},
        {"1234567890123456.0", "1234567890123456.0"},
        {"4503599627370496.0", "4503599627370496.0"},
        {"0.000123456789", "1.23456789e-4"},
        {"0.0012345678901234567", "0.0012345678901234567"},
        {"1.2345678901234567e-4", "1.2345678901234567e-4"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_write(cases[i][0], cases[i][1]);
}
END_TEST

START_TEST(format_s_with_width_and_precision)
{
    expect_format("~10s|~-10s|~.2s|~10.2s|~s~n", "[\"abc\",abc,\"abcdef\",\"abcdef\",<<\"bin\">>]",
        "       abc|abc       |ab|        ab|bin\n");
}
END_TEST

START_TEST(format_s_takes_an_iolist)
{
    expect_format("~s~n", "[[$a,[\"bc\",<<\"de\">>],$f]]",
        "abcdef\n");
}
END_TEST

START_TEST(format_s_rejects_an_integer)
{
    expect_format("~s~n", "[123]",
        NULL);
}
END_TEST

START_TEST(format_s_rejects_a_code_above_255)
{
    expect_format("~s", "[[1000]]",
        NULL);
}
END_TEST

START_TEST(format_s_rejects_atoms_inside_lists)
{
    expect_format("~s", "[[a]]",
        NULL);
}
END_TEST

START_TEST(format_s_truncates_to_width)
{
    expect_format("~5s|", "[\"abcdefgh\"]",
        "abcde|");
}
END_TEST

START_TEST(format_s_empty_list_and_p_empty_string)
{
    expect_format("~s|~s|~p", "[[],\"\",\"\"]",
        "||[]");
}
END_TEST

START_TEST(format_too_few_arguments)
{
    expect_format("~w ~w~n", "[a]",
        NULL);
}
END_TEST

START_TEST(format_too_many_arguments)
{
    expect_format("~w~n", "[a,b]",
        NULL);
}
END_TEST

START_TEST(format_unknown_directive)
{
    expect_format("~z", "[1]",
        NULL);
}
END_TEST

START_TEST(format_lone_tilde)
{
    expect_format("abc~", "[]",
        NULL);
}
END_TEST

START_TEST(format_b_bases_and_padding)
{
    expect_format("~b ~B ~.16b ~.16B ~.2b ~8b| ~-8b| ~8.16.0b~n", "[255,255,255,255,5,42,42,255]",
        "255 255 ff FF 101       42| 42      | 000000ff\n");
}
END_TEST

START_TEST(format_b_negative_and_base_36)
{
    expect_format("~b ~.36B ~.2b", "[-255,123456,-5]",
        "-255 2N9C -101");
}
END_TEST

START_TEST(format_b_rejects_a_float)
{
    expect_format("~b", "[1.0]",
        NULL);
}
END_TEST

START_TEST(format_c_repeats_and_pads)
{
    expect_format("~c~c ~5c ~3.3c|~n", "[$a,$b,$x,$y]",
        "ab xxxxx yyy|\n");
}
END_TEST

START_TEST(format_e_precision_and_exponent)
{
    expect_format("~e ~.3e ~e ~e~n", "[1.0,123.456,0.0,-1.5e-10]",
        "1.00000e+0 1.23e+2 0.00000e+0 -1.50000e-10\n");
}
END_TEST

START_TEST(format_e_rejects_precision_1)
{
    expect_format("~.1e", "[2.5]",
        NULL);
}
END_TEST

START_TEST(format_f_precision_and_width)
{
    expect_format("~f|~.2f|~f|~10.3f|", "[1.0,3.14159,-0.000001,3.14159]",
        "1.000000|3.14|-0.000001|     3.142|");
}
END_TEST

START_TEST(format_f_rejects_an_integer)
{
    expect_format("~f", "[1]",
        NULL);
}
END_TEST

START_TEST(format_f_rejects_precision_0)
{
    expect_format("~.0f", "[2.5]",
        NULL);
}
END_TEST

START_TEST(format_e_f_round_half_up)
{
    expect_format("~.2e ~.1f ~.1f ~.3f ~.3f", "[1.25,0.05,0.25,1.0005,2.0e20]",
        "1.3e+0 0.1 0.3 1.000 200000000000000000000.000");
}
END_TEST

START_TEST(format_g_switches_between_f_and_e)
{
    expect_format("~g ~g ~g ~g ~.3g ~.1g ~.2g", "[1.0,0.01,1.0e6,123456.0,1234.5,1.0,10.0]",
        "1.00000 1.00000e-2 1.00000e+6 1.23456e+5 1.23e+3 1.0e+0 1.0e+1");
}
END_TEST

START_TEST(format_g_uses_e_from_10000)
{
    expect_format("~g ~g ~g ~g", "[99999.9,9999.0,0.1,0.099]",
        "9.99999e+4 9999.00 0.100000 9.90000e-2");
}
END_TEST

START_TEST(format_e_f_g_padding)
{
    expect_format("~12e|~-12f|~9.3e|~-10g|", "[1.5,1.5,3.0e5,0.5]",
        "  1.50000e+0|1.500000    |  3.00e+5|0.500000  |");
}
END_TEST

START_TEST(format_i_skips_an_argument)
{
    expect_format("~i~w~n", "[a,b]",
        "b\n");
}
END_TEST

START_TEST(format_w_width_pads_or_stars)
{
    expect_format("~10w|~-10w|~3w|~.3w|", "[abc,abc,abcdef,abcdef]",
        "       abc|abc       |***|***|");
}
END_TEST

START_TEST(format_star_takes_width_from_arguments)
{
    expect_format("~*w|~-*w|", "[6,ab,4,c]",
        "    ab|c   |");
}
END_TEST

START_TEST(format_p_width_is_line_length)
{
    expect_format("~p ~10p~n", "[abc,[aaaaaaa,bbbbbbbb,ccccccc]]",
        "abc [aaaaaaa,\n"
        "     bbbbbbbb,\n"
        "     ccccccc]\n");
}
END_TEST

START_TEST(format_P_and_W_take_a_depth)
{
    expect_format("~P ~W~n", "[[1,2,3,4,5],3,[1,2,3,4,5],3]",
        "[1,2|...] [1,2|...]\n");
}
END_TEST

START_TEST(format_pad_character)
{
    expect_format("~8.3.0f|~.3.xs|", "[3.14159,\"a\"]",
        "0003.142|axx|");
}
END_TEST

START_TEST(format_t_modifier_is_accepted)
{
    expect_format("~ts ~tp", "[\"x\",\"y\"]",
        "x \"y\"");
}
END_TEST

START_TEST(format_tilde_and_newlines)
{
    expect_format("~~~n~n", "[]",
        "~\n"
        "\n");
}
END_TEST

START_TEST(format_p_starts_at_the_current_column)
{
    expect_format("abcdefgh: ~p", "[[aaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbbbbbb,ccccccccccccccccccccccccccccccc,ddddd]]",
        "abcdefgh: [aaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbbbbbb,\n"
        "           ccccccccccccccccccccccccccccccc,ddddd]");
}
END_TEST

START_TEST(format_flush_down_killed)
{
    expect_format("Shell got ~p~n", "[{'DOWN',#Ref<0.1724818569.1604583425.140563>,process,<0.88.0>,killed}]",
        "Shell got {'DOWN',#Ref<0.1724818569.1604583425.140563>,process,<0.88.0>,\n"
        "                  killed}\n");
}
END_TEST

START_TEST(format_flush_down_noproc)
{
    expect_format("Shell got ~p~n", "[{'DOWN',#Ref<0.2527961757.3760717826.46955>,process,{nosuch,nonode@nohost},noproc}]",
        "Shell got {'DOWN',#Ref<0.2527961757.3760717826.46955>,process,\n"
        "                  {nosuch,nonode@nohost},\n"
        "                  noproc}\n");
}
END_TEST

START_TEST(format_w_of_mixed_term)
{
    expect_format("~w~n", "[{\"abc\",<<\"abc\">>,1.5e3,'A',[1|2]}]",
        "{[97,98,99],<<97,98,99>>,1.5e3,'A',[1|2]}\n");
}
END_TEST

/* ========================================= report: exceptions, crashes */

/* where NULL: the exception has no where. */
static void expect_report(const char *cls, const char *reason, const char *where, const char *expected)
{
    ErlException e = {.cls = erl_atom(cls), .reason = rd(reason), .where = where ? rd(where) : ERL_NONE};
    Buf b = {0};
    report_exception(&b, &e);
    ck_assert_str_eq(buf_str(&b), expected);
    buf_free(&b);
}

START_TEST(report_send_to_unregistered_name)
{
    expect_report("error", "badarg",
        "{operator,'!',[srv,hi]}",
        "** exception error: bad argument\n"
        "     in operator  !/2\n"
        "        called as srv ! hi\n");
}
END_TEST

START_TEST(report_register_name_in_use)
{
    expect_report("error", "badarg",
        "{function,register,[t,<0.85.0>],\"argument 1: name is in use\"}",
        "** exception error: bad argument\n"
        "     in function  register/2\n"
        "        called as register(t,<0.85.0>)\n"
        "        *** argument 1: name is in use\n");
}
END_TEST

START_TEST(report_register_process_already_named)
{
    expect_report("error", "badarg",
        "{function,register,[t3,<0.88.0>],\"argument 2: this process or port already has a name\"}",
        "** exception error: bad argument\n"
        "     in function  register/2\n"
        "        called as register(t3,<0.88.0>)\n"
        "        *** argument 2: this process or port already has a name\n");
}
END_TEST

START_TEST(report_register_dead_pid)
{
    expect_report("error", "badarg",
        "{function,register,[t4,<0.999.0>],\"argument 2: the pid does not refer to an existing process\"}",
        "** exception error: bad argument\n"
        "     in function  register/2\n"
        "        called as register(t4,<0.999.0>)\n"
        "        *** argument 2: the pid does not refer to an existing process\n");
}
END_TEST

START_TEST(report_badarg_in_module_function)
{
    expect_report("error", "badarg",
        "{function,\"ets:lookup\",[nosuch,1],\"argument 1: the table identifier does not refer to an existing ETS table\"}",
        "** exception error: bad argument\n"
        "     in function  ets:lookup/2\n"
        "        called as ets:lookup(nosuch,1)\n"
        "        *** argument 1: the table identifier does not refer to an existing ETS table\n");
}
END_TEST

START_TEST(report_string_argument_stays_a_string)
{
    expect_report("error", "badarg",
        "{function,atom_to_list,[\"abc\"],\"argument 1: not an atom\"}",
        "** exception error: bad argument\n"
        "     in function  atom_to_list/1\n"
        "        called as atom_to_list(\"abc\")\n"
        "        *** argument 1: not an atom\n");
}
END_TEST

START_TEST(report_long_arguments_wrap_under_the_parenthesis)
{
    expect_report("error", "badarg",
        "{function,element,[1,[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40]],\"argument 2: not a tuple\"}",
        "** exception error: bad argument\n"
        "     in function  element/2\n"
        "        called as element(1,\n"
        "                          [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,\n"
        "                           21,22,23,24,25,26,27|...])\n"
        "        *** argument 2: not a tuple\n");
}
END_TEST

START_TEST(report_undefined_function)
{
    expect_report("error", "undef",
        "{t,nope,[]}",
        "** exception error: undefined function t:nope/0\n");
}
END_TEST

START_TEST(report_undefined_function_arity_counts_args)
{
    expect_report("error", "undef",
        "{lists,nope,[1,2]}",
        "** exception error: undefined function lists:nope/2\n");
}
END_TEST

START_TEST(report_undefined_shell_command)
{
    expect_report("error", "undef",
        "{shell,foo,[]}",
        "** exception error: undefined shell command foo/0\n");
}
END_TEST

START_TEST(report_badmatch)
{
    expect_report("error", "{badmatch,2}",
        NULL,
        "** exception error: no match of right hand side value 2\n");
}
END_TEST

START_TEST(report_badmatch_long_value_goes_on_its_own_line)
{
    expect_report("error", "{badmatch,{error,[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40]}}",
        NULL,
        "** exception error: no match of right hand side value \n"
        "                    {error,[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,\n"
        "                            20,21,22,23,24,25,26,27|...]}\n");
}
END_TEST

START_TEST(report_badmatch_wide_tuple_goes_on_its_own_line)
{
    expect_report("error", "{badmatch,{aaaaaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbbbbbbbbbb,ccccccccccccccccccccccccccccc,dddddddd}}",
        NULL,
        "** exception error: no match of right hand side value \n"
        "                    {aaaaaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbbbbbbbbbb,\n"
        "                        ccccccccccccccccccccccccccccc,dddddddd}\n");
}
END_TEST

START_TEST(report_badmatch_one_break_stays_inline)
{
    expect_report("error", "{badmatch,{aaaaaaaaaaaaaaaaaaaaa,b}}",
        NULL,
        "** exception error: no match of right hand side value {aaaaaaaaaaaaaaaaaaaaa,\n"
        "                                                       b}\n");
}
END_TEST

START_TEST(report_division_by_zero)
{
    expect_report("error", "badarith",
        "{operator,'/',[1,0]}",
        "** exception error: an error occurred when evaluating an arithmetic expression\n"
        "     in operator  '/'/2\n"
        "        called as 1 / 0\n");
}
END_TEST

START_TEST(report_addition_of_an_atom)
{
    expect_report("error", "badarith",
        "{operator,'+',[1,a]}",
        "** exception error: an error occurred when evaluating an arithmetic expression\n"
        "     in operator  +/2\n"
        "        called as 1 + a\n");
}
END_TEST

START_TEST(report_unary_minus)
{
    expect_report("error", "badarith",
        "{operator,'-',[a]}",
        "** exception error: an error occurred when evaluating an arithmetic expression\n"
        "     in operator  -/1\n"
        "        called as - a\n");
}
END_TEST

START_TEST(report_bnot_and_div)
{
    expect_report("error", "badarith",
        "{operator,'bnot',[a]}",
        "** exception error: an error occurred when evaluating an arithmetic expression\n"
        "     in operator  bnot/1\n"
        "        called as bnot a\n");
}
END_TEST

START_TEST(report_badarith_without_operator)
{
    expect_report("error", "badarith",
        NULL,
        "** exception error: an error occurred when evaluating an arithmetic expression\n");
}
END_TEST

START_TEST(report_send_with_long_receiver)
{
    expect_report("error", "badarg",
        "{operator,'!',[[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40],hi]}",
        "** exception error: bad argument\n"
        "     in operator  !/2\n"
        "        called as [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,\n"
        "                   23,24,25,26,27,28,29|...]\n"
        "                  !\n"
        "                  hi\n");
}
END_TEST

START_TEST(report_send_with_wide_tuple_receiver)
{
    expect_report("error", "badarg",
        "{operator,'!',[{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,ccccccccccccccccccccccccc},hi]}",
        "** exception error: bad argument\n"
        "     in operator  !/2\n"
        "        called as {aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,\n"
        "                      bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,\n"
        "                      ccccccccccccccccccccccccc}\n"
        "                  !\n"
        "                  hi\n");
}
END_TEST

START_TEST(report_send_of_wide_tuple)
{
    expect_report("error", "badarg",
        "{operator,'!',[srv,{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,ccccccccccccccccccccccccc}]}",
        "** exception error: bad argument\n"
        "     in operator  !/2\n"
        "        called as srv ! {aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,\n"
        "                            bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,\n"
        "                            ccccccccccccccccccccccccc}\n");
}
END_TEST

START_TEST(report_exit_killed)
{
    expect_report("exit", "killed",
        NULL,
        "** exception exit: killed\n");
}
END_TEST

START_TEST(report_exit_normal)
{
    expect_report("exit", "normal",
        NULL,
        "** exception exit: normal\n");
}
END_TEST

START_TEST(report_exit_tuple)
{
    expect_report("exit", "{foo,bar}",
        NULL,
        "** exception exit: {foo,bar}\n");
}
END_TEST

START_TEST(report_exit_long_reason_wraps_at_column_20)
{
    expect_report("exit", "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40]",
        NULL,
        "** exception exit: [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,\n"
        "                    23,24,25,26,27,28,29|...]\n");
}
END_TEST

START_TEST(report_throw_atom)
{
    expect_report("throw", "y",
        NULL,
        "** exception throw: y\n");
}
END_TEST

START_TEST(report_throw_tuple)
{
    expect_report("throw", "{a,b}",
        NULL,
        "** exception throw: {a,b}\n");
}
END_TEST

START_TEST(report_throw_long_term_wraps_at_column_21)
{
    expect_report("throw", "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40]",
        NULL,
        "** exception throw: [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,\n"
        "                     23,24,25,26,27,28,29|...]\n");
}
END_TEST

START_TEST(report_case_clause)
{
    expect_report("error", "{case_clause,3}",
        NULL,
        "** exception error: no case clause matching 3\n");
}
END_TEST

START_TEST(report_case_clause_long_value)
{
    expect_report("error", "{case_clause,[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40]}",
        NULL,
        "** exception error: no case clause matching \n"
        "                    [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,\n"
        "                     23,24,25,26,27,28,29|...]\n");
}
END_TEST

START_TEST(report_if_clause)
{
    expect_report("error", "if_clause",
        NULL,
        "** exception error: no true branch found when evaluating an if expression\n");
}
END_TEST

START_TEST(report_try_clause)
{
    expect_report("error", "{try_clause,5}",
        NULL,
        "** exception error: no try clause matching 5\n");
}
END_TEST

START_TEST(report_badfun)
{
    expect_report("error", "{badfun,5}",
        NULL,
        "** exception error: bad function 5\n");
}
END_TEST

START_TEST(report_badarity_without_fun_is_printed_as_is)
{
    expect_report("error", "{badarity,{x,[1]}}",
        NULL,
        "** exception error: {badarity,{x,[1]}}\n");
}
END_TEST

START_TEST(report_function_clause_without_stack)
{
    expect_report("error", "function_clause",
        NULL,
        "** exception error: function_clause\n");
}
END_TEST

START_TEST(report_badarg_with_value)
{
    expect_report("error", "{badarg,foo}",
        NULL,
        "** exception error: bad argument: foo\n");
}
END_TEST

START_TEST(report_badarg_with_long_value)
{
    expect_report("error", "{badarg,[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40]}",
        NULL,
        "** exception error: bad argument: [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,\n"
        "                                   18,19,20,21,22,23,24,25,26,27,28,29|...]\n");
}
END_TEST

START_TEST(report_badarg_plain)
{
    expect_report("error", "badarg",
        NULL,
        "** exception error: bad argument\n");
}
END_TEST

START_TEST(report_system_limit)
{
    expect_report("error", "system_limit",
        NULL,
        "** exception error: a system limit has been reached\n");
}
END_TEST

START_TEST(report_noproc)
{
    expect_report("error", "noproc",
        NULL,
        "** exception error: no such process or port\n");
}
END_TEST

START_TEST(report_timeout_value)
{
    expect_report("error", "timeout_value",
        NULL,
        "** exception error: bad receive timeout value\n");
}
END_TEST

START_TEST(report_badkey_and_badmap)
{
    expect_report("error", "{badkey,k}",
        NULL,
        "** exception error: bad key: k\n");
}
END_TEST

START_TEST(report_badmap)
{
    expect_report("error", "{badmap,5}",
        NULL,
        "** exception error: bad map: 5\n");
}
END_TEST

START_TEST(report_other_error_atom)
{
    expect_report("error", "foo",
        NULL,
        "** exception error: foo\n");
}
END_TEST

START_TEST(report_other_error_tuple)
{
    expect_report("error", "{foo,bar}",
        NULL,
        "** exception error: {foo,bar}\n");
}
END_TEST

START_TEST(report_error_normal)
{
    expect_report("error", "normal",
        NULL,
        "** exception error: normal\n");
}
END_TEST

START_TEST(report_generic_error_wraps_at_column_21)
{
    expect_report("error", "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40]",
        NULL,
        "** exception error: [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,\n"
        "                     23,24,25,26,27,28,29|...]\n");
}
END_TEST

START_TEST(report_generic_error_tagged_tuple)
{
    expect_report("error", "{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,b}",
        NULL,
        "** exception error: {aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,\n"
        "                        b}\n");
}
END_TEST

static void use_utc(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
}

START_TEST(error_report_of_a_crashed_process)
{
    use_utc();
    Buf b = {0};
    report_error_report_at(&b, pid_make(83), rd("{boom,[]}"), 1795494654913640LL);
    ck_assert_str_eq(buf_str(&b), "=ERROR REPORT==== 24-Nov-2026::04:30:54.913640 ===\n"
                                  "Error in process <0.83.0> with exit value:\n"
                                  "{boom,[]}\n"
                                  "\n");
    buf_free(&b);
}
END_TEST

START_TEST(error_report_day_is_not_zero_padded)
{
    use_utc();
    Buf b = {0};
    report_error_report_at(&b, pid_make(121), rd("{{badarith,[]},[]}"), 1793766681813120LL);
    ck_assert_str_eq(buf_str(&b), "=ERROR REPORT==== 4-Nov-2026::04:31:21.813120 ===\n"
                                  "Error in process <0.121.0> with exit value:\n"
                                  "{{badarith,[]},[]}\n"
                                  "\n");
    buf_free(&b);
}
END_TEST

START_TEST(error_report_value_is_laid_out_with_p)
{
    use_utc();
    Buf b = {0};
    report_error_report_at(&b, pid_make(85),
                           rd("{{badmatch,[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,"
                              "25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40]},[]}"),
                           1795494654920587LL);
    ck_assert_str_eq(buf_str(&b),
                     "=ERROR REPORT==== 24-Nov-2026::04:30:54.920587 ===\n"
                     "Error in process <0.85.0> with exit value:\n"
                     "{{badmatch,[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,\n"
                     "            26,27,28,29,30,31,32,33,34,35,36,37,38,39,40]},\n"
                     " []}\n"
                     "\n");
    buf_free(&b);
}
END_TEST

START_TEST(error_report_uses_the_current_time)
{
    Buf b = {0};
    report_error_report(&b, pid_make(7), rd("{boom,[]}"));
    ck_assert_msg(strncmp(buf_str(&b), "=ERROR REPORT==== ", 18) == 0, "%s", buf_str(&b));
    ck_assert_ptr_nonnull(strstr(buf_str(&b), " ===\nError in process <0.7.0> with exit value:\n{boom,[]}\n\n"));
    buf_free(&b);
}
END_TEST

/* A million elements: printing walks the spine without recursing on it. */
START_TEST(long_list_prints_without_deep_recursion)
{
    Term l = ERL_NIL;
    for (int i = 0; i < 1000000; i++)
        l = erl_cons(erl_mk_int(i % 10), l);
    Buf b = {0};
    print_write(&b, l);
    ck_assert_uint_eq(b.len, 2 + 1000000 * 2 - 1);
    ck_assert_int_eq(strncmp(b.s, "[9,8,7,", 7), 0);
    ck_assert_str_eq(b.s + b.len - 4, "1,0]");
    buf_free(&b);
    print_pretty(&b, l, 1, 80, -1);
    size_t digits = 0, lines = 1;
    for (size_t i = 0; i < b.len; i++) {
        digits += isdigit((unsigned char)b.s[i]) != 0;
        lines += b.s[i] == '\n';
    }
    ck_assert_uint_eq(digits, 1000000);
    ck_assert_uint_eq(lines, (1000000 + 37) / 38); /* erl puts 38 digits on a line */
    ck_assert_str_eq(b.s + b.len - 2, "0]");
    buf_free(&b);
}
END_TEST

/* ============================================================ suites */

Suite *print_suite(void)
{
    Suite *s = suite_create("print");
    TCase *tc = tcase_create("erl_text");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, atoms_quoted_when_erl_quotes_them);
    tcase_add_test(tc, pid_prints_with_its_number);
    tcase_add_test(tc, ref_prints_its_three_numbers);
    tcase_add_test(tc, tuple_with_pid_and_ref);
    tcase_add_test(tc, string_escapes);
    tcase_add_test(tc, list_with_bell_is_not_a_string);
    tcase_add_test(tc, control_chars_that_are_printable);
    tcase_add_test(tc, empty_string_is_nil);
    tcase_add_test(tc, char_list_with_big_code_is_a_list);
    tcase_add_test(tc, w_never_prints_strings);
    tcase_add_test(tc, list_of_strings);
    tcase_add_test(tc, binaries_numbers_and_strings);
    tcase_add_test(tc, improper_lists);
    tcase_add_test(tc, nested_empty_containers);
    tcase_add_test(tc, negative_numbers);
    tcase_add_test(tc, p_wraps_long_list_at_80);
    tcase_add_test(tc, p_nested_list_and_tagged_tuple);
    tcase_add_test(tc, p_improper_tail_on_own_line);
    tcase_add_test(tc, p_improper_simple_tail);
    tcase_add_test(tc, p_binary_of_numbers_wraps);
    tcase_add_test(tc, p_binary_inside_tuple_wraps);
    tcase_add_test(tc, p_tagged_tuple_at_column_30);
    tcase_add_test(tc, p_deep_nesting_is_not_cut);
    tcase_add_test(tc, shell_fits_60_chars_on_a_line);
    tcase_add_test(tc, shell_breaks_after_60_chars);
    tcase_add_test(tc, shell_tagged_tuple_wide);
    tcase_add_test(tc, shell_long_list_is_cut_at_depth_30);
    tcase_add_test(tc, shell_list_of_tuples_one_per_line);
    tcase_add_test(tc, shell_down_message);
    tcase_add_test(tc, shell_nested_lists_cut_at_depth_30);
    tcase_add_test(tc, shell_nested_tuples_cut_at_depth_30);
    tcase_add_test(tc, shell_long_string_is_not_cut);
    tcase_add_test(tc, shell_long_printable_binary_is_cut);
    tcase_add_test(tc, shell_binary_of_numbers_is_cut);
    tcase_add_test(tc, shell_tuple_cut_at_depth);
    tcase_add_test(tc, shell_map_of_pids_and_strings);
    tcase_add_test(tc, shell_atoms_list_cut);
    tcase_add_test(tc, floats_print_shortest_round_trip_form);
    tcase_add_test(tc, format_s_with_width_and_precision);
    tcase_add_test(tc, format_s_takes_an_iolist);
    tcase_add_test(tc, format_s_rejects_an_integer);
    tcase_add_test(tc, format_s_rejects_a_code_above_255);
    tcase_add_test(tc, format_s_rejects_atoms_inside_lists);
    tcase_add_test(tc, format_s_truncates_to_width);
    tcase_add_test(tc, format_s_empty_list_and_p_empty_string);
    tcase_add_test(tc, format_too_few_arguments);
    tcase_add_test(tc, format_too_many_arguments);
    tcase_add_test(tc, format_unknown_directive);
    tcase_add_test(tc, format_lone_tilde);
    tcase_add_test(tc, format_b_bases_and_padding);
    tcase_add_test(tc, format_b_negative_and_base_36);
    tcase_add_test(tc, format_b_rejects_a_float);
    tcase_add_test(tc, format_c_repeats_and_pads);
    tcase_add_test(tc, format_e_precision_and_exponent);
    tcase_add_test(tc, format_e_rejects_precision_1);
    tcase_add_test(tc, format_f_precision_and_width);
    tcase_add_test(tc, format_f_rejects_an_integer);
    tcase_add_test(tc, format_f_rejects_precision_0);
    tcase_add_test(tc, format_e_f_round_half_up);
    tcase_add_test(tc, format_g_switches_between_f_and_e);
    tcase_add_test(tc, format_g_uses_e_from_10000);
    tcase_add_test(tc, format_e_f_g_padding);
    tcase_add_test(tc, format_i_skips_an_argument);
    tcase_add_test(tc, format_w_width_pads_or_stars);
    tcase_add_test(tc, format_star_takes_width_from_arguments);
    tcase_add_test(tc, format_p_width_is_line_length);
    tcase_add_test(tc, format_P_and_W_take_a_depth);
    tcase_add_test(tc, format_pad_character);
    tcase_add_test(tc, format_t_modifier_is_accepted);
    tcase_add_test(tc, format_tilde_and_newlines);
    tcase_add_test(tc, format_p_starts_at_the_current_column);
    tcase_add_test(tc, format_flush_down_killed);
    tcase_add_test(tc, format_flush_down_noproc);
    tcase_add_test(tc, format_w_of_mixed_term);
    tcase_add_test(tc, long_list_prints_without_deep_recursion);
    suite_add_tcase(s, tc);
    return s;
}

Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("erl_reports");
    tcase_add_test(tc, report_send_to_unregistered_name);
    tcase_add_test(tc, report_register_name_in_use);
    tcase_add_test(tc, report_register_process_already_named);
    tcase_add_test(tc, report_register_dead_pid);
    tcase_add_test(tc, report_badarg_in_module_function);
    tcase_add_test(tc, report_string_argument_stays_a_string);
    tcase_add_test(tc, report_long_arguments_wrap_under_the_parenthesis);
    tcase_add_test(tc, report_undefined_function);
    tcase_add_test(tc, report_undefined_function_arity_counts_args);
    tcase_add_test(tc, report_undefined_shell_command);
    tcase_add_test(tc, report_badmatch);
    tcase_add_test(tc, report_badmatch_long_value_goes_on_its_own_line);
    tcase_add_test(tc, report_badmatch_wide_tuple_goes_on_its_own_line);
    tcase_add_test(tc, report_badmatch_one_break_stays_inline);
    tcase_add_test(tc, report_division_by_zero);
    tcase_add_test(tc, report_addition_of_an_atom);
    tcase_add_test(tc, report_unary_minus);
    tcase_add_test(tc, report_bnot_and_div);
    tcase_add_test(tc, report_badarith_without_operator);
    tcase_add_test(tc, report_send_with_long_receiver);
    tcase_add_test(tc, report_send_with_wide_tuple_receiver);
    tcase_add_test(tc, report_send_of_wide_tuple);
    tcase_add_test(tc, report_exit_killed);
    tcase_add_test(tc, report_exit_normal);
    tcase_add_test(tc, report_exit_tuple);
    tcase_add_test(tc, report_exit_long_reason_wraps_at_column_20);
    tcase_add_test(tc, report_throw_atom);
    tcase_add_test(tc, report_throw_tuple);
    tcase_add_test(tc, report_throw_long_term_wraps_at_column_21);
    tcase_add_test(tc, report_case_clause);
    tcase_add_test(tc, report_case_clause_long_value);
    tcase_add_test(tc, report_if_clause);
    tcase_add_test(tc, report_try_clause);
    tcase_add_test(tc, report_badfun);
    tcase_add_test(tc, report_badarity_without_fun_is_printed_as_is);
    tcase_add_test(tc, report_function_clause_without_stack);
    tcase_add_test(tc, report_badarg_with_value);
    tcase_add_test(tc, report_badarg_with_long_value);
    tcase_add_test(tc, report_badarg_plain);
    tcase_add_test(tc, report_system_limit);
    tcase_add_test(tc, report_noproc);
    tcase_add_test(tc, report_timeout_value);
    tcase_add_test(tc, report_badkey_and_badmap);
    tcase_add_test(tc, report_badmap);
    tcase_add_test(tc, report_other_error_atom);
    tcase_add_test(tc, report_other_error_tuple);
    tcase_add_test(tc, report_error_normal);
    tcase_add_test(tc, report_generic_error_wraps_at_column_21);
    tcase_add_test(tc, report_generic_error_tagged_tuple);
    tcase_add_test(tc, error_report_of_a_crashed_process);
    tcase_add_test(tc, error_report_day_is_not_zero_padded);
    tcase_add_test(tc, error_report_value_is_laid_out_with_p);
    tcase_add_test(tc, error_report_uses_the_current_time);
    suite_add_tcase(s, tc);
    return s;
}
