/*
 * accuracy_claims.h — the thresholds of the accuracy tests, read from
 * test/data/accuracy_claims.csv (the file the README's accuracy tables are
 * generated from: tools/accuracy_claims.py).
 */
#ifndef ACCURACY_CLAIMS_H
#define ACCURACY_CLAIMS_H

/*
 * The bound claimed for (suite, case, quantity): a minimum LRE for kind
 * lre/lre_abs, a maximum difference for rel/abs.  NaN when the file has no
 * such row, so that any comparison with it fails.  The file is
 * $ACCURACY_CLAIMS, else ../data/accuracy_claims.csv (the drivers run in
 * test/core); a file that cannot be read ends the program (exit 2).
 */
extern double claim_bound(const char *suite, const char *case_, const char *quantity);

#endif
