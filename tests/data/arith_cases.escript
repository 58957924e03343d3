#!/usr/bin/env escript
%% arith_cases.escript > arith_cases.txt
%% Writes a table of Erlang arithmetic, evaluated by real erl (OTP 25), for
%% tests/unit/test_arith.c: one line per case, "op A B => R", where an
%% integer is written in decimal, a float as f<16 hex digits of its IEEE
%% bits>, and R is an error reason (badarith, system_limit) when erl raises.
%% The operands are drawn with a fixed seed, so the table is reproducible.
-mode(compile).

main(_) ->
    rand:seed(exsss, {17, 42, 2026}),
    Ops = ['+', '-', '*', '/', 'div', 'rem', 'band', 'bor', 'bxor', 'bsl', 'bsr'],
    Edges = [0, 1, -1, 2, -2, 3, 7, -7, (1 bsl 59), (1 bsl 60) - 1, (1 bsl 62) - 1, -(1 bsl 62),
             (1 bsl 62), -(1 bsl 62) - 1, (1 bsl 63) - 1, -(1 bsl 63), (1 bsl 64), -(1 bsl 64) + 1,
             (1 bsl 127) + 12345, -(1 bsl 200) - 99, 1.5, -0.5, 0.0, 1.0e300, 9007199254740992.0,
             18446744073709551616.0],
    Pairs = [{A, B} || A <- Edges, B <- Edges] ++
            [{operand(), operand()} || _ <- lists:seq(1, 600)],
    lists:foreach(fun({A, B}) ->
                      [case_line(Op, A, B) || Op <- Ops]
                  end, Pairs),
    %% shifts by counts that matter
    [case_line(Op, A, S) || Op <- ['bsl', 'bsr'], A <- [1, -1, 3, -(1 bsl 70) - 5, (1 bsl 100) + 1],
                            S <- [0, 1, 61, 62, 63, 64, 65, 127, 128, 1000, -1, -63, -64, -200,
                                  33554368, 1 bsl 70, -(1 bsl 70)]],
    %% unary
    [un_line(Op, A) || Op <- ['-', 'bnot'], A <- Edges],
    ok.

operand() ->
    case rand:uniform(6) of
        1 -> rand:uniform(1000) - 500;
        2 -> rand:uniform(1 bsl 62) - (1 bsl 61);
        3 -> big(rand:uniform(3));
        4 -> big(rand:uniform(12));
        5 -> (rand:uniform() - 0.5) * math:pow(10, rand:uniform(40) - 20);
        6 -> -big(rand:uniform(4))
    end.

big(Limbs) ->
    lists:foldl(fun(_, Acc) -> (Acc bsl 64) + rand:uniform(1 bsl 64) - 1 end, 1, lists:seq(1, Limbs)).

case_line(Op, A, B) ->
    R = try erlang:Op(A, B) catch error:E -> E end,
    io:format("~s ~s ~s => ~s~n", [Op, w(A), w(B), w(R)]).

un_line(Op, A) ->
    R = try erlang:Op(A) catch error:E -> E end,
    io:format("~s ~s => ~s~n", [Op, w(A), w(R)]).

w(X) when is_integer(X) -> integer_to_list(X);
w(X) when is_float(X) -> <<I:64>> = <<X:64/float>>, io_lib:format("f~16.16.0b", [I]);
w(X) when is_atom(X) -> atom_to_list(X).
