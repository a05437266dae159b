# Malformed-input harness for the moments state's text form, under
# AddressSanitizer and UndefinedBehaviorSanitizer (no PostgreSQL).
#
#   make -f fuzz.mk run                    100000 cases, seed 1
#   make -f fuzz.mk run CASES=1000000 SEED=7
#   make -f fuzz.mk clean
#
# Kept apart from this directory's Makefile (the core unit tests), which
# this file does not touch.  Any sanitizer report aborts the run
# (-fno-sanitize-recover=all).

CC ?= gcc
CASES ?= 100000
SEED ?= 1
SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all
CFLAGS = -O1 -g -std=gnu99 -Wall -Wextra -Wno-unused-parameter \
	-ffp-contract=off -fno-fast-math -fno-omit-frame-pointer $(SANITIZE)
CPPFLAGS = -I../../src/core
LDLIBS = -lm

FUZZ_SRCS = ../../src/core/moments_core.c ../../src/core/moments_text.c
FUZZ_HDRS = ../../src/core/moments_core.h ../../src/core/dd.h

fuzz_moments_text: fuzz_moments_text.c $(FUZZ_SRCS) $(FUZZ_HDRS)
	$(CC) $(CFLAGS) $(CPPFLAGS) -o $@ fuzz_moments_text.c $(FUZZ_SRCS) $(LDLIBS)

run: fuzz_moments_text
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	./fuzz_moments_text $(CASES) $(SEED)

clean:
	rm -f fuzz_moments_text

.PHONY: run clean
