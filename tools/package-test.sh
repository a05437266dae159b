#!/usr/bin/env bash
# The Debian package, end to end (issue 12, item 4):
#   1. in a Debian chroot of SUITE (default bookworm), install the build
#      dependencies debian/control names and build the binary packages with
#      dpkg-buildpackage (pg_buildext: one postgresql-NN-survey-reg per
#      PostgreSQL major the chroot has; the build runs the pg_regress suite
#      against each package's files);
#   2. in a clean chroot (the bare debootstrap result, thrown away after),
#      install the built package with apt, which brings PostgreSQL and
#      r-mathlib from the mirror, create a cluster, and run CREATE EXTENSION
#      survey_reg and describe queries: as the superuser, and as a database
#      owner who is not a superuser (the extension is trusted); and a
#      correlation's p-value and the large-N Feldt interval, which need
#      R's math library (opened at first use, so only a query shows that
#      the package brought it).
#
#   bash tools/package-test.sh [SUITE]
#
# Chroots come from tools/chroot.sh (made once with debootstrap, cached).
# Not part of tools/test.sh: it costs two chroots (README, "Packages").
# The built .deb files are left in pkg-out/ (ignored by git).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# the throwaway clusters' port (this project's range on shared machines)
port=${SURVEY_REG_PACKAGE_TEST_PORT:-55103}

# inside the build chroot, in the copy of the tree
build_inside() {
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# the build dependencies, exactly as debian/control names them
	apt-get install -y -qq build-essential >/dev/null
	apt-get build-dep -y -qq ./ >/dev/null
	# one package per PostgreSQL major installed here
	export PG_SUPPORTED_VERSIONS=installed
	pg_buildext updatecontrol
	PGPORT=$port dpkg-buildpackage -b -us -uc >../build.log 2>&1 \
		|| { tail -n 60 ../build.log; exit 1; }
	grep -E '^(test |# All|ok |not ok|#? *All [0-9]+ tests|.*tests? failed)' ../build.log || true
	mkdir -p /build/pkg-out
	mv ../postgresql-*-survey-reg_*.deb /build/pkg-out/
	rm -f ../*.deb ../*.changes ../*.buildinfo
}

# inside a clean chroot, with pkg-out/ in the copy of the tree
install_inside() {
	local pkg v
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq ./pkg-out/postgresql-*-survey-reg_*.deb >/dev/null
	# what apt brought (the queries below are the test)
	{ dpkg-query -W -f '${db:Status-Abbrev} ${Package} ${Version}\n' 'postgresql-[0-9]*' r-mathlib 2>&1 || true; } \
		| sed -n 's/^ii  *//p'
	for pkg in pkg-out/postgresql-*-survey-reg_*.deb; do
		v=$(dpkg-deb -f "$pkg" Package | sed -E 's/^postgresql-([0-9]+)-survey-reg$/\1/')
		pg_createcluster "$v" pkgtest -p "$port" -- --auth=trust >/dev/null
		pg_ctlcluster "$v" pkgtest start
		psql -X -v ON_ERROR_STOP=1 -U postgres -h /var/run/postgresql -p "$port" -d postgres <<-'SQL'
			CREATE EXTENSION survey_reg;
			SELECT extname, extversion FROM pg_extension WHERE extname = 'survey_reg';
			SELECT * FROM survey_reg.describe(
				(SELECT survey_reg.moments(ARRAY[g::float8, sqrt(g)], ARRAY['g', 'root'])
				 FROM generate_series(1, 100) g));
			-- p-values and intervals come from R's math library, opened at
			-- first use: the package must have brought r-mathlib
			SELECT var1, var2, r, p FROM survey_reg.correlations(
				(SELECT survey_reg.moments(ARRAY[g::float8, sqrt(g)], ARRAY['g', 'root'])
				 FROM generate_series(1, 100) g)) WHERE var1 < var2;
			SELECT alpha, alpha_ci_lower, alpha_ci_upper FROM survey_reg.reliability(
				survey_reg.moments_from_matrix(ARRAY['a', 'b', 'c'], 250001,
					ARRAY[[1, .5, .5], [.5, 1, .5], [.5, .5, 1]]::float8[]));
			CREATE ROLE analysis_owner LOGIN;
			CREATE DATABASE analysis OWNER analysis_owner;
		SQL
		# a database owner who is not a superuser installs it (trusted)
		psql -X -v ON_ERROR_STOP=1 -U analysis_owner -h /var/run/postgresql -p "$port" -d analysis <<-'SQL'
			SELECT rolname, rolsuper FROM pg_roles WHERE rolname = current_user;
			CREATE EXTENSION survey_reg;
			CREATE TABLE answers AS SELECT g AS id, (g % 5)::float8 AS item FROM generate_series(1, 50) g;
			SELECT variable, n, mean, sd FROM survey_reg.describe('answers', ARRAY['item']);
		SQL
		pg_ctlcluster "$v" pkgtest stop
		echo "PostgreSQL $v: package installed; CREATE EXTENSION and describe work"
	done
}

case "${1:-}" in
--build-inside) build_inside; exit ;;
--install-inside) install_inside; exit ;;
esac

suite=${1:-bookworm}
start=$SECONDS
cache=${SURVEY_REG_CHROOT_CACHE:-/var/cache/survey_reg/chroot}
rm -rf pkg-out "$cache/$suite/build/pkg-out"

echo "== 1. build the packages in a $suite chroot"
bash tools/chroot.sh "$suite" -- \
	env SURVEY_REG_PACKAGE_TEST_PORT="$port" bash tools/package-test.sh --build-inside
mkdir -p pkg-out
mv "$cache/$suite/build/pkg-out/"*.deb pkg-out/
rmdir "$cache/$suite/build/pkg-out"
ls -l pkg-out/
build_time=$((SECONDS - start))

echo "== 2. install into a clean $suite chroot: CREATE EXTENSION, describe"
bash tools/chroot.sh --clean "$suite" -- \
	env SURVEY_REG_PACKAGE_TEST_PORT="$port" bash tools/package-test.sh --install-inside
echo "package test ($suite): passed; build ${build_time} s, whole test $((SECONDS - start)) s"
