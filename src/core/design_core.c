/*
 * design_core.c — design-based variance of means and totals (see
 * design_core.h), following R's survey package 4.1 (svyrecvar):
 *
 *   V = sum_h f_h n_h / (n_h - 1) sum_i (z_hi - zbar_h)^2          stage 1
 *     + sum_h (n_h / N_h) sum_i f_hi m_hi / (m_hi - 1)
 *                               sum_j (z_hij - zbar_hi)^2         stage 2
 *
 * with f = 1 - n / N (1 without a population count), n_h the stratum's
 * PSUs in the whole sample (units outside the domain count, with z = 0)
 * and the second stage only with first-stage population counts.
 */
#include "design_core.h"

#include <math.h>
#include <string.h>

static void
sums_init(DesignSums *s)
{
	s->y = s->w = s->yy = s->yw = s->ww = dd_from(0.0);
	s->units = 0.0;
}

static void
form_init(DesignForm *f)
{
	f->a = f->b = f->c = dd_from(0.0);
}

void
design_cell_init(DesignCell *c)
{
	memset(c, 0, sizeof(DesignCell));
	c->y = c->w = dd_from(0.0);
	c->ssu_y = c->ssu_w = c->psu_y = c->psu_w = dd_from(0.0);
	sums_init(&c->in_psu);
	sums_init(&c->in_stratum);
	form_init(&c->stage2_stratum);
	form_init(&c->stage1);
	form_init(&c->stage2);
}

void
design_add(DesignCell *c, int64_t n, double wy, double w)
{
	if (n <= 0)
		return;
	c->n += n;
	c->y = dd_add_d(c->y, wy);
	c->w = dd_add_d(c->w, w);
	c->ssu_y = dd_add_d(c->ssu_y, wy);
	c->ssu_w = dd_add_d(c->ssu_w, w);
	c->ssu_in = true;
}

void
design_add_rows(DesignCell *c, int64_t n, double wy, double w,
				double wyy, double wwy, double ww)
{
	DesignSums *s = &c->in_stratum;

	if (n <= 0)
		return;
	c->n += n;
	c->y = dd_add_d(c->y, wy);
	c->w = dd_add_d(c->w, w);
	s->y = dd_add_d(s->y, wy);
	s->w = dd_add_d(s->w, w);
	s->yy = dd_add_d(s->yy, wyy);
	s->yw = dd_add_d(s->yw, wwy);
	s->ww = dd_add_d(s->ww, ww);
	s->units += (double) n;
}

/* one unit's totals into a set of units */
static void
sums_add(DesignSums *s, dd y, dd w)
{
	s->y = dd_add(s->y, y);
	s->w = dd_add(s->w, w);
	s->yy = dd_add(s->yy, dd_mul(y, y));
	s->yw = dd_add(s->yw, dd_mul(y, w));
	s->ww = dd_add(s->ww, dd_mul(w, w));
	s->units += 1.0;
}

void
design_end_ssu(DesignCell *c)
{
	if (!c->ssu_in)
		return;
	sums_add(&c->in_psu, c->ssu_y, c->ssu_w);
	c->psu_y = dd_add(c->psu_y, c->ssu_y);
	c->psu_w = dd_add(c->psu_w, c->ssu_w);
	c->psu_in = true;
	c->ssu_y = c->ssu_w = dd_from(0.0);
	c->ssu_in = false;
}

/*
 * R's onestrat for one stratum of n units (the zero-padded ones included):
 * the centered sums of squares times f n / (n - 1); a lonely unit per
 * lonely.  Adds to *out; false when the stratum is left out (average).
 */
static bool
onestrat(const DesignSums *s, double n, double f, DesignLonely lonely,
		 DesignForm *out, DesignStatus *status, DesignStatus fail)
{
	dd			scale;

	*status = DESIGN_OK;
	if (f < 1e-7)
		return true;			/* a census: no variance (R checks first) */
	if (n > 1.0)
	{
		dd			nn = dd_from(n);

		scale = dd_div(dd_mul_d(nn, f), dd_from(n - 1.0));
		out->a = dd_add(out->a, dd_mul(scale, dd_sub(s->yy, dd_div(dd_mul(s->y, s->y), nn))));
		out->b = dd_add(out->b, dd_mul(scale, dd_sub(s->yw, dd_div(dd_mul(s->y, s->w), nn))));
		out->c = dd_add(out->c, dd_mul(scale, dd_sub(s->ww, dd_div(dd_mul(s->w, s->w), nn))));
		return true;
	}
	switch (lonely)
	{
		case DESIGN_LONELY_FAIL:
			*status = fail;
			return true;
		case DESIGN_LONELY_REMOVE:
		case DESIGN_LONELY_CERTAINTY:
			return true;		/* centered on itself: nothing */
		case DESIGN_LONELY_ADJUST:
			/* not centered: the deviation from zero, times f */
			out->a = dd_add(out->a, dd_mul_d(s->yy, f));
			out->b = dd_add(out->b, dd_mul_d(s->yw, f));
			out->c = dd_add(out->c, dd_mul_d(s->ww, f));
			return true;
		case DESIGN_LONELY_AVERAGE:
			return false;
	}
	return true;
}

DesignStatus
design_end_psu(DesignCell *c, double m, double f2, bool stage2,
			   DesignLonely lonely)
{
	DesignStatus st = DESIGN_OK;

	if (!c->psu_in)
		return st;
	if (stage2)
	{
		/* R's onestage of this PSU's rows: one stratum of m SSUs */
		if (!onestrat(&c->in_psu, m, f2, lonely, &c->stage2_stratum, &st,
					  DESIGN_LONELY_STAGE2))
			c->stage2_nan = true;	/* 0 * nstrat / 0 in R */
	}
	sums_add(&c->in_stratum, c->psu_y, c->psu_w);
	c->psu_y = c->psu_w = dd_from(0.0);
	c->psu_in = false;
	sums_init(&c->in_psu);
	return st;
}

DesignStatus
design_end_stratum(DesignCell *c, double n, double f1,
				   double sampling_fraction, DesignLonely lonely)
{
	DesignStatus st = DESIGN_OK;

	if (c->in_stratum.units > 0)
	{
		c->strata += 1.0;
		c->psus += c->in_stratum.units;
		if (!onestrat(&c->in_stratum, n, f1, lonely, &c->stage1, &st,
					  DESIGN_LONELY_STAGE1))
			c->lonely_average += 1.0;
		c->stage2.a = dd_add(c->stage2.a, dd_mul_d(c->stage2_stratum.a, sampling_fraction));
		c->stage2.b = dd_add(c->stage2.b, dd_mul_d(c->stage2_stratum.b, sampling_fraction));
		c->stage2.c = dd_add(c->stage2.c, dd_mul_d(c->stage2_stratum.c, sampling_fraction));
	}
	sums_init(&c->in_stratum);
	form_init(&c->stage2_stratum);
	return st;
}

void
design_estimate(const DesignCell *c, DesignEstimate *e)
{
	dd			m,
				v1,
				v2,
				vt;
	double		avg = 1.0;

	e->df = c->psus - c->strata;
	if (c->n == 0 || !(dd_to_double(c->w) != 0.0))
	{
		e->mean = e->se = e->total_se = NAN;
		e->total = dd_to_double(c->y);
		return;
	}
	m = dd_div(c->y, c->w);
	e->mean = dd_to_double(m);
	e->total = dd_to_double(c->y);
	/* R's onestage: the strata left out (average) by nstrat / nokstrat */
	if (c->lonely_average > 0)
		avg = c->strata > c->lonely_average
			? c->strata / (c->strata - c->lonely_average) : NAN;
	v1 = dd_add(dd_sub(c->stage1.a, dd_mul(dd_mul_d(m, 2.0), c->stage1.b)),
				dd_mul(dd_mul(m, m), c->stage1.c));
	v2 = dd_add(dd_sub(c->stage2.a, dd_mul(dd_mul_d(m, 2.0), c->stage2.b)),
				dd_mul(dd_mul(m, m), c->stage2.c));
	vt = dd_add(dd_mul_d(v1, avg), v2);
	vt = dd_div(vt, dd_mul(c->w, c->w));
	e->se = c->stage2_nan ? NAN : sqrt(fmax(dd_to_double(vt), 0.0));
	vt = dd_add(dd_mul_d(c->stage1.a, avg), c->stage2.a);
	e->total_se = c->stage2_nan ? NAN : sqrt(fmax(dd_to_double(vt), 0.0));
}
