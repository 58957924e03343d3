# cerl -- Erlang's hot code loading for native C modules.
#   make          build ./cerl
#   make run      build, then start the shell in examples/
#   make test     unit tests (Check) and end-to-end transcript tests
#   make check-asan   the same tests under AddressSanitizer + UBSan
#   make valgrind     the end-to-end tests under valgrind
#   make fuzz         libFuzzer on the shell's reader and parser, the term printer,
#                     the external term format decoder and the object loader
#                     (FUZZ_TIME seconds each, default 60; needs clang)

CC      ?= gcc
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Wno-unused-parameter \
           -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
           -U_FORTIFY_SOURCE -D_GNU_SOURCE \
           -DCERL_INCLUDE_DIR='"$(abspath include)"'
# No -rdynamic: a module links only to what cc.c binds for it (modapi.c,
# libc_guard.c, libc, libm). --wrap=open lets cc.c refuse non-regular
# files while libtcc compiles.
LDFLAGS += -Wl,--wrap=open
# libtcc's code generator emits a stack check before large frames, VLAs and
# structures passed by value (runtime/stack_limit.c)
LDFLAGS += -Wl,--wrap=gfunc_prolog,--wrap=gfunc_epilog,--wrap=gfunc_call,--wrap=gen_vla_alloc
# The distribution (runtime/dist/) is built on Debian's erl_interface: its
# libei.a is not position independent, and uses threads.
EI_ROOT ?= /usr/lib/erlang
EI_LIB   = $(firstword $(wildcard $(EI_ROOT)/lib/erl_interface-*/lib/libei.a))
CFLAGS  += -I$(EI_ROOT)/usr/include -pthread
LDFLAGS += -no-pie -pthread
LDLIBS  += $(EI_LIB)
LDLIBS  += -ltcc -lelf -ldl -lpthread -lreadline -lgmp -lz -lm -lunwind-generic -lunwind

BUILD   ?= build
PKGS     = tcc libtcc-dev libreadline-dev check pkg-config libunwind-dev libelf-dev libgmp-dev zlib1g-dev erlang-dev erlang-base

RUNTIME_SRC = $(wildcard runtime/*.c runtime/dist/*.c)
RUNTIME_ASM = $(wildcard runtime/*.S)
SH_SRC      = $(filter-out shell/main.c,$(wildcard shell/*.c))
LIB_OBJ     = $(RUNTIME_SRC:%.c=$(BUILD)/%.o) $(RUNTIME_ASM:%.S=$(BUILD)/%.o) $(SH_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC    = $(wildcard tests/unit/*.c)
# The modules shipped with cerl (the standard library): compiled by tcc as
# c(M) compiles a user's module, loaded from modules/ (sticky, on the
# default code path).
MODULE_OBJ  = $(patsubst %.c,%.o,$(wildcard modules/*.c))

.PHONY: all run test unit e2e deps check-asan valgrind fuzz clean

all: cerl

cerl: $(BUILD)/cerl $(MODULE_OBJ)
	cp $< $@

modules/%.o: modules/%.c include/cerl.h
	cd modules && tcc -g -c -Wall -Werror -I ../include -o $(notdir $@) $(notdir $<)

$(BUILD)/cerl: $(LIB_OBJ) $(BUILD)/shell/main.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c $(wildcard include/*.h runtime/*.h runtime/dist/*.h runtime/*.def shell/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# Installs the Debian packages cerl needs when run as root; otherwise says
# exactly what to install.
deps:
	@missing=""; for p in $(PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "cerl needs these Debian packages:$$missing"; \
	    echo "install them with: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

run: deps
	$(MAKE) cerl
	cd examples && ../cerl

# ---------------------------------------------------------------- tests

$(BUILD)/tests/suites.h: $(UNIT_SRC)
	@mkdir -p $(dir $@)
	@grep -ho 'Suite \*[a-z_0-9]*_suite(void)' $(UNIT_SRC) | sed 's/$$/;/' > $@.decl
	@grep -ho '[a-z_0-9]*_suite(void)' $(UNIT_SRC) | sed 's/(void)/,/' > $@.list
	@{ cat $@.decl; echo '#define ALL_SUITES \'; sed 's/$$/ \\/' $@.list; echo; } > $@

$(BUILD)/tests/unit: $(UNIT_SRC) $(LIB_OBJ) $(BUILD)/tests/suites.h tests/check_main.c
	$(CC) $(CFLAGS) -I$(BUILD)/tests -DCERL_TEST_DATA='"$(abspath tests/data)"' $(shell pkg-config --cflags check) $(LDFLAGS) -o $@ \
	  tests/check_main.c $(UNIT_SRC) $(LIB_OBJ) $(shell pkg-config --libs check) $(LDLIBS)

unit: $(BUILD)/tests/unit
	cd tests && CK_FORK=no ../$(BUILD)/tests/unit

e2e: cerl
	tests/run_transcripts.sh ./cerl
	python3 tests/run_tty.py ./cerl
	python3 tests/run_tty_jobs.py ./cerl
	python3 tests/dist/run.py ./cerl

test: deps
	$(MAKE) cerl $(BUILD)/tests/unit
	$(MAKE) unit e2e

ASAN_CC = $(CC) -fsanitize=address,undefined -fno-sanitize-recover=undefined

check-asan: deps
	$(MAKE) BUILD=build-asan OPT=-O1 CC="$(ASAN_CC)" build-asan/cerl build-asan/tests/unit $(MODULE_OBJ)
	cd tests && CK_FORK=no ASAN_OPTIONS=detect_leaks=0 ../build-asan/tests/unit
	ASAN_OPTIONS=detect_leaks=0 tests/run_transcripts.sh build-asan/cerl

valgrind: cerl $(BUILD)/tests/unit
	cd tests && CK_FORK=no valgrind -q --error-exitcode=99 ../$(BUILD)/tests/unit
	VALGRIND=1 tests/run_transcripts.sh ./cerl

# ---------------------------------------------------------------- fuzz

# Each target in tests/fuzz/fuzz_NAME.c runs FUZZ_TIME seconds, seeded from
# tests/fuzz/corpus/NAME (what it finds goes to build-fuzz/corpus-NAME). First
# it replays tests/fuzz/regress/NAME/*: inputs that once crashed it. A crash
# leaves build-fuzz/crash-NAME-*; copy it to tests/fuzz/regress/NAME/.
FUZZ_TIME ?= 60
FUZZ_CC    = clang -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
FUZZERS    = parse print read etf object dist_packet

fuzz:
	$(MAKE) BUILD=build-fuzz OPT=-O1 CC="$(FUZZ_CC)" $(FUZZERS:%=build-fuzz/fuzz_%)
	@for f in $(FUZZERS); do \
	  if ls tests/fuzz/regress/$$f/* >/dev/null 2>&1; then \
	    echo "fuzz_$$f: replaying tests/fuzz/regress/$$f"; \
	    build-fuzz/fuzz_$$f tests/fuzz/regress/$$f/* || exit 1; \
	  fi; \
	  mkdir -p build-fuzz/corpus-$$f; \
	  echo "fuzz_$$f: $(FUZZ_TIME) s"; \
	  build-fuzz/fuzz_$$f -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
	    -artifact_prefix=build-fuzz/crash-$$f- build-fuzz/corpus-$$f tests/fuzz/corpus/$$f \
	    2>build-fuzz/fuzz_$$f.log || { tail -40 build-fuzz/fuzz_$$f.log; exit 1; }; \
	  grep -E '^stat::number_of_executed_units|^Done' build-fuzz/fuzz_$$f.log; \
	done

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_OBJ)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(LDLIBS)

clean:
	rm -rf build build-asan build-fuzz cerl

# ---------------------------------------------------------------- bench

# cerl against BEAM (erl +S 1), side by side: prints one line per figure and
# writes bench/RESULTS.md. Installs erlang-base when erl is missing (as root).
.PHONY: bench
bench: deps
	@command -v erl >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing: erlang-base"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq erlang-base >/dev/null || exit 1; \
	  else \
	    echo "make bench needs erl; install it with: sudo apt-get install -y erlang-base"; exit 1; \
	  fi; }
	$(MAKE) cerl
	status=0; python3 bench/run.py || status=$$?; python3 bench/dist/run.py || status=$$?; exit $$status
