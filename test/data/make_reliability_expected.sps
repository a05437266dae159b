* make_reliability_expected.sps -- expectations for the reliability tests
* from GNU PSPP RELIABILITY /SUMMARY=TOTAL (never from survey_reg).
*
* Run from the repository root (GNU PSPP 1.6.2):
*   pspp test/data/make_reliability_expected.sps -o /tmp/rel.spv
*   python3 test/data/pspp_spv_to_csv.py /tmp/rel.spv \
*     s2 s3 s3r s8 s10 neg > test/data/reliability_expected_pspp.csv
* PSPP prints its tables rounded; the .spv file keeps the full doubles,
* which pspp_spv_to_csv.py extracts (it reads pspp-output's dump of the
* tables and locates each cell's 8-byte value in the table's binary).
* The scale names given to it follow the order of the RELIABILITY commands.
* Listwise deletion per scale is PSPP's default (/MISSING=EXCLUDE).

GET DATA /TYPE=TXT /FILE='test/data/reliability_items.csv'
  /ARRANGEMENT=DELIMITED /DELCASE=LINE /FIRSTCASE=2 /DELIMITERS=","
  /VARIABLES=
  id F8.0
  t1 F8.0
  t2 F8.0
  b1 F8.0
  b2 F8.0
  b3 F8.0
  e1 F8.0
  e2 F8.0
  e3 F8.0
  e4 F8.0
  e5 F8.0
  e6 F8.0
  e7 F8.0
  e8 F8.0
  c1 F12.3
  c2 F12.3
  c3 F12.3
  c4 F12.3
  c5 F12.3
  c6 F12.3
  c7 F12.3
  c8 F12.3
  c9 F12.3
  c10 F12.3
  n1 F8.0
  n2 F8.0
  n3 F8.0
  fw F8.0.

* the reverse-worded items of the 3-item scale, reversed on 0-3.
COMPUTE b1r = 3 - b1.
COMPUTE b2r = 3 - b2.
EXECUTE.

RELIABILITY /VARIABLES=t1 t2 /SCALE('s2') ALL /MODEL=ALPHA /SUMMARY=TOTAL.
RELIABILITY /VARIABLES=b1 b2 b3 /SCALE('s3') ALL /MODEL=ALPHA /SUMMARY=TOTAL.
RELIABILITY /VARIABLES=b1r b2r b3 /SCALE('s3r') ALL /MODEL=ALPHA /SUMMARY=TOTAL.
RELIABILITY /VARIABLES=e1 e2 e3 e4 e5 e6 e7 e8 /SCALE('s8') ALL /MODEL=ALPHA /SUMMARY=TOTAL.
RELIABILITY /VARIABLES=c1 c2 c3 c4 c5 c6 c7 c8 c9 c10 /SCALE('s10') ALL /MODEL=ALPHA /SUMMARY=TOTAL.
RELIABILITY /VARIABLES=n1 n2 n3 /SCALE('neg') ALL /MODEL=ALPHA /SUMMARY=TOTAL.

* No weighted runs: PSPP 1.6.2 RELIABILITY ignores WEIGHT BY (with WEIGHT BY
* fw it prints the unweighted N and the unweighted alpha to the last bit),
* so the frequency-weight expectations come from R (rows replicated fw
* times, scales s3_w and s8_w in reliability_expected_psych.csv).
