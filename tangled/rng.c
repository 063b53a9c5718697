#include <assert.h>
#include <stddef.h>
#define MATHLIB_STANDALONE
#include <Rmath.h>
#include "rng.h"

uint64_t rng_splitmix64(uint64_t *x)
{
    assert(x != NULL);
    uint64_t z = (*x += RNG_GAMMA);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}
void rng_stream(rng_state *g, uint64_t seed, uint64_t stream)
{
    assert(g != NULL);
    uint64_t x = seed + 4 * stream * RNG_GAMMA;
    for (int k = 0; k < 4; k++)
        g->s[k] = rng_splitmix64(&x);
}
double rng_normal(rng_state *g)
{
    assert(g != NULL);
    double u = ((double)(rng_next(g) >> 11) + 0.5) * 0x1.0p-53;
    return qnorm(u, 0.0, 1.0, 1, 0);
}
