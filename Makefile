# survey_reg — PGXS build.
#
# Layout: src/core/ is the pure-C numeric core (no postgres.h), src/ the
# PostgreSQL layer, src/sql/ the install script in pieces concatenated in
# name order, sql/ + expected/ the pg_regress suite, test/ the pgTAP suites.

EXTENSION = survey_reg
EXTVERSION = 0.1.2

MODULE_big = survey_reg
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c src/core/*.c)))

# The current version's script is built from src/sql/; released versions'
# scripts and the update scripts between them are frozen in updates/ (never
# edited: an installed database may have run them).
DATA_built = survey_reg--$(EXTVERSION).sql
DATA = $(wildcard updates/survey_reg--*.sql)
REGRESS = $(basename $(notdir $(sort $(wildcard sql/*.sql))))
REGRESS_OPTS = --inputdir=. --outputdir=results_dir --load-extension=survey_reg
# PostgreSQL's isolation tester (specs/, expected/): concurrent sessions
ISOLATION = $(basename $(notdir $(sort $(wildcard specs/*.spec))))
ISOLATION_OPTS = --load-extension=survey_reg

# R's standalone math library (Debian r-mathlib) for t/F/chi-square is
# opened at run time (src/core/rmath_loader.c: its symbols must not meet the
# server's); RMATH_LINK=direct links it the old way, only as the clashing
# build tools/symbol-clash.sh must reject.  -ffp-contract=off keeps the
# double-double arithmetic exact;
# -Wno-psabi: the batch kernel's vector helpers are static and inlined, so
# the note about the 32-byte vector calling convention does not apply.
PG_CPPFLAGS = -Isrc -Isrc/core -DMATHLIB_STANDALONE \
	-DSURVEY_REG_VERSION='"$(EXTVERSION)"'
PG_CFLAGS = -O2 -ftree-vectorize -ffp-contract=off -fno-fast-math -Wno-psabi
SHLIB_LINK = -llapacke -llapack -lblas -lm
ifeq ($(RMATH_LINK),direct)
PG_CPPFLAGS += -DRMATH_DIRECT
SHLIB_LINK += -lRmath
endif
# the server headers are not -Wextra-clean (unused parameters, signedness):
# read them as system headers, so -Wall -Wextra reports our code only
PG_CPPFLAGS += -isystem $(shell $(PG_CONFIG) --includedir-server)

EXTRA_CLEAN = results_dir

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

survey_reg--$(EXTVERSION).sql: $(sort $(wildcard src/sql/*.sql))
	cat $^ > $@

installcheck: | results_dir
results_dir:
	mkdir -p results_dir

$(OBJS): $(wildcard src/*.h src/core/*.h)
