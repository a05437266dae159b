#!/usr/bin/env bash
# META.json (PGXN): its versions agree with the Makefile and the control
# file, and, given the PGXN meta spec's JSON schemas, it validates against
# them.
#
#   bash tools/meta-check.sh [SCHEMA_DIR]
#
# SCHEMA_DIR holds the v1 schemas of the PGXN meta spec (distribution.schema.json
# and the files it refers to: schema/v1/ of the pgxn/meta repository on
# GitHub).  They are not copied into this repository; without them only the
# version check runs, and the script says so.  Validation uses Debian's
# python3-jsonschema (Draft 2020-12) with python3-regex for "pattern": the
# schemas' patterns use \p{...} and [[:digit:]] classes that Python's re
# lacks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
schema_dir=${1:-}

extversion=$(sed -n 's/^EXTVERSION *= *//p' Makefile)
default_version=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" survey_reg.control)
python3 - "$extversion" "$default_version" <<'EOF'
import json, sys
meta = json.load(open("META.json"))
want = {"Makefile EXTVERSION": sys.argv[1], "survey_reg.control default_version": sys.argv[2]}
have = {"META.json version": meta["version"],
        "META.json provides.survey_reg.version": meta["provides"]["survey_reg"]["version"]}
bad = [f"{k} = {v}" for k, v in have.items() if v not in want.values()] \
    + [f"{k} = {v}" for k, v in want.items() if v != meta["version"]]
if bad:
    sys.exit("META.json: versions disagree: " + "; ".join(bad))
print(f"META.json: version {meta['version']} agrees with the Makefile and survey_reg.control")
EOF

if [ -z "$schema_dir" ] || [ ! -f "$schema_dir/distribution.schema.json" ]; then
	echo "META.json: schema validation NOT run: pass the directory of the PGXN meta spec v1 schemas (distribution.schema.json)"
	exit 0
fi
python3 -c 'import jsonschema, regex' 2>/dev/null || {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
		--no-install-recommends python3-jsonschema python3-regex >/dev/null
}
python3 - "$schema_dir" <<'EOF'
import glob, json, os, sys
import importlib
import jsonschema
import regex

# the keyword implementations call re.search; give them regex, which knows
# the schemas' \p{...} and POSIX classes (module name differs by version)
for name in ("jsonschema._keywords", "jsonschema._validators"):
    try:
        module = importlib.import_module(name)
    except ImportError:
        continue
    if hasattr(module, "re"):
        module.re = regex

store = {}
for path in glob.glob(os.path.join(sys.argv[1], "*.schema.json")):
    schema = json.load(open(path))
    store[schema["$id"]] = schema
root = next(s for s in store.values() if s["$id"].endswith("/distribution.schema.json"))
try:  # jsonschema >= 4.18 (trixie)
    from referencing import Registry, Resource
    refs = {"registry": Registry().with_resources(
        (i, Resource.from_contents(s)) for i, s in store.items())}
except ImportError:  # jsonschema 4.10 (bookworm)
    refs = {"resolver": jsonschema.RefResolver.from_schema(root, store=store)}
validator = jsonschema.Draft202012Validator(
    root, **refs,
    format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
errors = sorted(validator.iter_errors(json.load(open("META.json"))), key=lambda e: list(e.path))
for e in errors:
    print("META.json: " + "/".join(map(str, e.path)) + ": " + e.message)
if errors:
    sys.exit(f"META.json: {len(errors)} error(s) against {root['$id']}")
print(f"META.json: valid against {root['$id']} ({len(store)} schema files)")
EOF
