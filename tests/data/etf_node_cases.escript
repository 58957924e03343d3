#!/usr/bin/env escript
%% etf_node_cases.escript > etf_node_cases.txt
%% What real erl (OTP 25) makes with term_to_binary of pids, references and
%% export funs, local and of other nodes (remote ones made by binary_to_term,
%% as a node receives them), and of large maps (written in erl's trie order,
%% which cerl's tries follow for these keys), in the format of etf_cases.txt: "OPTS HEX",
%% OPTS one of default, minor0, minor2, compressed. tests/unit/test_terms2.c
%% decodes each default line and checks that cerl encodes the term back to
%% erl's bytes under every option.
-mode(compile).

pid(Node, N, S, C) ->
    NB = atom_to_binary(Node),
    binary_to_term(<<131, 88, 100, (byte_size(NB)):16, NB/binary, N:32, S:32, C:32>>).

ref(Node, C, Ws) ->
    NB = atom_to_binary(Node),
    WB = << <<W:32>> || W <- Ws >>,
    binary_to_term(<<131, 90, (length(Ws)):16, 100, (byte_size(NB)):16, NB/binary, C:32, WB/binary>>).

main(_) ->
    Terms = [c:pid(0, 5, 7), c:pid(0, 32767, 8191), make_ref(),
             pid('foo@host', 5, 7, 9), pid('foo@host', 0, 0, 0), pid('a@b', 4294967295, 4294967295, 4294967295),
             pid('nonode@nohost', 5, 0, 3), pid('caf\x{e9}@h', 1, 2, 3), pid('\x{3b1}@h', 1, 2, 3),
             ref('foo@host', 9, [1, 2, 3]), ref('foo@host', 0, []), ref('foo@host', 1, [7]),
             ref('foo@host', 1, [1, 2, 3, 4, 5]), ref('nonode@nohost', 2, [1, 2, 3]),
             ref('nonode@nohost', 0, [4, 5, 6]),
             fun lists:map/2, fun erlang:abs/1, fun 'caf\x{e9}':'\x{3b1}'/0, fun m:f/255,
             {fun lists:seq/3, [pid('foo@host', 1, 2, 3), ref('bar@host', 4, [5, 6, 7])]},
             maps:from_list([{I, I} || I <- lists:seq(1, 40)]),
             maps:from_list([{{I, [I], <<I>>, float(I), I bsl 70}, -I} || I <- lists:seq(1, 100)])],
    lists:foreach(fun(T) ->
                      line(default, term_to_binary(T)),
                      line(minor0, term_to_binary(T, [{minor_version, 0}])),
                      line(minor2, term_to_binary(T, [{minor_version, 2}])),
                      line(compressed, term_to_binary(T, [compressed]))
                  end, Terms).

line(Opts, Bin) ->
    io:format("~s ~s~n", [Opts, binary:encode_hex(Bin)]).
