/*
 * rmath_loader.h — the distribution functions survey_reg takes from R's
 * standalone math library (Debian r-mathlib), same arguments as R's
 * (MATHLIB_STANDALONE names: pt, qt, pf, qf, pchisq), so results match R's digit
 * for digit.  Pure C (no postgres.h): the numeric core and its tests use it.
 */
#ifndef SURVEY_REG_RMATH_LOADER_H
#define SURVEY_REG_RMATH_LOADER_H

extern double rmath_pt(double x, double df, int lower_tail, int log_p);
extern double rmath_qt(double p, double df, int lower_tail, int log_p);
extern double rmath_pf(double x, double df1, double df2, int lower_tail, int log_p);
extern double rmath_qf(double p, double df1, double df2, int lower_tail, int log_p);
extern double rmath_pchisq(double x, double df, int lower_tail, int log_p);
extern double rmath_pnorm(double x, double mu, double sigma, int lower_tail, int log_p);
extern double rmath_qnorm(double p, double mu, double sigma, int lower_tail, int log_p);

/*
 * Called, with a message, when the library cannot be loaded at first use;
 * must not return.  The PostgreSQL layer raises an ERROR; the default
 * prints the message and aborts (test programs).
 */
extern void (*rmath_load_failed_hook) (const char *message);

#endif
