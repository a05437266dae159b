#!/usr/bin/env bash
# Install what is missing (Debian 12 packages), build and install survey_reg.
# Sourced by tools/demo.sh and tools/test.sh; safe to run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# the PostgreSQL major: 15 unless tools/test.sh --pg says otherwise
pgv=${SURVEY_REG_PG:-15}
packages=(make gcc postgresql-$pgv postgresql-server-dev-$pgv postgresql-$pgv-pgtap
	libtap-parser-sourcehandler-pgtap-perl liblapacke-dev r-mathlib
	postgresql-common ${EXTRA_PACKAGES:-})
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
		|| missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "Installing: ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
fi

export PG_CONFIG=/usr/lib/postgresql/$pgv/bin/pg_config
# tools/test.sh sets SURVEY_REG_COPT (-Wall -Wextra -Werror): its first
# build starts clean, so every file is compiled and a warning fails it
if [ -n "${SURVEY_REG_COPT:-}" ] && [ -z "${SURVEY_REG_BUILT:-}" ]; then
	make -s PG_CONFIG="$PG_CONFIG" clean >/dev/null
fi
export SURVEY_REG_BUILT=1
make -s PG_CONFIG="$PG_CONFIG" ${SURVEY_REG_COPT:+COPT="$SURVEY_REG_COPT"} >/dev/null
make -s PG_CONFIG="$PG_CONFIG" install >/dev/null

# A TCP port no server listens on, for the throwaway cluster: pg_virtualenv
# -t would otherwise always take 5432, which a stale server from an
# interrupted run (or any other server) may hold.
free_port() {
	local p
	for ((p = 54320; p < 54420; p++)); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null \
			&& [ ! -e "/var/run/postgresql/.s.PGSQL.$p" ]; then
			echo "$p"
			return 0
		fi
	done
	echo 5432
}
