#!/usr/bin/env bash
# The README's peer figures for NIST StRD linear regression: R's lm and GNU
# PSPP's REGRESSION on the same data (test/data/nist), scored as
# test/regression_nist.sql scores survey_reg (LRE of the coefficients and
# SEs, minimum over the terms, capped at 15; absolute error where the
# certified value is 0).
#
#   bash bench/peers_accuracy.sh
#
# Installs r-base-core and pspp from Debian if missing; needs no PostgreSQL.
# Prints one line per dataset: R's coefficient and SE LRE and the number
# of terms lm drops (NA), then PSPP's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

missing=()
for p in r-base-core pspp; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "Installing: ${missing[*]}"
	apt-get -o DPkg::Lock::Timeout=600 update -qq
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
fi

r=$(Rscript bench/peers_accuracy.R 2>/dev/null)
pspp=$(python3 bench/peers_accuracy_pspp.py)
echo "NIST StRD LRE, coefficients / SEs (terms dropped)"
printf '%-9s  %-24s  %s\n' "" "$(head -n 1 <<<"$r")" "$(head -n 1 <<<"$pspp")"
join <(tail -n +2 <<<"$r" | sort) <(grep -v '^#' <<<"$pspp" | tail -n +2 | sort) |
	awk '{ printf "%-9s  R lm  %4s / %4s (%s)           PSPP  %4s / %4s\n", $1, $2, $3, $4, $5, $6 }'
grep '^#' <<<"$pspp" || true
