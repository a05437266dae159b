#!/usr/bin/env bash
# Does any library survey_reg brings into a backend clash with a symbol of
# the server executable?  A backend's global symbol scope starts with the
# postgres executable, so a library's call through the PLT to a function
# whose name the server also exports runs the server's function (PostgreSQL
# 18's dgamma ran inside libRmath's qf and crashed the backend).
#
#   bash tools/symbol-clash.sh POSTGRES MODULE.so [--deep SONAME]...
#
# Checked, with the dynamic symbol tables (nm -D) and dynamic relocations
# (readelf -r) of each object:
# - MODULE.so itself: a symbol it defines and also calls through a
#   relocation, which the server defines too (its calls into the server's
#   API are the point of an extension);
# - every library in MODULE.so's load closure (ldd: global scope, behind
#   the executable): any symbol it calls that the server defines (binds to
#   the server's), and any symbol it defines that the server defines too
#   (shadowed: the next build of the library may call it — 15 and 17's
#   dexp against libRmath);
# - each --deep SONAME, a library the module opens with
#   dlopen(RTLD_LOCAL | RTLD_DEEPBIND) (src/core/rmath_loader.c): only
#   calls its own closure does not define can reach the server.
# Prints each clash; exit status 1 if there is one, 0 if none.
set -euo pipefail

server=${1:?usage: symbol-clash.sh POSTGRES MODULE.so [--deep SONAME]...}
module=${2:?usage: symbol-clash.sh POSTGRES MODULE.so [--deep SONAME]...}
shift 2
deep=()
while [ $# -gt 0 ]; do
	case $1 in
		--deep) deep+=("$2"); shift 2 ;;
		*) echo "symbol-clash.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# defined / referenced dynamic symbols, one name a line, sorted, no versions
defined() { nm -D --defined-only "$1" | awk 'NF >= 3 { sub(/@.*/, "", $3); print $3 }' | sort -u; }
called() {
	readelf -rW "$1" | awk '$1 ~ /^[0-9a-f]+$/ && NF >= 5 && $5 !~ /^\*/ { sub(/@.*/, "", $5); print $5 }' | sort -u
}
closure() { ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'; }

# the executable's own functions and data; the C library's data it holds
# by copy relocation (stdin, environ, optarg... and their aliases at the
# same address) are the library's objects, not clashes
readelf -rW "$server" | awk '$3 ~ /_COPY$/ { print $1 }' | sed 's/^0*//' | sort -u >"$work/copied"
nm -D --defined-only "$server" | awk 'NF >= 3 { a = $1; sub(/^0*/, "", a); sub(/@.*/, "", $3); print a, $3 }' \
	| awk 'NR == FNR { copied[$1] = 1; next } !($1 in copied) { print $2 }' "$work/copied" - \
	| sort -u >"$work/server"
[ -s "$work/server" ] || { echo "symbol-clash.sh: no dynamic symbols in $server" >&2; exit 2; }
clashes=0
report() {	# report WHAT FILE: print FILE's names under WHAT, count them
	if [ -s "$2" ]; then
		clashes=$((clashes + $(wc -l <"$2")))
		echo "CLASH $1: $(tr '\n' ' ' <"$2")"
	fi
}

defined "$module" >"$work/mod.def"
called "$module" | comm -12 - "$work/mod.def" | comm -12 - "$work/server" >"$work/c"
report "$(basename "$module") calls its own symbols the server defines" "$work/c"

checked=$(basename "$module")
for lib in $(closure "$module"); do
	called "$lib" | comm -12 - "$work/server" >"$work/c"
	report "$lib (global scope) calls symbols the server defines" "$work/c"
	defined "$lib" | comm -12 - "$work/server" >"$work/c"
	report "$lib (global scope) defines symbols the server defines (shadowed)" "$work/c"
	checked+=" $(basename "$lib")"
done

for soname in "${deep[@]}"; do
	# awk reads to the end: an early exit would kill ldconfig with SIGPIPE,
	# which pipefail turns into this script's exit status 141
	lib=$(ldconfig -p | awk -v s="$soname" '$1 == s && !f { print $NF; f = 1 }')
	[ -n "$lib" ] || { echo "symbol-clash.sh: $soname not found (ldconfig -p)" >&2; exit 2; }
	# the module must open it (not link it) for the deep rule to apply
	if grep -q "/${soname%%.so*}\.so" <<<"$(closure "$module")"; then
		echo "symbol-clash.sh: $soname is linked, not opened with RTLD_DEEPBIND" >&2
		exit 2
	fi
	{ defined "$lib"; for d in $(closure "$lib"); do defined "$d"; done; } | sort -u >"$work/own"
	called "$lib" | comm -23 - "$work/own" | comm -12 - "$work/server" >"$work/c"
	report "$lib (RTLD_DEEPBIND) calls symbols outside its closure the server defines" "$work/c"
	checked+=" $(basename "$lib")(deep)"
done

echo "symbol clashes against $server: $clashes (checked $checked)"
[ $clashes -eq 0 ]
