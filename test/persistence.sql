-- Persistence: stored moments values survive the text form, COPY (text,
-- csv, binary) and pg_dump/pg_restore bit for bit, and the upgrade paths
-- between released versions keep them (issue 8, item 6).
--
-- "Bit for bit" is checked on the type's canonical forms: the binary send
-- format (every double of the state, normalized) and the text output (17
-- significant digits, hi:lo pairs).  pg_dump and the server-side COPY files
-- need a superuser and COPY ... PROGRAM; without them those tests skip.
--
-- Not in one transaction: pg_dump runs in its own session and must see the
-- data, so the schema persist_test is committed and dropped at the end.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS persist_test CASCADE;
DROP SCHEMA IF EXISTS persist_orig CASCADE;
SELECT * FROM no_plan();

CREATE SCHEMA persist_test;
\set survey_table persist_test.survey
\ir include/sample_survey_table.sql

-- every kind of state: plain, weighted, per group, from a matrix, with the
-- shape statistics dropped, empty, one variable, awkward names, and wide
-- enough to be compressed and stored out of line
CREATE TABLE persist_test.states (id serial PRIMARY KEY, label text, m survey_reg.moments);
INSERT INTO persist_test.states (label, m)
SELECT 'sample survey', survey_reg.moments(ARRAY[individualisering, styring_a, styring_b, alder, ratio],
	ARRAY['individualisering', 'styring_a', 'styring_b', 'alder', 'ratio'])
FROM persist_test.survey;
INSERT INTO persist_test.states (label, m)
SELECT 'weighted', survey_reg.moments(ARRAY[individualisering, effektiv],
	ARRAY['individualisering', 'effektiv'], weight)
FROM persist_test.survey;
INSERT INTO persist_test.states (label, m)
SELECT 'office ' || office_id, survey_reg.moments(ARRAY[styring_a, styring_b, belast_tid])
FROM persist_test.survey GROUP BY office_id;
INSERT INTO persist_test.states (label, m)
SELECT 'matrix', survey_reg.moments_from_matrix(ARRAY['a', 'b', 'c'], 1117,
	ARRAY[[1, 0.3, -0.2], [0.3, 1, 0.5], [-0.2, 0.5, 1]]::float8[],
	ARRAY[1.5, 1e9, -3], ARRAY[0.5, 2, 1e-3]);
INSERT INTO persist_test.states (label, m)
SELECT 'no shape (1e100)', survey_reg.moments(ARRAY[alder * 1e100, ratio])
FROM persist_test.survey;
INSERT INTO persist_test.states (label, m)
SELECT 'empty', survey_reg.moments(ARRAY[NULL::float8, 1])
FROM generate_series(1, 3);
INSERT INTO persist_test.states (label, m)
SELECT 'one variable, location 1e9', survey_reg.moments(ARRAY[1e9 + sin(g)])
FROM generate_series(1, 1000) g;
INSERT INTO persist_test.states (label, m)
SELECT 'awkward names', survey_reg.moments(ARRAY[individualisering, styring_a, alder],
	ARRAY['Col "quoted"', E'back\\slash, comma', E'\u00e6\u00f8\u00e5 \u2013 nav'])
FROM persist_test.survey;
INSERT INTO persist_test.states (label, m)
SELECT 'wide (k = 120)', survey_reg.moments(a)
FROM (SELECT array_agg(sin(r * j) + j ORDER BY j) a
      FROM generate_series(1, 300) r, generate_series(1, 120) j GROUP BY r) s;
INSERT INTO persist_test.states (label, m)
SELECT 'merged', survey_reg.merge(m) FROM persist_test.states WHERE label LIKE 'office %';

-- the canonical forms of every stored value, to compare against
CREATE TEMP TABLE canon AS
SELECT id, survey_reg.moments_send(m) AS bin, m::text AS txt FROM persist_test.states;

SELECT ok((SELECT bool_and(pg_column_size(m) < octet_length(bin)) FROM persist_test.states
	JOIN canon USING (id) WHERE label = 'wide (k = 120)'),
	'the wide state is compressed in storage');

-- 1. text form and text COPY through the client
SELECT is(
	(SELECT count(*) FROM persist_test.states s JOIN canon c USING (id)
	 WHERE survey_reg.moments_send(s.m::text::survey_reg.moments) = c.bin
	   AND s.m::text::survey_reg.moments::text = c.txt),
	(SELECT count(*) FROM persist_test.states),
	'text output -> input: the same state bit for bit, every row');

CREATE TABLE persist_test.copied (LIKE persist_test.states);

-- 2. server-side COPY (text, csv, binary) and pg_dump / pg_restore
CREATE FUNCTION pg_temp.superuser() RETURNS bool LANGUAGE sql AS $$
	SELECT rolsuper FROM pg_roles WHERE rolname = current_user
$$;

-- a file in the server's data directory (COPY wants an absolute path)
CREATE FUNCTION pg_temp.data_file(name text) RETURNS text LANGUAGE sql AS $$
	SELECT current_setting('data_directory') || '/' || name
$$;

-- run a shell command on the server (COPY ... TO PROGRAM), in the data
-- directory; NULL on success, else the error
CREATE FUNCTION pg_temp.server_shell(cmd text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('COPY (SELECT 1) TO PROGRAM %L', cmd);
	RETURN NULL;
EXCEPTION WHEN OTHERS THEN
	RETURN SQLERRM;
END $$;

CREATE FUNCTION pg_temp.same_as_canon(tab text) RETURNS bool LANGUAGE plpgsql AS $$
DECLARE ok bool;
BEGIN
	EXECUTE format($q$
		SELECT count(*) = (SELECT count(*) FROM canon)
		   AND bool_and(survey_reg.moments_send(t.m) = c.bin AND t.m::text = c.txt)
		FROM %s t JOIN canon c USING (id)$q$, tab) INTO ok;
	RETURN coalesce(ok, false);
END $$;

CREATE FUNCTION pg_temp.copy_round_trip(fmt text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
	IF NOT pg_temp.superuser() THEN
		RETURN NEXT skip('server-side COPY needs a superuser', 1);
		RETURN;
	END IF;
	TRUNCATE persist_test.copied;
	EXECUTE format('COPY persist_test.states TO %L WITH (FORMAT %s)',
		pg_temp.data_file('survey_reg_persist.' || fmt), fmt);
	EXECUTE format('COPY persist_test.copied FROM %L WITH (FORMAT %s)',
		pg_temp.data_file('survey_reg_persist.' || fmt), fmt);
	RETURN NEXT ok(pg_temp.same_as_canon('persist_test.copied'),
		format('COPY (FORMAT %s) out and in: every state bit for bit', fmt));
END $$;

SELECT * FROM pg_temp.copy_round_trip('text');
SELECT * FROM pg_temp.copy_round_trip('csv');
SELECT * FROM pg_temp.copy_round_trip('binary');

-- binary COPY twice gives the same file: the binary form is canonical
CREATE FUNCTION pg_temp.binary_copy_stable() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE a bytea; b bytea;
BEGIN
	IF NOT pg_temp.superuser() THEN
		RETURN NEXT skip('server-side COPY needs a superuser', 1);
		RETURN;
	END IF;
	EXECUTE format('COPY (SELECT id, label, m FROM persist_test.copied ORDER BY id) TO %L WITH (FORMAT binary)',
		pg_temp.data_file('survey_reg_persist.bin2'));
	EXECUTE format('COPY (SELECT id, label, m FROM persist_test.states ORDER BY id) TO %L WITH (FORMAT binary)',
		pg_temp.data_file('survey_reg_persist.bin1'));
	a := pg_read_binary_file(pg_temp.data_file('survey_reg_persist.bin1'));
	b := pg_read_binary_file(pg_temp.data_file('survey_reg_persist.bin2'));
	RETURN NEXT is(md5(a), md5(b),
		format('binary COPY of the original and of the copy: identical files (%s bytes)', octet_length(a)));
END $$;
SELECT * FROM pg_temp.binary_copy_stable();

-- the analyses of the restored states are those of the originals
SELECT CASE WHEN pg_temp.superuser() THEN is(
	(SELECT count(*) FROM persist_test.states s JOIN persist_test.copied c USING (id),
		LATERAL (SELECT array_agg(d::text) x FROM survey_reg.describe(s.m) d) ds,
		LATERAL (SELECT array_agg(d::text) x FROM survey_reg.describe(c.m) d) dc
	 WHERE ds.x = dc.x),
	(SELECT count(*) FROM persist_test.states),
	'describe of every copied state equals that of the original')
	ELSE skip('server-side COPY needs a superuser', 1) END;

-- pg_dump -Fc of the schema, the schema renamed, pg_restore, compare.
-- Separate statements: pg_restore runs in another session and must see
-- the rename committed (one statement for all would wait on itself).
CREATE TEMP TABLE dump_state (bindir text, conn text, skip_reason text);
CREATE FUNCTION pg_temp.dump() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	bindir text;
	conn text;
	err text;
BEGIN
	IF NOT pg_temp.superuser() THEN
		INSERT INTO dump_state VALUES (NULL, NULL,
			'pg_dump/pg_restore through COPY ... PROGRAM needs a superuser');
		RETURN NEXT skip((SELECT skip_reason FROM dump_state), 4);
		RETURN;
	END IF;
	SELECT setting INTO bindir FROM pg_config WHERE name = 'BINDIR';
	-- the server's own socket and port (peer or trust authentication); a
	-- timeout, so that a client that cannot get in fails instead of waiting
	conn := format('-h %s -p %s -U %s -d %s -w',
		quote_ident(split_part(current_setting('unix_socket_directories'), ',', 1)),
		current_setting('port'), quote_ident(current_user), quote_ident(current_database()));
	-- (env -u LD_PRELOAD: a sanitizer run preloads its runtime into the
	-- server, and programs started from it must not inherit it)
	err := pg_temp.server_shell(format('env -u LD_PRELOAD PGCONNECT_TIMEOUT=10 timeout 300 %s/pg_dump -Fc -n persist_test %s -f %s',
		bindir, conn, pg_temp.data_file('survey_reg_persist.dump')));
	-- a pg_dump that fails is a failure, not a skip (only a missing
	-- superuser is a reason to skip); what depends on its dump is skipped
	IF err IS NOT NULL THEN
		INSERT INTO dump_state VALUES (NULL, NULL, 'pg_dump failed, nothing to restore');
		RETURN NEXT fail('pg_dump -Fc of a schema holding moments values: ' || err);
		RETURN NEXT skip((SELECT skip_reason FROM dump_state), 3);
		RETURN;
	END IF;
	INSERT INTO dump_state VALUES (bindir, conn, NULL);
	RETURN NEXT pass('pg_dump -Fc of a schema holding moments values');
END $$;
SELECT * FROM pg_temp.dump();

DO $$ BEGIN
	IF (SELECT skip_reason IS NULL FROM dump_state) THEN
		ALTER SCHEMA persist_test RENAME TO persist_orig;
	END IF;
END $$;

CREATE FUNCTION pg_temp.restore() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	d dump_state;
BEGIN
	SELECT * INTO d FROM dump_state;
	IF d.skip_reason IS NOT NULL THEN
		RETURN;
	END IF;
	RETURN NEXT is(pg_temp.server_shell(format('env -u LD_PRELOAD PGCONNECT_TIMEOUT=10 timeout 300 %s/pg_restore %s %s',
		d.bindir, d.conn, pg_temp.data_file('survey_reg_persist.dump'))), NULL, 'pg_restore of it');
END $$;
SELECT * FROM pg_temp.restore();

CREATE FUNCTION pg_temp.compare_restored() RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
	IF (SELECT skip_reason IS NOT NULL FROM dump_state) THEN
		RETURN;
	END IF;
	RETURN NEXT ok(pg_temp.same_as_canon('persist_test.states'),
		'pg_dump/pg_restore: every state bit for bit');
	RETURN NEXT is(
		(SELECT array_agg(c::text ORDER BY model, term) FROM persist_test.states,
			survey_reg.coefficients(m, 'individualisering', ARRAY['styring_a, styring_b', 'alder']) c
		 WHERE label = 'sample survey'),
		(SELECT array_agg(c::text ORDER BY model, term) FROM persist_orig.states,
			survey_reg.coefficients(m, 'individualisering', ARRAY['styring_a, styring_b', 'alder']) c
		 WHERE label = 'sample survey'),
		'pg_dump/pg_restore: regression on the restored state equals the original');
END $$;
SELECT * FROM pg_temp.compare_restored();
-- the canonical forms live in the renamed schema now
DO $$ BEGIN
	IF (SELECT skip_reason IS NULL FROM dump_state) THEN
		DROP SCHEMA persist_test CASCADE;
		ALTER SCHEMA persist_orig RENAME TO persist_test;
	END IF;
END $$;

-- 3. upgrade paths: ALTER EXTENSION survey_reg UPDATE from every earlier
-- version to the default one must give the objects of a fresh install and
-- keep the stored states.  Each check runs in a subtransaction that is
-- rolled back, so the extension is left as it was.

-- the extension's objects, with a digest of each definition, each one's
-- privileges and the initial privileges pg_dump compares them with, and the
-- privileges of the extension's schema (not a member: CREATE EXTENSION
-- creates it, DROP EXTENSION leaves it)
CREATE FUNCTION pg_temp.extension_objects() RETURNS TABLE (obj text, def text)
LANGUAGE sql AS $$
	SELECT pg_describe_object(d.classid, d.objid, 0),
		concat_ws(' ', CASE WHEN d.classid = 'pg_proc'::regclass THEN
			(SELECT CASE WHEN p.prokind = 'a'
				THEN (SELECT md5(row(a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
					a.aggtranstype::regtype, a.aggfinalmodify)::text)
				      FROM pg_aggregate a WHERE a.aggfnoid = p.oid)
				ELSE md5(pg_get_functiondef(p.oid)) END
			 FROM pg_proc p WHERE p.oid = d.objid)
		WHEN d.classid = 'pg_type'::regclass THEN
			(SELECT md5(row(t.typinput, t.typoutput, t.typreceive, t.typsend,
				t.typalign, t.typstorage, t.typlen)::text) FROM pg_type t WHERE t.oid = d.objid)
		END,
		'acl=' || coalesce(CASE d.classid
			WHEN 'pg_proc'::regclass THEN (SELECT proacl::text FROM pg_proc WHERE oid = d.objid)
			WHEN 'pg_type'::regclass THEN (SELECT typacl::text FROM pg_type WHERE oid = d.objid)
			END, 'default'),
		'init=' || coalesce((SELECT i.privtype::text || ':' || i.initprivs::text FROM pg_init_privs i
			WHERE i.classoid = d.classid AND i.objoid = d.objid AND i.objsubid = 0), 'none'))
	FROM pg_depend d
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'survey_reg')
	UNION ALL
	SELECT 'schema ' || nspname, 'owner=' || nspowner::regrole || ' acl=' || coalesce(nspacl::text, 'default')
	FROM pg_namespace WHERE nspname = 'survey_reg'
$$;

-- DROP EXTENSION leaves the schema behind; drop it too (when nothing else
-- lives in it) so that each install starts from what CREATE EXTENSION makes
CREATE FUNCTION pg_temp.drop_extension() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	DROP EXTENSION survey_reg CASCADE;
	IF NOT EXISTS (SELECT FROM pg_class WHERE relnamespace = 'survey_reg'::regnamespace
	               UNION ALL SELECT FROM pg_proc WHERE pronamespace = 'survey_reg'::regnamespace
	               UNION ALL SELECT FROM pg_type WHERE typnamespace = 'survey_reg'::regnamespace) THEN
		DROP SCHEMA survey_reg;
	END IF;
END $$;

-- from_version -> default: NULL if the update gives a fresh install's
-- objects and keeps a stored state, else what differs
CREATE FUNCTION pg_temp.check_upgrade(from_version text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	fresh text[];
	updated text[];
	stored_before text;
	stored_after text;
	report text;
BEGIN
	BEGIN
		PERFORM pg_temp.drop_extension();
		CREATE EXTENSION survey_reg;
		SELECT array_agg(obj || ' ' || coalesce(def, '') ORDER BY obj) INTO fresh
		FROM pg_temp.extension_objects();
		PERFORM pg_temp.drop_extension();
		EXECUTE format('CREATE EXTENSION survey_reg VERSION %L', from_version);
		CREATE TABLE public.survey_reg_upgrade_probe AS
		SELECT survey_reg.moments(ARRAY[g::float8, sin(g)], ARRAY['g', 's']) AS m
		FROM generate_series(1, 100) g;
		SELECT m::text INTO stored_before FROM public.survey_reg_upgrade_probe;
		ALTER EXTENSION survey_reg UPDATE;
		SELECT array_agg(obj || ' ' || coalesce(def, '') ORDER BY obj) INTO updated
		FROM pg_temp.extension_objects();
		SELECT m::text INTO stored_after FROM public.survey_reg_upgrade_probe;
		report := concat_ws('; ',
			CASE WHEN (SELECT extversion FROM pg_extension WHERE extname = 'survey_reg')
				<> (SELECT default_version FROM pg_available_extensions WHERE name = 'survey_reg')
				THEN 'not at the default version' END,
			CASE WHEN fresh IS DISTINCT FROM updated THEN
				'objects differ from a fresh install: '
				|| coalesce((SELECT string_agg(x, ', ') FROM (SELECT unnest(fresh) EXCEPT SELECT unnest(updated)) f(x)), '')
				|| ' / '
				|| coalesce((SELECT string_agg(x, ', ') FROM (SELECT unnest(updated) EXCEPT SELECT unnest(fresh)) u(x)), '')
			END,
			CASE WHEN stored_before IS DISTINCT FROM stored_after THEN 'a stored state changed' END);
		RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'roll back', DETAIL = coalesce(report, '');
	EXCEPTION WHEN raise_exception THEN
		GET STACKED DIAGNOSTICS report = PG_EXCEPTION_DETAIL;
	END;
	RETURN nullif(report, '');
END $$;

CREATE FUNCTION pg_temp.upgrade_tests() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	def text := (SELECT default_version FROM pg_available_extensions WHERE name = 'survey_reg');
	v record;
	n int := 0;
BEGIN
	-- the check itself on the default version (no update): it must find
	-- nothing, or the comparison would be worthless
	RETURN NEXT is(pg_temp.check_upgrade(def), NULL,
		format('upgrade check machinery: %s "updated" to itself equals a fresh install', def));
	FOR v IN SELECT source FROM pg_extension_update_paths('survey_reg')
	         WHERE target = def AND source <> def AND path IS NOT NULL ORDER BY source LOOP
		n := n + 1;
		RETURN NEXT is(pg_temp.check_upgrade(v.source), NULL,
			format('ALTER EXTENSION survey_reg UPDATE from %s to %s: a fresh install''s objects and privileges, stored states kept',
				v.source, def));
	END LOOP;
	IF n = 0 THEN
		RETURN NEXT skip(format('only one version of survey_reg exists (%s): no update script survey_reg--X--%s.sql to test',
			(SELECT string_agg(version, ', ') FROM pg_available_extension_versions WHERE name = 'survey_reg'), def), 1);
	END IF;
END $$;
SELECT * FROM pg_temp.upgrade_tests();

-- every installable version has a path to the default one
SELECT is(
	ARRAY(SELECT version FROM pg_available_extension_versions WHERE name = 'survey_reg'
	      EXCEPT
	      SELECT source FROM pg_extension_update_paths('survey_reg')
	      WHERE target = (SELECT default_version FROM pg_available_extensions WHERE name = 'survey_reg')
	        AND path IS NOT NULL),
	ARRAY[(SELECT default_version FROM pg_available_extensions WHERE name = 'survey_reg')],
	'every installable version has an update path to the default version');

DO $$ BEGIN
	IF pg_temp.superuser() THEN
		PERFORM pg_temp.server_shell('rm -f survey_reg_persist.text survey_reg_persist.csv survey_reg_persist.binary survey_reg_persist.bin1 survey_reg_persist.bin2 survey_reg_persist.dump');
	END IF;
END $$;
DROP SCHEMA persist_test CASCADE;
SELECT * FROM finish();
