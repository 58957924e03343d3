#!/usr/bin/env escript
%% etf_cases.escript > etf_cases.txt
%% Writes, for a table of terms, what real erl (OTP 25) makes of them with
%% term_to_binary: one line per term and option set, "OPTS HEX", OPTS one of
%% default, minor0, minor2, compressed; each default line is followed by the
%% other options' lines for the same term. Maps of more than 32 keys are
%% left out: erl writes those in the order of its own hash trie. tests/unit/test_etf.c decodes each
%% default encoding and checks that cerl encodes the term to the same bytes
%% under every option.
-mode(compile).

main(_) ->
    Deep = lists:foldl(fun(_, Acc) -> [Acc] end, [], lists:seq(1, 10000)),
    DeepT = lists:foldl(fun(_, Acc) -> {Acc} end, ok, lists:seq(1, 10000)),
    Terms = [a, 'DOWN', '', 'a b', list_to_atom([233, 116, 233]), list_to_atom([1000, 97]),
             list_to_atom(lists:duplicate(255, $x)), list_to_atom(lists:duplicate(255, 1000)),
             nonode@nohost, true,
             0, 1, 255, 256, -1, -256, (1 bsl 31) - 1, -(1 bsl 31), 1 bsl 31, -(1 bsl 31) - 1,
             (1 bsl 59) - 1, -(1 bsl 59), (1 bsl 62) - 1, 1 bsl 62, -(1 bsl 62) - 1, 1 bsl 64,
             -(1 bsl 100), 1 bsl 2039, 1 bsl 2040, -(1 bsl 5000) + 7, 1 bsl 100000,
             0.0, -0.0, 1.5, -2.25, 0.1, 1.0e300, 5.0e-324, 123456789.125, 1.0e-10,
             [], "abc", [0, 255], lists:duplicate(65535, $a), lists:duplicate(65536, $a),
             [1, 2, 300], [-1], [a | b], [1, 2 | 3], [[]], [[1], [2, [3]]], [1.5, {x}],
             {}, {a}, {a, b, c}, list_to_tuple(lists:seq(1, 255)), list_to_tuple(lists:seq(1, 256)),
             <<>>, <<1, 2, 3>>, <<"hello">>, list_to_binary(lists:duplicate(1000, 7)),
             c:pid(0, 80, 0), c:pid(0, 12345, 0), make_ref(), make_ref(),
             {self_like, c:pid(0, 1, 0), [make_ref()], <<0>>},
             Deep, DeepT, lists:seq(1, 300), lists:duplicate(300, 0),
             [{I, integer_to_list(I)} || I <- lists:seq(1, 50)],
             #{}, #{a => 1}, #{1 => a, 1.0 => b, "s" => c, {t} => d, [x] => e, 1 bsl 70 => f},
             #{m => #{n => [#{}]}}, maps:from_list([{I, I * I} || I <- lists:seq(1, 32)])],
    %% the other options only for terms of a modest size, to keep the table small
    lists:foreach(fun(T) ->
                      Bin = term_to_binary(T),
                      line(default, Bin),
                      [begin
                           line(minor0, term_to_binary(T, [{minor_version, 0}])),
                           line(minor2, term_to_binary(T, [{minor_version, 2}])),
                           line(compressed, term_to_binary(T, [compressed]))
                       end || byte_size(Bin) < 4096 orelse T =:= Deep]
                  end, Terms).

line(Opts, Bin) ->
    io:format("~s ~s~n", [Opts, binary:encode_hex(Bin)]).
